#!/usr/bin/env python3
"""Exports deepbet's 128³ bounding-box model (TorchScript, shipped in the deepbet 1.0.2 wheel, MIT)
to Models/deepbet-bbox-v1.onnx (opset 17) and checks onnxruntime against torch on a random and a
real (Colin-27 ch2) input.

    .venv/bin/pip install --no-deps deepbet==1.0.2     # or the wheel file
    .venv/bin/python Training/deepbet/export.py [--wheel deepbet-1.0.2-py3-none-any.whl]

The weights are read from the wheel itself (data/models/bbox_model.pt inside it) when --wheel is
given, else from the installed package; either way the wheel's sha256 in the model card names
the exact file. Reproducible: the same wheel gives the same ONNX graph and weights.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import io
import os
import sys
import zipfile

import json

import numpy as np
import onnx
import onnxruntime as ort
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "Models", "deepbet-bbox-v1.onnx")
CARD = os.path.join(ROOT, "Models", "deepbet-bbox-v1.json")
WHEEL = "deepbet-1.0.2-py3-none-any.whl"
PAPER = ("Fisch L, Zumdick S, Barkhau C, Emden D, Ernsting J, Leenings R, Sarink K, Winter NR, Risse B, Dannlowski U, "
         "Hahn T. deepbet: Fast brain extraction of T1-weighted MRI using Convolutional Neural Networks. "
         "Computers in Biology and Medicine (2024), https://www.sciencedirect.com/science/article/pii/S0010482524009302; "
         "preprint arXiv:2308.07003")
FILE_IN_WHEEL = "data/models/bbox_model.pt"
SHAPE = (1, 1, 128, 128, 128)
CH2 = "/usr/share/mricron/templates/ch2.nii.gz"


def torchscript_bytes(wheel: str | None) -> bytes:
    if wheel:
        with zipfile.ZipFile(wheel) as z:
            return z.read(FILE_IN_WHEEL)
    import deepbet.utils
    return open(os.path.join(deepbet.utils.DATA_PATH, "models", "bbox_model.pt"), "rb").read()


def licence_text(wheel: str | None) -> str:
    if wheel:
        with zipfile.ZipFile(wheel) as z:
            return z.read("deepbet-1.0.2.dist-info/LICENSE").decode()
    import deepbet
    info = os.path.join(os.path.dirname(os.path.dirname(deepbet.__file__)), "deepbet-1.0.2.dist-info", "LICENSE")
    return open(info, encoding="utf-8").read()


def write_card(onnx_path: str, ops: list[str], wheel_sha: str, pt_sha: str, licence: str, parity: dict) -> None:
    """The model card; an existing card's `validation` (check_ch2.py) is kept while the model's
    sha256 is unchanged."""
    blob = open(onnx_path, "rb").read()
    sha = hashlib.sha256(blob).hexdigest()
    old = json.load(open(CARD)) if os.path.exists(CARD) else {}
    card = {
        "id": "deepbet-bbox-v1",
        "version": "1.0.2",
        "task": "segmentation",
        "description": "deepbet's first-stage (128³, bounding-box) brain mask for T1-weighted MRI: LinkNet3d, softmax over background/brain. Real pretrained weights from the deepbet 1.0.2 wheel, converted to ONNX unchanged.",
        "intended_use": {
            "modality": "MR",
            "body_part": "BRAIN",
            "sequence": "T1-weighted (3-D), adult heads",
            "note": "deepbet uses this model only to find the brain's bounding box for its second, 256³ model; its mask is coarse (1.4 mm voxels for a 181 mm field)",
        },
        "runs_in_analysis": False,
        "runs_in_analysis_note": "Lightbox's analysis pipeline does not implement this model's 3-D pre/post-processing yet; run it with `lightbox onnx run` (see Training/deepbet/pipeline.py)",
        "preprocessing": {
            "orientation": "closest canonical RAS+ (nibabel as_closest_canonical: axis permutation and flips only), first volume of 4-D, NaN -> 0",
            "resample_size": [128, 128, 128],
            "resample": "nearest-exact per axis, whatever the voxel size: source index min(floor((i + 0.5) * n_in / 128), n_in - 1), float32 arithmetic (torch F.interpolate mode='nearest-exact')",
            "percentile_normalization": [0.5, 99.5],
            "normalization": "x = clip((x - p0.5) / (p99.5 - p0.5), 0, 1) with linear-interpolated percentiles of the 128³ volume; x = (x - mean) / std (std with N - 1); x = 0.226 * x + 0.449",
            "channel_layout": "NCDHW",
            "channels": 1,
            "axes": "D, H, W = R, A, S voxel axes of the canonical array (NIfTI i, j, k)",
        },
        "inputs": [{"name": "input", "shape": [1, 1, 128, 128, 128], "dtype": "float32",
                    "meaning": "normalised T1 volume, canonical RAS+ voxel axes, resampled to 128³"}],
        "outputs": {
            "labels": ["background", "brain"],
            "activation": "none",
            "activation_note": "softmax over the 2 channels is inside the graph: outputs are probabilities",
            "tensors": [{"name": "probabilities", "shape": [1, 2, 128, 128, 128],
                         "meaning": "channel 0 background, channel 1 brain probability per 128³ voxel"}],
        },
        "postprocessing": {
            "mask": "brain = probabilities[0, 1] > 0.5, then the largest 26-connected component (cc3d default)",
            "deepbet_next_step": "bounding box of the mask (axis profiles with mean > 0.02), scaled to the canonical grid, 10 % margin each side, feeds deepbet's 256³ model (not exported here)",
            "to_original_grid": "nearest-exact resize of the 128³ mask back to the canonical array's shape, then the inverse of the canonical reorientation",
        },
        "sha256": sha,
        "provenance": {
            "package": "deepbet",
            "version": "1.0.2",
            "source": "https://pypi.org/project/deepbet/1.0.2/ (https://github.com/wwu-mmll/deepbet)",
            "wheel": WHEEL,
            "wheel_sha256": wheel_sha,
            "file_in_wheel": FILE_IN_WHEEL,
            "file_sha256": pt_sha,
            "format_in_wheel": "TorchScript",
            "converted_with": "Training/deepbet/export.py: torch.onnx.export (TorchScript exporter, dynamo=False), opset 17, constant folding; weights unchanged",
        },
        "licence": {"name": "MIT", "holder": "Medical Machine Learning Lab - University of Münster (2023)", "text": licence},
        "authors": ["Lukas Fisch", "Stefan Zumdick", "Carlotta Barkhau", "Daniel Emden", "Jan Ernsting", "Ramona Leenings",
                    "Kelvin Sarink", "Nils R. Winter", "Benjamin Risse", "Udo Dannlowski", "Tim Hahn"],
        "paper": PAPER,
        "training": {
            "data": "by its authors (not by Lightbox): 7837 T1-weighted MR images from 191 OpenNeuro datasets (adults), per the deepbet paper; reported median Dice 99.0 in cross-dataset validation for the full two-stage tool",
            "by": "the deepbet authors; Lightbox did not train or fine-tune it",
        },
        "export": {
            "opset": 17,
            "operators": ops,
            "size_bytes": len(blob),
            "torch": torch.__version__,
            "onnx": onnx.__version__,
            "onnxruntime": ort.__version__,
            "max_abs_diff": parity,
            "max_abs_diff_note": "random, ch2: onnxruntime vs torch (float32); ch2_*_vs_torch_float64: each runtime vs the TorchScript model run in float64; outputs are probabilities in [0, 1]",
        },
        "not_for_clinical_use": True,
        "disclaimer": "Real pretrained weights from the deepbet authors (MIT licence); not validated here for clinical use; not a medical device.",
    }
    if old.get("validation") and old["validation"].get("evaluated_model_sha256") == sha:
        card["validation"] = old["validation"]
    with open(CARD, "w", encoding="utf-8") as f:
        json.dump(card, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {CARD}")


def float64_reference(model, onnx_path: str, x: np.ndarray, lightbox: str) -> dict:
    """How far each float32 runtime is from the TorchScript model run in float64 on the ch2 input:
    tells which runtime a disagreement between them comes from."""
    import copy
    import subprocess
    import tempfile
    m64 = copy.deepcopy(model).double()
    with torch.no_grad():
        ref = m64(torch.from_numpy(x).double()).numpy()
    out = {"ch2_onnxruntime_vs_torch_float64":
           float(np.abs(ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"]).run(None, {"input": x})[0] - ref).max())}
    with torch.no_grad():
        out["ch2_torch_float32_vs_torch_float64"] = float(np.abs(model(torch.from_numpy(x)).numpy() - ref).max())
    if os.path.exists(lightbox):
        with tempfile.TemporaryDirectory() as d:
            np.save(os.path.join(d, "x.npy"), x)
            subprocess.run([lightbox, "onnx", "run", onnx_path, "--input", f"input={d}/x.npy", "--out", d], check=True,
                           stdout=subprocess.DEVNULL)
            got = np.load(os.path.join(d, "probabilities.npy"))
        out["ch2_lightbox_vs_torch_float64"] = float(np.abs(got - ref).max())
    for k, v in out.items():
        print(f"{k}: {v:.2e}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", default=next(iter(glob.glob("/tmp/deepbet-dl/deepbet-1.0.2-py3-none-any.whl")), None))
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--lightbox", default=os.path.join(ROOT, ".build/release/lightbox"),
                    help="also run the ch2 input in Lightbox's runtime and compare both runtimes with torch in float64")
    a = ap.parse_args(argv)
    torch.manual_seed(0)
    raw = torchscript_bytes(a.wheel)
    model = torch.jit.load(io.BytesIO(raw), map_location="cpu").eval()
    x = torch.randn(*SHAPE)
    torch.onnx.export(model, (x,), a.out, opset_version=17, input_names=["input"], output_names=["probabilities"],
                      do_constant_folding=True, dynamo=False)
    m = onnx.load(a.out)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    print(f"wrote {a.out} ({os.path.getsize(a.out) / 1e6:.1f} MB), opset 17, operators: {', '.join(ops)}")
    wheel_sha = hashlib.sha256(open(a.wheel, "rb").read()).hexdigest() if a.wheel else "unknown (exported from the installed package)"
    pt_sha = hashlib.sha256(raw).hexdigest()
    print(f"wheel sha256 {wheel_sha}")
    print(f"{FILE_IN_WHEEL} sha256 {pt_sha}")
    sess = ort.InferenceSession(a.out, providers=["CPUExecutionProvider"])
    inputs = {"random": x.numpy()}
    if os.path.exists(CH2):
        import nibabel as nib
        sys.path.insert(0, HERE)
        import pipeline
        x = pipeline.canonical(nib.load(CH2))
        inputs["ch2"] = pipeline.model_input(x)
        # The numpy resize mirrors torch's nearest-exact exactly.
        t = torch.nn.functional.interpolate(torch.from_numpy(x)[None, None], pipeline.SMALL, mode="nearest-exact")[0, 0].numpy()
        assert np.array_equal(t, pipeline.resize_nearest_exact(x, pipeline.SMALL)), "nearest-exact mirror differs from torch"
    parity = {}
    worst = 0.0
    for name, arr in inputs.items():
        with torch.no_grad():
            ref = model(torch.from_numpy(arr)).numpy()
        got = sess.run(None, {"input": arr})[0]
        d = float(np.abs(got - ref).max())
        worst = max(worst, d)
        parity[name] = d
        print(f"{name}: max |onnxruntime - torch| = {d:.2e}")
    if "ch2" in inputs:
        parity.update(float64_reference(model, a.out, inputs["ch2"], a.lightbox))
    write_card(a.out, ops, wheel_sha, pt_sha, licence_text(a.wheel), parity)
    # Instance norm over random noise differs most (2e-4 seen); softmax outputs lie in [0, 1].
    return 0 if worst < 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
