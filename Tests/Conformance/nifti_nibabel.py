#!/usr/bin/env python3
"""NIfTI: `lightbox info --json --pixels-npy` against nibabel on the same files.

Writes volumes with nibabel (a rotated sform in int16 with scaling, gzip; a qform-only float32
file with qfac −1; a big-endian float64 file) and, when Debian's mricron-data is installed, reads
the real Colin-27 ch2 T1 (uint8, sform). For each: every voxel of Lightbox's volume equals
nibabel's scaled value at the voxel Lightbox says it came from (its i/j/k flips), and every
voxel's LPS position from Lightbox's origin, directions and spacing equals nibabel's affine
(x and y negated) within 1e-3 mm.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import nibabel as nib
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
CH2 = "/usr/share/mricron/templates/ch2.nii.gz"


def rotation(axis, degrees):
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    x, y, z = np.asarray(axis, float) / np.linalg.norm(axis)
    return np.array([[c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
                     [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
                     [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)]])


def affine(rot, zooms, offset):
    a = np.eye(4)
    a[:3, :3] = rot @ np.diag(zooms)
    a[:3, 3] = offset
    return a


def check(path) -> list[str]:
    img = nib.load(path)
    want = np.asarray(img.get_fdata(dtype=np.float64))
    with tempfile.TemporaryDirectory() as d:
        npy = os.path.join(d, "v.npy")
        proc = subprocess.run([LIGHTBOX, "info", path, "--json", "--pixels-npy", npy], capture_output=True, text=True)
        if proc.returncode != 0:
            return [f"lightbox exited {proc.returncode}: {proc.stderr.strip()}"]
        info = json.loads(proc.stdout)
        got = np.load(npy).astype(np.float64)  # [slices, rows, columns]
    g = info["geometry"]
    flips = g["flips"]
    # nibabel's (i, j, k) array in Lightbox's shown order: flip, then to [k, j, i].
    ref = want[::-1 if flips["columns"] else 1, ::-1 if flips["rows"] else 1, ::-1 if flips["slices"] else 1]
    ref = ref.transpose(2, 1, 0)
    errs = []
    if got.shape != ref.shape:
        return [f"shape {got.shape}, nibabel {ref.shape}"]
    diff = np.abs(got - ref).max()
    if diff > 1e-6 * max(1.0, np.abs(ref).max()):  # float32 rounding of scaled values
        errs.append(f"voxels differ from nibabel by up to {diff}")
    # Positions: shown voxel (c, r, s) ↔ stored (i, j, k); LPS = diag(−1, −1, 1) · affine.
    nx, ny, nz = want.shape[:3]
    idx = np.stack(np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij"), -1).reshape(-1, 3).astype(float)
    aff = img.affine if img.header["sform_code"] > 0 or img.header["qform_code"] > 0 else np.diag(list(img.header["pixdim"][1:4]) + [1])
    lps = (idx @ aff[:3, :3].T + aff[:3, 3]) * np.array([-1, -1, 1])
    shown = idx.copy()
    for a, (key, n) in enumerate([("columns", nx), ("rows", ny), ("slices", nz)]):
        if flips[key]:
            shown[:, a] = n - 1 - shown[:, a]
    sp = np.array(g["spacing"])
    dirs = np.array([g["rowDirection"], g["columnDirection"], g["sliceDirection"]])
    ours = np.array(g["origin"]) + (shown * sp) @ dirs
    pd = np.abs(ours - lps).max()
    if pd > 1e-3:
        errs.append(f"voxel positions differ from nibabel's affine by up to {pd:.4g} mm")
    source = "sform" if img.header["sform_code"] > 0 else "qform" if img.header["qform_code"] > 0 else "pixdim"
    if g["source"] != source:
        errs.append(f"geometry from {g['source']}, nibabel uses {source}")
    print(f"     {os.path.basename(path)}: {got.shape[::-1]} voxels, max |Δvalue| {diff:.2e}, max |Δposition| {pd:.2e} mm, {g['source']}")
    return errs


def main() -> int:
    rng = np.random.default_rng(7)
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        files = []
        img = nib.Nifti1Image(rng.uniform(-50000, 80000, size=(23, 19, 11)), affine(rotation([0.3, -0.2, 1], 25), [0.8, 0.9, 3], [-90, 60, -20]))
        img.set_data_dtype(np.int16)
        files.append(os.path.join(d, "rotated_sform_int16.nii.gz"))
        nib.save(img, files[-1])
        q = affine(rotation([1, 0.4, -0.3], 35), [1.2, 1.0, 2.0], [12, -34, 56])
        q[:3, 2] *= -1
        img = nib.Nifti1Image(rng.normal(500, 100, size=(17, 21, 9)).astype(np.float32), None)
        img.set_qform(q, code=1)
        img.set_sform(None, code=0)
        files.append(os.path.join(d, "qform_only_float32.nii"))
        nib.save(img, files[-1])
        img = nib.Nifti1Image(rng.normal(0, 1, size=(8, 9, 10)), affine(np.eye(3), [2, 2, 2], [0, 0, 0]),
                              header=nib.Nifti1Header(endianness=">"))
        img.set_data_dtype(np.float64)
        files.append(os.path.join(d, "bigendian_float64.nii"))
        nib.save(img, files[-1])
        if os.path.exists(CH2):
            files.append(CH2)
        else:
            print("     (mricron-data not installed: the ch2 T1 is not checked)")
        for f in files:
            errs = check(f)
            failures += bool(errs)
            for e in errs:
                print(f"FAIL {os.path.basename(f)}: {e}")
    print(f"nifti_nibabel: {len(files) - failures}/{len(files)} files match nibabel")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
