#!/usr/bin/env python3
"""Generate synthetic DICOM studies with ground-truth sidecars.

  python Training/generate_samples.py --out SampleStudies --set samples        # the committed defaults
  python Training/generate_samples.py --out Training/generated --set train --count 200 [--kinds ldct,head_ct]
  python Training/generate_samples.py --out SampleStudies --only 05_LDCT --sidecar-only   # rewrite only the sidecar

Studies with priors (catalog.PAIRS, phantoms/priors.py): after the studies are written, each pair
whose two folders are both in --out gets its tracking and comparison truth (lesion ids, tracking
UIDs, statuses, the follow-up's `prior` block, the baseline's `follow_up` block) in both sidecars.

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
from phantoms.catalog import PAIRS, PATIENTS, _age, sample_specs, train_specs  # noqa: E402
from phantoms.common import uid  # noqa: E402
from phantoms.priors import link  # noqa: E402
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
    if spec.get("anatomy_key"):
        gt["generator"]["anatomy_key"] = spec["anatomy_key"]
    if spec.get("pose"):
        gt["generator"]["pose"] = {"R": [[round(float(v), 10) for v in row] for row in spec["pose"]["R"]],
                                   "t": [float(v) for v in spec["pose"]["t"]],
                                   "convention": "p_scan = R·p_anatomy + t (anatomy = the follow-up's frame)"}
    write_sidecar(out_dir, gt)
    return gt


def write_sidecar(out_dir: str, gt: dict) -> None:
    with open(os.path.join(out_dir, "ground_truth.json"), "w", encoding="utf-8") as f:
        json.dump(gt, f, indent=1, ensure_ascii=False)
        f.write("\n")


def read_sidecar(out_dir: str) -> dict | None:
    path = os.path.join(out_dir, "ground_truth.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fill_teaching(gt: dict) -> None:
    """`{vdt:LESION_ID}` in teaching text → that lesion's volume doubling time in days (rounded to 10)."""
    rows = {r["lesion_id"]: r for r in (gt.get("prior") or {}).get("lesions", [])}
    for k, v in gt["teaching"].items():
        for lid, row in rows.items():
            if row.get("volume_doubling_days") is not None:
                v = v.replace("{vdt:" + lid + "}", str(int(round(row["volume_doubling_days"] / 10.0) * 10)))
        gt["teaching"][k] = v


def link_pairs(out_root: str) -> list[str]:
    """Link every catalog pair whose two sidecars are in out_root; returns the pairs linked."""
    done = []
    for name, pair in PAIRS.items():
        pdir, cdir = os.path.join(out_root, pair["prior"]), os.path.join(out_root, pair["current"])
        prior_gt, current_gt = read_sidecar(pdir), read_sidecar(cdir)
        if prior_gt is None or current_gt is None:
            continue
        if not all("lesion_id" in les for les in prior_gt["lesions"] + current_gt["lesions"]):
            print(f"pair {name}: a sidecar predates the pair's lesion ids; regenerate both to link", flush=True)
            continue
        link(prior_gt, current_gt, pair)
        fill_teaching(current_gt)
        write_sidecar(pdir, prior_gt)
        write_sidecar(cdir, current_gt)
        done.append(name)
    return done


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
    ap.add_argument("--sidecar-only", action="store_true", help="render in a temporary folder and replace only "
                    "ground_truth.json in --out (keeps the committed DICOM files byte for byte)")
    a = ap.parse_args(argv)
    kinds = [k for k in a.kinds.split(",") if k] or None
    if a.set == "samples":
        specs = [s for s in sample_specs() if a.only in s["folder"] and (not kinds or s["kind"] in kinds)]
    else:
        specs = train_specs(a.count, kinds, a.syntax, start=a.start)
    os.makedirs(a.out, exist_ok=True)
    index = []
    import tempfile
    tmp = tempfile.TemporaryDirectory() if a.sidecar_only else None
    for s in specs:
        t = time.time()
        root = tmp.name if tmp else a.out
        gt = make_study(s, root)
        if tmp:
            os.makedirs(os.path.join(a.out, s["folder"]), exist_ok=True)
            shutil.copyfile(os.path.join(root, s["folder"], "ground_truth.json"),
                            os.path.join(a.out, s["folder"], "ground_truth.json"))
            shutil.rmtree(os.path.join(root, s["folder"]))
        size = sum(os.path.getsize(os.path.join(a.out, s["folder"], f)) for f in os.listdir(os.path.join(a.out, s["folder"])))
        print(f"{s['folder']:28s} {s['kind']:17s} {len(gt['lesions'])} lesions {size / 1e6:6.2f} MB "
              f"{time.time() - t:5.1f} s", flush=True)
        index.append({"folder": s["folder"], "kind": s["kind"], "study_instance_uid": gt["study_instance_uid"],
                      "lesions": len(gt["lesions"])})
    if a.set == "samples":
        for name in link_pairs(a.out):
            print(f"linked pair {name}", flush=True)
    if a.set == "train":
        with open(os.path.join(a.out, "index.json"), "w") as f:
            json.dump(index, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
