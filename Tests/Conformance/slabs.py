#!/usr/bin/env python3
"""Conformance check of thick slabs (issue 21; run by `make test`; env LIGHTBOX = our binary).

On the sample low-dose CT (SampleStudies/05_LDCT_YAMADA_2026), for 10 mm slabs in the axial,
coronal and sagittal planes and the MIP, MinIP and AvgIP projections, this script computes the slab
itself with pydicom + numpy and compares it, pixel by pixel, with `lightbox export-png` of the same
folder (max abs difference ≤ 1 grey level):

  * HU volume: pydicom's pixel_array × RescaleSlope + RescaleIntercept, slices sorted by Image
    Position (Patient) projected on the normal of Image Orientation (Patient);
  * the slab rule (docs/WORKSTATION.md, Imaging's SlabRule), written out here on its own: a slab
    centred on plane N with thickness T mm takes every plane whose centre lies within ±T/2 of
    plane N's (inclusive, 1e-3 mm tolerance) — axially from the slice positions, stopping at a gap
    (a neighbour step > 1.5 × the median step); coronally rows |r − N| × PixelSpacing[0] ≤ T/2;
    sagittally columns |c − N| × PixelSpacing[1] ≤ T/2; cut at the edges of the volume;
  * layout: coronal and sagittal planes with the last (most superior) slice as the top row;
  * window: the centre slice's first Window Center / Width (LINEAR, PS3.3 C.11.2.1.2.1), the same
    window the PNG uses when --window is not given; and once more with an explicit --window.

Also: a slab of a plane near the edge of the volume, an axial slab beside a gap (the series copied
without two slices), and clear errors (exit ≠ 0, a message naming
the problem) for a negative thickness, an unknown projection and a slab of a single image.
The PNG is decoded here with zlib (not libpng, which lightbox uses). Prints `slabs: N passed,
M failed`; exits 1 on any failure. Without LIGHTBOX set, it fails (`make test` builds it first).
"""
from __future__ import annotations

import glob
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np
import pydicom

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SERIES = os.path.join(os.environ.get("SAMPLE_STUDIES", os.path.join(ROOT, "SampleStudies")), "05_LDCT_YAMADA_2026")
THICKNESS = 10.0
TOLERANCE_MM = 1e-3
GAP_FACTOR = 1.5


