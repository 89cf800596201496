#!/usr/bin/env python3
"""The held-out figures of each model as the workstation produces them, written into its card as
`validation.workstation`.

The card's other figures come from Training/models/evaluate.py and trust.py: onnxruntime on the
generator's arrays, evaluate.py's candidate rule and hit rule. The workstation's findings differ
in detail: its candidate rule claims a region per finding (fewer second marks on one lesion), it
applies the card's post-processing, calibration and content detector, and it reads DICOM. This
script measures what a reader would see: it regenerates the held-out split as DICOM studies
(Training/generate_samples.py, generator indices 50000.., the same cases as the card's held-out
set) and runs `lightbox validate` on them (Sources/Analysis/Validation: its own hit rule, written
from the ground-truth sidecars, sharing no code with evaluate.py).

  python Training/trust/workstation_figures.py [--lightbox .build/release/lightbox] [--work DIR] [--model ID ...]

Tests/Conformance/trust.py recomputes these figures (on the full set where it is small, on a
subset otherwise) and holds them to the card."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KIND = {"cxr-abnormality-v1": "chest_radiograph", "head-ct-haemorrhage-v1": "head_ct",
        "ldct-nodule-v1": "ldct", "mammo-suspicion-v1": "mammography"}


def held_out_count(card):
    c = card["validation"]["in_distribution"]["counts"]
    return c.get("images") or c.get("volumes") or c.get("exams")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lightbox", default=os.path.join(REPO, ".build/release/lightbox"))
    ap.add_argument("--work", default=os.path.join(REPO, "Training/generated/workstation_heldout"))
    ap.add_argument("--model", action="append", choices=sorted(KIND))
    a = ap.parse_args(argv)
    for cid in a.model or sorted(KIND):
        path = os.path.join(REPO, "Models", cid + ".json")
        with open(path, encoding="utf-8") as f:
            card = json.load(f)
        n = held_out_count(card)
        out = os.path.join(a.work, cid)
        if not os.path.isdir(out) or len([d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d))]) < n:
            subprocess.run([sys.executable, os.path.join(REPO, "Training/generate_samples.py"), "--out", out, "--set", "train",
                            "--start", "50000", "--count", str(n), "--kinds", KIND[cid]], check=True, stdout=subprocess.DEVNULL)
        p = subprocess.run([a.lightbox, "validate", cid, out, "--models", os.path.join(REPO, "Models"), "--json",
                            "--bootstrap", "1000"], capture_output=True, text=True)
        if p.returncode not in (0, 3):
            sys.exit(f"{cid}: lightbox validate failed ({p.returncode}): {p.stderr[-400:]}")
        v = json.loads(p.stdout)
        card["validation"]["workstation"] = {
            "measured_with": "lightbox validate (Sources/Analysis/Validation) on the held-out split regenerated as DICOM by "
                             "Training/generate_samples.py (generator indices 50000..), the workstation's own pipeline: "
                             "candidate rule, postprocessing, content detector, calibration, operating point",
            "why": "the figures above are evaluate.py's (onnxruntime on the generator's arrays, its candidate and hit rules); "
                   "these are what a reader of the workstation sees on the same cases",
            "cases": v["studies"], "unit": v["unit"], "operating_threshold": v["operating_threshold"],
            "figures": {k: round(x, 4) for k, x in sorted(v["figures"].items())},
            "ci95": {k: [round(x, 4) for x in iv] for k, iv in sorted(v["ci95"].items())},
            "bootstrap": "95% percentile bootstrap over cases, 1000 resamples, fixed seed",
        }
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(card, indent=1, ensure_ascii=False) + "\n")
        figs = card["validation"]["workstation"]["figures"]
        print(f"{cid}: {v['studies']} cases: " + ", ".join(f"{k} {x:.3f}" for k, x in figs.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
