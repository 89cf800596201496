"""PA chest radiographs for training / evaluation, rendered in-process with
Training/phantoms/chest_radiograph.render (unchanged), with a lesion mask per image.

The mask is the lesions' own contribution, taken from one render (no second, lesion-free render):
the attenuation image A is snapshotted when the render's lesion loop starts (anatomy only) and
again when it is blurred just before the quantum noise (anatomy + lesions). The generator then
stores 120 + 5200 * blur(A) + noise, so the lesions add D = 5200 * blur(A_with - A_without) to
the stored value; mask = D > 60 (the mammography threshold). The anatomy and noise generators do
not depend on the lesion list, so D is exactly what the lesions change.

Shifted set (evaluation only): quantum noise raised to 1.5x (extra Gaussian noise of the
generator's signal-dependent sigma x sqrt(1.5^2 - 1)), lesion contrast x0.6 (value - 0.4 D), and
pixel spacing 0.4/0.89 mm with the same 1024 matrix (the image is shrunk by 0.89 about its centre
and padded with air, 120).

Cached at the model resolution (4x4 area average of the 1024x1024 image to 256x256); raw stored
values (12-bit, MONOCHROME2) are kept, normalisation is the model's preprocessing (the same
percentile normalisation as the mammography model, see `normalise`)."""
from __future__ import annotations

import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from phantoms import chest_radiograph as cx  # noqa: E402
from phantoms.catalog import train_specs  # noqa: E402
from phantoms.common import rng  # noqa: E402

from data import CACHE, SHIFT, SPLITS  # noqa: E402

SIZE = (256, 256)
GAIN = 5200.0          # stored value = 120 + GAIN * blurred attenuation + noise (chest_radiograph.render)
AIR = 120.0
MASK_MIN = 60.0        # stored-value units, as mammography


class _SnapList(list):
    """A lesion list that snapshots the render's attenuation image `A` when the lesion loop starts."""
    snap = None

    def __iter__(self):
        f = sys._getframe(1)
        if _SnapList.snap is None and "A" in f.f_locals:
            _SnapList.snap = np.array(f.f_locals["A"], np.float32, copy=True)
        return super().__iter__()


def render_with_mask(spec):
    """(img float32 [1024,1024] as stored, D float32 lesion contribution, lesions) from one render."""
    spec = dict(spec)
    spec["lesions"] = _SnapList(spec.get("lesions", []))
    _SnapList.snap = None
    real = cx.gaussian_blur
    state = {}

    def blur(a, sigma):
        if "A" not in state:          # the render's one blur: anatomy + lesions, just before the noise
            state["A"] = np.array(a, np.float32, copy=True)
        return real(a, sigma)

    cx.gaussian_blur = blur
    try:
        img, _, _, lesions = cx.render(spec)
    finally:
        cx.gaussian_blur = real
    base = _SnapList.snap
    _SnapList.snap = None
    if lesions:
        D = GAIN * real(state["A"] - base, 1.0)
    else:
        D = np.zeros(img.shape, np.float32)
    return img.astype(np.float32), D, lesions


def _area(img, size=SIZE, mode="avg"):
    t = torch.from_numpy(np.ascontiguousarray(img, dtype=np.float32))[None, None]
    t = F.adaptive_avg_pool2d(t, size) if mode == "avg" else F.adaptive_max_pool2d(t, size)
    return t[0, 0].numpy()


def _shrink(img, fill, factor):
    """Resample by `factor` (<1: smaller) about the image centre, pad with `fill`."""
    H, W = img.shape
    h, w = int(round(H * factor)), int(round(W * factor))
    t = torch.from_numpy(img.astype(np.float32))[None, None]
    s = F.interpolate(t, size=(h, w), mode="bilinear", align_corners=False)[0, 0].numpy()
    out = np.full((H, W), fill, np.float32)
    r0, c0 = (H - h) // 2, (W - w) // 2
    out[r0:r0 + h, c0:c0 + w] = s
    return out, r0, c0


def make_image(split: str, i: int) -> dict:
    """dict(img [256,256] float32 raw stored values, mask [256,256] uint8, lesions (full-resolution
    centre_px / box_px, mapped through the shrink on the shifted set), abnormal, pixel_spacing_mm)."""
    path = os.path.join(CACHE, "chest_radiograph", split, f"{i:05d}.npz")
    if os.path.exists(path):
        z = np.load(path, allow_pickle=True)
        return z["image"].item()
    spec = train_specs(1, ["chest_radiograph"], start=SPLITS[split] + i)[0]
    img, D, lesions = render_with_mask(spec)
    mask = D > MASK_MIN
    les = [{"type": l["type"], "malignant": bool(l["malignant"]), "diameter_mm": float(l["diameter_mm"]),
            "center_px": [float(v) for v in l["center_px"]], "box_px": [float(v) for v in l["box_px"]]}
           for l in lesions]
    spacing = cx.SP
    if split == "shifted":
        f = SHIFT["spacing_factor"]
        img = img + (SHIFT["contrast"] - 1.0) * D
        A = np.clip((img - AIR) / GAIN, 0, None)
        sig = (4.0 + 10.0 * np.sqrt(A)) * np.sqrt(SHIFT["noise"] ** 2 - 1)
        rn = rng("lightbox-models", "cxr-shift", i)
        img = np.clip(np.rint(img + rn.normal(0, 1, img.shape) * sig), 0, 4095)
        img, r0, c0 = _shrink(img, AIR, f)
        mask, _, _ = _shrink(mask.astype(np.float32), 0.0, f)
        mask = mask > 0.5
        # a pixel centre u maps to (u + 0.5) * f - 0.5 + offset under bilinear resampling
        for l in les:
            cxp, cyp = l["center_px"]
            l["center_px"] = [(cxp + 0.5) * f - 0.5 + c0, (cyp + 0.5) * f - 0.5 + r0]
            b = l["box_px"]
            l["box_px"] = [(b[0] + 0.5) * f - 0.5 + c0, (b[1] + 0.5) * f - 0.5 + r0,
                            (b[2] + 0.5) * f - 0.5 + c0, (b[3] + 0.5) * f - 0.5 + r0]
        spacing = cx.SP / f
    out = {"img": _area(img), "mask": (_area(mask.astype(np.float32), mode="max") > 0).astype(np.uint8),
           "lesions": les, "abnormal": len(les) > 0, "pixel_spacing_mm": float(spacing),
           "full_size": [cx.N, cx.N]}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path + ".tmp.npz", image=np.array(out, dtype=object))
    os.replace(path + ".tmp.npz", path)
    return out


def normalise(img):
    """Card preprocessing after the area resample (and MONOCHROME1 inversion):
    percentiles [1, 99.5] of the image -> [0, 1]."""
    lo, hi = np.percentile(img, [1.0, 99.5])
    return np.clip((img - lo) / max(hi - lo, 1e-6), 0, 1).astype(np.float32)


if __name__ == "__main__":
    import argparse
    import time
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", required=True, choices=list(SPLITS))
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--step", type=int, default=1, help="render every step-th case (parallel workers)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    for i in range(a.start, a.start + a.count, a.step):
        t = time.time()
        v = make_image(a.split, i)
        print(f"chest_radiograph {a.split} {i}: {len(v['lesions'])} lesions, mask {int(v['mask'].sum())} px, "
              f"{time.time() - t:.1f} s", flush=True)