def read_png_grey(path: str) -> np.ndarray:
    """An 8-bit grey, non-interlaced PNG (what export-png writes for CT) → uint8 array."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour == 0 and interlace == 0, f"PNG depth {depth} colour {colour}"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    out = np.zeros((height, width), np.int32)
    prev = np.zeros(width, np.int32)
    stride = width + 1
    for y in range(height):
        f, line = raw[y * stride], np.frombuffer(raw[y * stride + 1:(y + 1) * stride], np.uint8).astype(np.int32)
        cur = np.zeros(width, np.int32)
        for x in range(width):
            a = cur[x - 1] if x else 0
            b = prev[x]
            c = prev[x - 1] if x else 0
            if f == 0:
                p = 0
            elif f == 1:
                p = a
            elif f == 2:
                p = b
            elif f == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + p) & 0xFF
        out[y] = cur
        prev = cur
    return out.astype(np.uint8)


def load_series(folder):
    dss = [pydicom.dcmread(p) for p in sorted(glob.glob(os.path.join(folder, "*.dcm")))]
    iop = np.array([float(v) for v in dss[0].ImageOrientationPatient])
    normal = np.cross(iop[:3], iop[3:])
    keyed = sorted(dss, key=lambda d: float(np.dot(normal, [float(v) for v in d.ImagePositionPatient])))
    positions = np.array([float(np.dot(normal, [float(v) for v in d.ImagePositionPatient])) for d in keyed])
    hu = np.stack([d.pixel_array.astype(np.float64) * float(getattr(d, "RescaleSlope", 1))
                   + float(getattr(d, "RescaleIntercept", 0)) for d in keyed])
    return keyed, positions, hu


def slab_indices(plane, n, count, positions, spacing, thickness):
    """The planes a slab of `thickness` mm centred on n takes (the rule above, written out)."""
    half = thickness / 2 + TOLERANCE_MM
    if plane != "axial":
        return [k for k in range(count) if abs(k - n) * spacing <= half]
    steps = np.diff(positions)
    median = float(np.sort(steps)[len(steps) // 2])
    gap = lambda after: median > 1e-6 and steps[after] > GAP_FACTOR * median  # noqa: E731
    lo = hi = n
    while lo > 0 and not gap(lo - 1) and abs(positions[n] - positions[lo - 1]) <= half:
        lo -= 1
    while hi < len(positions) - 1 and not gap(hi) and abs(positions[hi + 1] - positions[n]) <= half:
        hi += 1
    return list(range(lo, hi + 1))


def expected_plane(hu, positions, ps, plane, n, projection, thickness=THICKNESS):
    slices, rows, cols = hu.shape
    if plane == "axial":
        idx = slab_indices(plane, n, slices, positions, None, thickness)
        stack = hu[idx]                                # (k, rows, cols)
    elif plane == "coronal":
        idx = slab_indices(plane, n, rows, positions, ps[0], thickness)
        stack = hu[::-1, idx, :].transpose(1, 0, 2)    # (k, slices top = superior, cols)
    else:
        idx = slab_indices(plane, n, cols, positions, ps[1], thickness)
        stack = hu[::-1, :, idx].transpose(2, 0, 1)    # (k, slices, rows)
    reduce = {"mip": np.max, "minip": np.min, "avg": np.mean}[projection]
    return reduce(stack, axis=0), idx


def window_linear(x, center, width):
    """PS3.3 C.11.2.1.2.1 LINEAR → 0…255, rounded."""
    w = max(width, 1.0)
    lower, upper = center - 0.5 - (w - 1) / 2, center - 0.5 + (w - 1) / 2
    u = np.where(x <= lower, 0.0, np.where(x > upper, 1.0, (x - (center - 0.5)) / (w - 1) + 0.5))
    return np.clip(np.round(u * 255), 0, 255)


def first(v):
    return float(v[0]) if isinstance(v, pydicom.multival.MultiValue) else float(v)


def main() -> int:
    exe = os.environ.get("LIGHTBOX")
    if not exe:
        print("FAIL LIGHTBOX not set (build with swift build -c release)")
        print("slabs: 0 passed, 1 failed")
        return 1
    exe = exe if os.path.isabs(exe) else os.path.join(ROOT, exe)
    keyed, positions, hu = load_series(SERIES)
    ps = [float(v) for v in keyed[0].PixelSpacing]
    print(f"# {os.path.basename(SERIES)}: {hu.shape[0]} slices {hu.shape[2]}×{hu.shape[1]}, "
          f"steps {sorted(set(np.round(np.diff(positions), 3)))} mm, pixel spacing {ps}")
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name}: {detail}")

    work = tempfile.mkdtemp(prefix="lightbox_slabs_")
    try:
        cases = [(p, None, proj, None) for p in ("axial", "coronal", "sagittal") for proj in ("mip", "minip", "avg")]
        cases += [("axial", 1, "mip", None), ("sagittal", 3, "avg", None), ("coronal", 100, "minip", "40/400")]
        for plane, slice_, proj, window in cases:
            count = {"axial": hu.shape[0], "coronal": hu.shape[1], "sagittal": hu.shape[2]}[plane]
            n = count // 2 if slice_ is None else slice_
            want_hu, idx = expected_plane(hu, positions, ps, plane, n, proj)
            centre = keyed[n if plane == "axial" else len(keyed) // 2]
            if window:
                c, w = (float(v) for v in window.split("/"))
            else:
                c, w = first(centre.WindowCenter), first(centre.WindowWidth)
            want = window_linear(want_hu, c, w)
            png = os.path.join(work, f"{plane}_{n}_{proj}.png")
            args = [exe, "export-png", SERIES, "--out", png, "--plane", plane, "--slab", str(THICKNESS),
                    "--projection", proj, "--slice", str(n)] + (["--window", window] if window else [])
            p = subprocess.run(args, capture_output=True, text=True, timeout=300)
            name = f"{plane} {n} {proj} {THICKNESS:g} mm ({len(idx)} planes {idx[0]}…{idx[-1]}, window {c:g}/{w:g})"
            if p.returncode != 0:
                check(name, False, f"exit {p.returncode}: {p.stderr.strip()[:300]}")
                continue
            got = read_png_grey(png).astype(np.int32)
            if got.shape != want.shape:
                check(name, False, f"PNG is {got.shape}, expected {want.shape}")
                continue
            diff = np.abs(got - want.astype(np.int32))
            # Sensitivity: in how many pixels the plain centre plane differs from the slab.
            plain = window_linear(hu[n] if plane == "axial" else hu[::-1, n, :] if plane == "coronal" else hu[::-1, :, n], c, w)
            check(f"{name} max |Δ| {diff.max()} (plain plane differs in {int((np.abs(plain - want) > 1).sum())} px)",
                  diff.max() <= 1, f"max |Δ| = {diff.max()} grey levels at {np.unravel_index(diff.argmax(), diff.shape)}")

        # A gap: the same series without two slices (a 7.5 mm step among 2.5 mm ones). The axial
        # slab next to it must stop at the gap, as the rule says.
        gapped = os.path.join(work, "gapped")
        os.makedirs(gapped)
        for k, d in enumerate(keyed):
            if k not in (44, 45):
                shutil.copy(d.filename, gapped)
        gkeyed, gpos, ghu = load_series(gapped)
        n = 44   # the old slice 46, first above the gap; 20 mm (±10) would reach the slice 7.5 mm below
        want_hu, idx = expected_plane(ghu, gpos, ps, "axial", n, "mip", thickness=20.0)
        c, w = first(gkeyed[n].WindowCenter), first(gkeyed[n].WindowWidth)
        png = os.path.join(work, "gap.png")
        p = subprocess.run([exe, "export-png", gapped, "--out", png, "--slab", "20", "--slice", str(n)],
                           capture_output=True, text=True, timeout=300)
        reaches = abs(gpos[n] - gpos[n - 1]) <= 10   # the slice across the gap lies within ±T/2
        ok = p.returncode == 0 and idx[0] == n and reaches
        diff = np.abs(read_png_grey(png).astype(np.int32) - window_linear(want_hu, c, w).astype(np.int32)) if ok else np.array([99])
        check(f"axial mip 20 mm beside a gap takes slices {idx[0]}…{idx[-1]}, not {n - 1} across it, max |Δ| {diff.max()}",
              ok and diff.max() <= 1, f"exit {p.returncode} {p.stderr.strip()[:200]}, slices {idx}, reaches {reaches}")

        def refused(name, args, words):
            p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=120)
            msg = (p.stderr + p.stdout).lower()
            check(name, p.returncode != 0 and all(wd in msg for wd in words),
                  f"exit {p.returncode}, message {msg.strip()[:200]!r}")

        out = os.path.join(work, "bad.png")
        refused("negative thickness is refused", ["export-png", SERIES, "--out", out, "--slab", "-5"], ["--slab", "millimetres"])
        refused("unknown projection is refused", ["export-png", SERIES, "--out", out, "--slab", "10", "--projection", "max"],
                ["projection", "max"])
        refused("unknown plane is refused", ["render", SERIES, "--slab", "10", "--plane", "oblique"], ["plane", "oblique"])
        single = os.path.join(work, "single")
        os.makedirs(single)
        shutil.copy(keyed[0].filename, single)
        refused("a slab of a single image is refused", ["export-png", single, "--out", out, "--slab", "10"], ["single image"])
        p = subprocess.run([exe, "render", SERIES, "--slab", "10", "--projection", "mip", "--plane", "coronal",
                            "--size", "60x20", "--protocol", "blocks"], capture_output=True, timeout=300)
        check("render draws a coronal MIP slab in the terminal", p.returncode == 0 and len(p.stdout) > 1000,
              f"exit {p.returncode}, {len(p.stdout)} bytes, {p.stderr[:200]!r}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"slabs: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
