#!/usr/bin/env python3
"""Runs the chest radiograph model on the committed sample radiographs (SampleStudies/, read with
pydicom, preprocessed exactly as the card says) and prints the image score and the heatmap peak
next to the ground-truth lesions. A sanity check of the card's preprocessing on real DICOM
(CR and DX, MONOCHROME1 and MONOCHROME2, compressed transfer syntaxes); not a validation.

  python Training/models/cxr_samples.py [--npy-dir DIR]    (DIR: write each model input as .npy)
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import pydicom

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cxr_data  # noqa: E402
from tasks import MODELS, REPO, TASKS  # noqa: E402


def preprocess(ds) -> np.ndarray:
    """Card preprocessing: MONOCHROME1 inversion on stored values, area resample, percentiles."""
    v = ds.pixel_array.astype(np.float32)
    if ds.PhotometricInterpretation == "MONOCHROME1":
        v = (2 ** int(ds.BitsStored) - 1) - v
    return cxr_data.normalise(cxr_data._area(v, tuple(TASKS["cxr"]["size"])))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--npy-dir", default=None)
    a = ap.parse_args(argv)
    sess = ort.InferenceSession(os.path.join(MODELS, TASKS["cxr"]["id"] + ".onnx"), providers=["CPUExecutionProvider"])
    out = []
    for gt_path in sorted(glob.glob(os.path.join(REPO, "SampleStudies", "*", "ground_truth.json"))):
        with open(gt_path) as f:
            gt = json.load(f)
        if gt["kind"] != "chest_radiograph":
            continue
        folder = os.path.dirname(gt_path)
        s = gt["series"][0]
        ds = pydicom.dcmread(os.path.join(folder, s["files"][0]))
        x = preprocess(ds)[None, None]
        if a.npy_dir:
            os.makedirs(a.npy_dir, exist_ok=True)
            np.save(os.path.join(a.npy_dir, os.path.basename(folder) + ".npy"), x)
        heat, score = sess.run(["heatmap", "score"], {"input": x})
        h = heat[0, 0]
        pr, pc = np.unravel_index(int(np.argmax(h)), h.shape)
        f = ds.Rows / h.shape[0]
        les = [(l["label"], l["diameter_mm"], l["center_px"]) for l in gt["lesions"]]
        row = {"study": os.path.basename(folder), "modality": ds.Modality, "photometric": ds.PhotometricInterpretation,
               "transfer_syntax": str(ds.file_meta.TransferSyntaxUID), "score": round(float(score[0, 0]), 4),
               "heatmap_peak": round(float(h.max()), 4), "peak_px": [int(pc * f + f / 2), int(pr * f + f / 2)],
               "lesions": les}
        out.append(row)
        print(json.dumps(row))
    return out


if __name__ == "__main__":
    main()
