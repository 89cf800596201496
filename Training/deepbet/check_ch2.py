#!/usr/bin/env python3
"""deepbet's 128³ brain mask on a real T1 MRI, computed in Lightbox's own runtime, against a
skull-stripped reference: the Colin-27 average ch2 and its BET-stripped ch2bet from Debian's
mricron-data (`apt-get install mricron-data`).

    .venv/bin/python Training/deepbet/check_ch2.py [--lightbox .build/release/lightbox] [--no-card]

1. ch2 → deepbet's preprocessing (pipeline.py: canonical RAS+, nearest-exact 128³, percentile
   normalisation) → Models/deepbet-bbox-v1.onnx in `lightbox onnx run` and in onnxruntime;
   prints the largest difference between the two.
2. Brain mask = largest 26-connected component of p(brain) > 0.5 at 128³, resized back to the
   181×217×181 grid (nearest-exact); Dice against ch2bet's nonzero voxels (also at 128³).
3. Writes the figures into the card's `validation` section (unless --no-card).

ch2bet was made by FSL BET, not by hand, and this first-stage model is deepbet's coarse one (its
full tool refines inside the box with a 256³ model): the Dice says the export and our runtime
reproduce a sensible brain mask on a real scan, not how good deepbet is.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

import nibabel as nib
import numpy as np
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import pipeline  # noqa: E402

MODEL = os.path.join(ROOT, "Models", "deepbet-bbox-v1.onnx")
CARD = os.path.join(ROOT, "Models", "deepbet-bbox-v1.json")
TEMPLATES = "/usr/share/mricron/templates"


def run(lightbox: str, model: str = MODEL):
    """(input, lightbox output, onnxruntime output, seconds in lightbox, seconds in onnxruntime, t1 array, reference array)."""
    t1 = pipeline.canonical(nib.load(os.path.join(TEMPLATES, "ch2.nii.gz")))
    ref = pipeline.canonical(nib.load(os.path.join(TEMPLATES, "ch2bet.nii.gz"))) > 0
    x = pipeline.model_input(t1)
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, "input.npy")
        np.save(inp, x)
        t0 = time.time()
        subprocess.run([lightbox, "onnx", "run", model, "--input", f"input={inp}", "--out", d], check=True, stdout=subprocess.DEVNULL)
        t_lb = time.time() - t0
        ours = np.load(os.path.join(d, "probabilities.npy"))
    t0 = time.time()
    theirs = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(None, {"input": x})[0]
    t_ort = time.time() - t0
    return x, ours, theirs, t_lb, t_ort, t1, ref


def figures(ours, theirs, t1, ref) -> dict:
    small = pipeline.brain_mask_small(ours)
    full = pipeline.resize_nearest_exact(small, t1.shape)
    ref_small = pipeline.resize_nearest_exact(ref, pipeline.SMALL)
    return {
        "max_abs_diff_lightbox_vs_onnxruntime": float(np.abs(ours - theirs).max()),
        "dice_ch2bet_original_grid": pipeline.dice(full, ref),
        "dice_ch2bet_128": pipeline.dice(small, ref_small),
        "dice_onnxruntime_mask_vs_lightbox_mask": pipeline.dice(pipeline.brain_mask_small(theirs), small),
        "mask_voxels_original_grid": int(full.sum()),
        "ch2bet_voxels": int(ref.sum()),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lightbox", default=os.path.join(ROOT, ".build/release/lightbox"))
    ap.add_argument("--no-card", action="store_true")
    a = ap.parse_args(argv)
    if not os.path.exists(os.path.join(TEMPLATES, "ch2bet.nii.gz")):
        print("mricron-data is not installed (apt-get install mricron-data)", file=sys.stderr)
        return 2
    x, ours, theirs, t_lb, t_ort, t1, ref = run(a.lightbox)
    f = figures(ours, theirs, t1, ref)
    for k, v in f.items():
        print(f"{k}: {v:.6g}" if isinstance(v, float) else f"{k}: {v}")
    print(f"time: lightbox onnx run {t_lb:.1f} s (process, incl. loading), onnxruntime {t_ort:.1f} s")
    if not a.no_card:
        card = json.load(open(CARD, encoding="utf-8"))
        sha = hashlib.sha256(open(MODEL, "rb").read()).hexdigest()
        card["validation"] = {
            "dataset": "Colin-27 ch2 T1 average (181x217x181, 1 mm, MNI) vs its skull-stripped ch2bet (FSL BET), Debian mricron-data; one volume",
            "evaluated_model_sha256": sha,
            "evaluated_with": "Training/deepbet/check_ch2.py: deepbet's preprocessing in numpy (pipeline.py), the model in `lightbox onnx run` (Lightbox's runtime), mask = largest 26-connected component of p > 0.5 at 128³, nearest-exact back to 181x217x181",
            "reference_note": "ch2bet is an automatic BET result, not a manual segmentation; this is deepbet's coarse first-stage model; one subject (an average of 27 scans of one person)",
            "metrics": {k: v for k, v in f.items()},
            "not_validated_for_clinical_use": "Real weights, but not validated here for clinical use: one public template volume is a smoke test of the conversion and our runtime, not a validation.",
        }
        with open(CARD, "w", encoding="utf-8") as fh:
            json.dump(card, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
        print(f"wrote the validation section of {CARD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
