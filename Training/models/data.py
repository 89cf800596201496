"""Training / evaluation data for the Lightbox models, rendered in-process with the phantom
generators in Training/phantoms (unchanged), plus per-voxel lesion masks.

The generators write DICOM and a ground-truth sidecar with lesion centres and volumes, but no
masks. To train heatmaps we need masks, so this module calls the same `render()` functions the
DICOM writer uses and snapshots the volume twice while it renders (no generator edit):

  B  the anatomy just before the lesion loop          (lesion-free, noise-free)
  A  the volume just before CT noise is added         (with lesions, noise-free)
  V  the final volume                                  (exactly what the generator writes)

mask = lesion contribution (A - B, blurred like the scanner where the generator blurs).
V is then rounded/clipped and masked to the reconstruction circle as `write_ct` does, so the
pixel values equal the DICOM's HU.

Distribution shifts (evaluation only): `noise` multiplies the CT noise sigma, `contrast` scales
every lesion's contribution (V' = V + (contrast-1)(A-B)), `spacing` renders on a grid with a
different pixel spacing (same matrix, smaller field of view: anatomy looks larger in pixels).

Held-out split: training uses case indices < 40000 of the generator's `train_specs`, the
evaluation sets use indices from 50000 (in-distribution) and 60000 (shifted). Case keys, hence
anatomy seeds, never overlap.
"""
from __future__ import annotations

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
sys.path.insert(0, TRAINING)

from phantoms import head_ct, ldct  # noqa: E402
from phantoms.catalog import train_specs  # noqa: E402
from phantoms.common import gaussian_blur, rng  # noqa: E402
from phantoms.ct_series import Grid  # noqa: E402

CACHE = os.path.join(TRAINING, "generated", "model_cache")

SPLITS = {"train": 0, "tune": 45000, "val": 50000, "shifted": 60000}   # tune: recipe choice only (tune.py)
SHIFT = {"noise": 1.5, "contrast": 0.6, "spacing_factor": 0.89}


class _SnapList(list):
    """A lesion list that snapshots the caller's `vol` when the render loop starts iterating it."""
    snap = None

    def __iter__(self):
        f = sys._getframe(1)
        if _SnapList.snap is None and "vol" in f.f_locals:
            _SnapList.snap = np.array(f.f_locals["vol"], np.float32, copy=True)
        return super().__iter__()


def _render(mod, spec, grid, noise_factor=1.0):
    """Returns (V, A, B) as float32 arrays (see module doc)."""
    state = {}
    real = mod.ct_noise

    def noise(shape, sigma, r, corr_px=0.8):
        state["A"] = np.array(sys._getframe(1).f_locals["vol"], np.float32, copy=True)
        return real(shape, sigma * noise_factor, r, corr_px=corr_px)

    spec = dict(spec)
    spec["lesions"] = _SnapList(spec.get("lesions", []))
    _SnapList.snap = None
    mod.ct_noise = noise
    try:
        V, _, lesions = mod.render(spec, grid)
    finally:
        mod.ct_noise = real
    B = _SnapList.snap
    _SnapList.snap = None
    return V, state["A"], B, lesions


def _to_stored(V, grid):
    """What write_ct stores: rounded, clipped HU, air outside the reconstruction circle."""
    hu = np.clip(np.rint(V), -1024, 3071).astype(np.int16)
    _, yy, xx = grid.coords()
    fov_r = min(grid.nx, grid.ny) / 2 * grid.dx
    hu[:, ((xx[0] ** 2 + yy[0] ** 2) > fov_r ** 2)] = -1024
    return hu


def _ldct_train_lesions(i):
    """Training volumes carry 3-6 nodules, pooled from the generator's own nodule distribution
    (lesions of other training-range cases), non-overlapping."""
    r = rng("lightbox-models", "ldct-train", i)
    want = int(r.integers(3, 7))
    out, j = [], 0
    while len(out) < want and j < 60:
        spec = train_specs(1, ["ldct"], start=20000 + i * 60 + j)[0]
        j += 1
        for les in spec["lesions"]:
            c = np.array(les["center"])
            if all(np.linalg.norm(c - np.array(o["center"])) > (les["diameter"] + o["diameter"]) / 2 + 6 for o in out):
                out.append(les)
    return out[:want]


def case_spec(kind: str, split: str, i: int) -> dict:
    spec = train_specs(1, [kind], start=SPLITS[split] + i)[0]
    if kind == "ldct" and split == "train":
        spec["lesions"] = _ldct_train_lesions(i)
    return spec


def grid_for(kind: str, shifted: bool) -> Grid:
    mod = ldct if kind == "ldct" else head_ct
    g = mod.default_grid()
    if shifted:
        g = Grid(nx=g.nx, ny=g.ny, nz=g.nz, dx=g.dx * SHIFT["spacing_factor"], dz=g.dz, z0=g.z0)
    return g


def make_case(kind: str, split: str, i: int) -> dict:
    """Renders (or loads from the cache) one CT case: hu int16 [Z,H,W], mask uint8 [Z,H,W], lesions."""
    path = os.path.join(CACHE, kind, split, f"{i:05d}.npz")
    if os.path.exists(path):
        z = np.load(path, allow_pickle=True)
        return {"hu": z["hu"], "mask": z["mask"], "lesions": list(z["lesions"]), "spacing": z["spacing"]}
    mod = ldct if kind == "ldct" else head_ct
    shifted = split == "shifted"
    grid = grid_for(kind, shifted)
    spec = case_spec(kind, split, i)
    V, A, B, lesions = _render(mod, spec, grid, SHIFT["noise"] if shifted else 1.0)
    if kind == "ldct":
        D = A - gaussian_blur(B, [0.3, 0.6, 0.6])          # lesion contribution (render blurs before noise)
        mask = D > 120.0
    else:
        D = gaussian_blur(A - B, [0.0, 0.45, 0.45])          # render blurs after noise
        mask = D > 8.0
    if shifted:
        V = V + (SHIFT["contrast"] - 1.0) * D
    hu = _to_stored(V, grid)
    les = [{"center_px": l["center_px"], "k": l["instance_number"] - 1, "center_mm": l["center_mm"],
            "diameter_mm": l["diameter_mm"], "type": l["type"], "volume_ml": l.get("volume_ml")} for l in lesions]
    spacing = np.array([grid.dz, grid.dx, grid.dx], np.float32)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path + ".tmp.npz", hu=hu, mask=mask.astype(np.uint8), lesions=np.array(les, dtype=object), spacing=spacing)
    os.replace(path + ".tmp.npz", path)
    return {"hu": hu, "mask": mask.astype(np.uint8), "lesions": les, "spacing": spacing}


if __name__ == "__main__":
    import argparse
    import time
    ap = argparse.ArgumentParser(description="pre-render cases into the cache")
    ap.add_argument("--kind", required=True, choices=["ldct", "head_ct"])
    ap.add_argument("--split", required=True, choices=list(SPLITS))
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--start", type=int, default=0)
    a = ap.parse_args()
    for i in range(a.start, a.start + a.count):
        t = time.time()
        c = make_case(a.kind, a.split, i)
        print(f"{a.kind} {a.split} {i}: {len(c['lesions'])} lesions, mask {int(c['mask'].sum())} vox, "
              f"{time.time() - t:.1f} s", flush=True)
