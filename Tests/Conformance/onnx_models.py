#!/usr/bin/env python3
"""Architecture fixtures: `lightbox onnx run` against onnxruntime's stored outputs.

For every Tests/Fixtures/onnx/NAME.onnx with NAME.input.npy and NAME.ort.npy (written by
Tools/onnx/make_fixtures.py), runs Lightbox and checks the maximum relative error
max|ours − ort| / max|ort| ≤ 1e-4. The `_external` variant shares its base model's reference.
"""
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
FIX = os.path.join(ROOT, "Tests/Fixtures/onnx")
TOL = 1e-4


def main() -> int:
    failures = 0
    models = sorted(glob.glob(os.path.join(FIX, "*.onnx")))
    if not models:
        print("onnx_models: no fixtures", file=sys.stderr)
        return 1
    for model in models:
        name = os.path.basename(model)[:-5]
        base = name[: -len("_external")] if name.endswith("_external") else name
        x_path = os.path.join(FIX, base + ".input.npy")
        ref = np.load(os.path.join(FIX, base + ".ort.npy"))
        with tempfile.TemporaryDirectory() as out:
            proc = subprocess.run([LIGHTBOX, "onnx", "run", model, "--input", f"input={x_path}", "--out", out],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL {name}: lightbox exited {proc.returncode}: {proc.stderr.strip()}")
                failures += 1
                continue
            outs = glob.glob(os.path.join(out, "*.npy"))
            ours = np.load(outs[0])
        if ours.shape != ref.shape:
            print(f"FAIL {name}: shape {ours.shape}, onnxruntime {ref.shape}")
            failures += 1
            continue
        err = float(np.max(np.abs(ours - ref)) / max(np.max(np.abs(ref)), 1e-12))
        ok = err <= TOL
        failures += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}: max relative error {err:.2e} (limit {TOL:g})")
    print(f"onnx_models: {len(models) - failures}/{len(models)} fixtures match onnxruntime")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
