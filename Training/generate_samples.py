#!/usr/bin/env python3
"""Generate synthetic DICOM studies with ground-truth sidecars.

  python Training/generate_samples.py --out SampleStudies --set samples        # the committed defaults
  python Training/generate_samples.py --out Training/generated --set train --count 200 [--kinds ldct,head_ct]

Deterministic: fixed seeds and UIDs derived from each study's key (2.25.<hash>), so reruns give
identical pixel data and identical files where the encoder is deterministic.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from phantoms import KINDS  # noqa: E402
from phantoms.catalog import PATIENTS, _age, sample_specs, train_specs  # noqa: E402
from phantoms.common import uid  # noqa: E402
from phantoms.write_dicom import Study  # noqa: E402

SCHEMA = "Training/ground_truth.schema.json"


def make_study(spec: dict, out_root: str) -> dict:
    patient = spec.get("patient_obj") or PATIENTS[spec["patient"]]
    study = Study(uid=uid(spec["key"], "study"), date=spec["date"], time=spec["time"],
                  description=spec["description"], accession=spec["accession"],
                  study_id=spec["accession"][-5:], age=_age(patient, spec["date"]))
    out_dir = os.path.join(out_root, spec["folder"])
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    res = KINDS[spec["kind"]].generate(spec, patient, study, out_dir)
    gt = {
        "schema": SCHEMA,
        "study_instance_uid": study.uid,
        "kind": spec["kind"],
        "folder": spec["folder"],
        "patient": {"patient_id": patient.patient_id, "name": patient.name, "birth_date": patient.birth_date,
                    "sex": patient.sex, "specific_character_set": patient.charset or ""},
        "study_date": study.date,
        "accession_number": study.accession,
        "description": study.description,
        "normal": len(res["lesions"]) == 0,
        "teaching": {k: v.replace("{age}", str(int(study.age[:3]))) for k, v in spec["teaching"].items()},
        "series": res["series"],
        "lesions": res["lesions"],
        "generator": {"script": "Training/generate_samples.py", "key": spec["key"], "synthetic": True},
    }
    with open(os.path.join(out_dir, "ground_truth.json"), "w", encoding="utf-8") as f:
        json.dump(gt, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return gt


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--set", choices=["samples", "train"], default="samples")
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--start", type=int, default=0, help="first case index (train set)")
    ap.add_argument("--kinds", default="", help="comma-separated subset of " + ",".join(KINDS))
    ap.add_argument("--syntax", default="explicit_le", help="transfer syntax for the train set "
                    "(explicit_le, rle, jpeg_ls, j2k, jpeg_lossless)")
    ap.add_argument("--only", default="", help="samples: only folders containing this text")
    a = ap.parse_args(argv)
    kinds = [k for k in a.kinds.split(",") if k] or None
    if a.set == "samples":
        specs = [s for s in sample_specs() if a.only in s["folder"] and (not kinds or s["kind"] in kinds)]
    else:
        specs = train_specs(a.count, kinds, a.syntax, start=a.start)
    os.makedirs(a.out, exist_ok=True)
    index = []
    for s in specs:
        t = time.time()
        gt = make_study(s, a.out)
        size = sum(os.path.getsize(os.path.join(a.out, s["folder"], f)) for f in os.listdir(os.path.join(a.out, s["folder"])))
        print(f"{s['folder']:28s} {s['kind']:17s} {len(gt['lesions'])} lesions {size / 1e6:6.2f} MB "
              f"{time.time() - t:5.1f} s", flush=True)
        index.append({"folder": s["folder"], "kind": s["kind"], "study_instance_uid": gt["study_instance_uid"],
                      "lesions": len(gt["lesions"])})
    if a.set == "train":
        with open(os.path.join(a.out, "index.json"), "w") as f:
            json.dump(index, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
