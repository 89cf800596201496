#!/usr/bin/env python3
"""Runs one model on .npy inputs with our Swift runtime (`lightbox onnx run`) and with onnxruntime
and prints the largest absolute difference per output.

  python Training/models/compare_runtimes.py Models/cxr-abnormality-v1.onnx IN.npy [IN.npy ...]
      [--lightbox .build/release/lightbox] [--input-name input]

Exits 1 when an output is missing or differs by more than --tol (default 1e-3)."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--lightbox", default=".build/release/lightbox")
    ap.add_argument("--input-name", default="input")
    ap.add_argument("--tol", type=float, default=1e-3)
    a = ap.parse_args(argv)
    sess = ort.InferenceSession(a.model, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    worst = 0.0
    for path in a.inputs:
        x = np.load(path).astype(np.float32)
        ref = dict(zip(names, sess.run(None, {a.input_name: x})))
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([a.lightbox, "onnx", "run", a.model, "--input", f"{a.input_name}={path}", "--out", out],
                           check=True, stdout=subprocess.DEVNULL)
            for n in names:
                p = os.path.join(out, n + ".npy")
                if not os.path.exists(p):
                    print(f"{os.path.basename(path)}: output {n} missing from the Swift run")
                    return 1
                got = np.load(p)
                d = float(np.abs(got.astype(np.float64) - ref[n]).max())
                worst = max(worst, d)
                print(f"{os.path.basename(path)}: {n} {list(got.shape)} max |swift - onnxruntime| = {d:.2e}")
    print(f"worst {worst:.2e} (tolerance {a.tol:g})")
    return 0 if worst <= a.tol else 1


if __name__ == "__main__":
    sys.exit(main())
