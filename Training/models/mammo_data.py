"""Mammography views for training / evaluation, rendered in-process with
Training/phantoms/mammography.render_view (unchanged), with a lesion mask per view.

The mask comes from rendering the view twice: with the exam's lesions and with none. The anatomy,
lesion and quantum-noise generators are keyed independently, so the difference is exactly the
lesions' contribution (plus a negligible change of the signal-dependent noise amplitude).

Shifted set (evaluation only): noise raised to 1.5x (extra Gaussian noise of the generator's
signal-dependent sigma x sqrt(1.5^2 - 1)), lesion contrast x0.6, and pixel spacing 0.2/0.89 mm
with the same matrix (the image is shrunk by 0.89 about the chest wall and padded with air).

The model sees each view beside the same view of the other breast (`paired_input`): the
generator's breasts are near mirror images, so an asymmetry shows by comparison.

Cached at the model resolution (area average of the 1000x800 view to 256x208); raw stored
values (12-bit, MONOCHROME2) are kept, normalisation is the model's preprocessing."""
from __future__ import annotations

import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from phantoms import mammography as mg  # noqa: E402
from phantoms.catalog import train_specs  # noqa: E402
from phantoms.common import rng  # noqa: E402

from data import CACHE, SHIFT, SPLITS  # noqa: E402

SIZE = (256, 208)


def _area(img, size=SIZE, mode="avg"):
    t = torch.from_numpy(np.ascontiguousarray(img, dtype=np.float32))[None, None]
    t = F.adaptive_avg_pool2d(t, size) if mode == "avg" else F.adaptive_max_pool2d(t, size)
    return t[0, 0].numpy()


def _shrink(img, side, fill, factor):
    """Resample by `factor` (<1: smaller) about the chest wall edge and vertical centre."""
    H, W = img.shape
    h, w = int(round(H * factor)), int(round(W * factor))
    t = torch.from_numpy(img.astype(np.float32))[None, None]
    s = F.interpolate(t, size=(h, w), mode="bilinear", align_corners=False)[0, 0].numpy()
    out = np.full((H, W), fill, np.float32)
    r0 = (H - h) // 2
    c0 = W - w if side == "R" else 0
    out[r0:r0 + h, c0:c0 + w] = s
    return out


def make_exam(split: str, i: int) -> list[dict]:
    """Four views: dict(img [256,208] float32 raw, mask [256,208] uint8, malignant, lesions, view)."""
    path = os.path.join(CACHE, "mammography", split, f"{i:05d}.npz")
    if os.path.exists(path):
        z = np.load(path, allow_pickle=True)
        return list(z["views"])
    spec = train_specs(1, ["mammography"], start=SPLITS[split] + i)[0]
    anatomy = spec.get("anatomy", {})
    les = spec.get("lesions", [])
    shifted = split == "shifted"
    out = []
    for view in mg.VIEWS:
        name, side = view[0], view[1]
        img, _, apps = mg.render_view(view, anatomy, spec["key"], spec["key"], les)
        img = img.astype(np.float32)
        if apps:
            base, _, _ = mg.render_view(view, anatomy, spec["key"], spec["key"], [])
            base = base.astype(np.float32)
            diff = img - base
        else:
            base, diff = img, np.zeros_like(img)
        mask = diff > 60.0
        if shifted:
            img = base + SHIFT["contrast"] * diff
            A = np.clip((img - 90.0) / 3000.0, 0, None)
            sig = (3.0 + 9.0 * np.sqrt(A)) * np.sqrt(SHIFT["noise"] ** 2 - 1)
            rn = rng("lightbox-models", "mammo-shift", i, name)
            img = np.clip(np.rint(img + rn.normal(0, 1, img.shape) * sig), 0, 4095)
            img = _shrink(img, side, 90.0, SHIFT["spacing_factor"])
            mask = _shrink(mask.astype(np.float32), side, 0.0, SHIFT["spacing_factor"]) > 0.5
        out.append({"view": name, "img": _area(img), "mask": (_area(mask.astype(np.float32), mode="max") > 0).astype(np.uint8),
                    "malignant": any(a[0].get("malignant", False) for a in apps),
                    "lesions": [{"type": a[0]["type"], "malignant": bool(a[0].get("malignant", False)),
                                 "center_px": a[2], "box_px": a[3]} for a in apps],
                    "pixel_spacing_mm": mg.SP / (SHIFT["spacing_factor"] if shifted else 1.0)})
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path + ".tmp.npz", views=np.array(out, dtype=object))
    os.replace(path + ".tmp.npz", path)
    return out


def malignant_region(view, margin=2):
    """uint8 [256,208]: 1 inside the (model-resolution) bounding box of a malignant lesion, plus
    `margin` pixels. Masked by the lesion mask, it is the malignancy heatmap's training target."""
    H, W = SIZE
    sy, sx = H / mg.ROWS, W / mg.COLS
    out = np.zeros(SIZE, np.uint8)
    for les in view["lesions"]:
        if les["malignant"]:
            c0, r0, c1, r1 = les["box_px"]
            out[max(0, int(r0 * sy) - margin):int(np.ceil(r1 * sy)) + margin + 1,
                max(0, int(c0 * sx) - margin):int(np.ceil(c1 * sx)) + margin + 1] = 1
    return out


def normalise(img):
    """Card preprocessing after the area resample: percentiles [1, 99.5] of the image -> [0, 1]."""
    lo, hi = np.percentile(img, [1.0, 99.5])
    return np.clip((img - lo) / max(hi - lo, 1e-6), 0, 1).astype(np.float32)


# The same view of the other breast: the model's second input channel.
CONTRALATERAL = {"RCC": "LCC", "LCC": "RCC", "RMLO": "LMLO", "LMLO": "RMLO"}


def paired_input(views, j, solo=False):
    """float32 [2, 256, 208] for views[j]: channel 0 the normalised view, channel 1 the normalised
    same view of the other breast mirrored left-right, so the two chest walls line up (left and
    right views are stored mirrored). `solo` (no contralateral view): channel 1 repeats the view
    itself, unmirrored, which is what the workstation feeds when the other breast's view is
    missing."""
    x = normalise(views[j]["img"])
    if solo:
        return np.stack([x, x])
    other = next(v for v in views if v["view"] == CONTRALATERAL[views[j]["view"]])
    return np.stack([x, normalise(other["img"])[:, ::-1]])


if __name__ == "__main__":
    import argparse
    import time
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", required=True, choices=list(SPLITS))
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--start", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    for i in range(a.start, a.start + a.count):
        t = time.time()
        v = make_exam(a.split, i)
        print(f"mammography {a.split} {i}: {sum(len(x['lesions']) for x in v)} appearances, "
              f"{sum(x['malignant'] for x in v)} malignant views, {time.time() - t:.1f} s", flush=True)
