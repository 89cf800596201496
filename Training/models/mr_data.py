"""Training / evaluation data for the brain-MR acute stroke model (mr_stroke), rendered in-process
by Training/phantoms/brain_mr.py, with the acute-infarct mask on the DWI grid.

Cases: random stroke-protocol specs keyed by the split's case index (train 0.., tune 45000..,
val 50000.., shifted 60000.., as data.SPLITS; keys never overlap): about 30 % without an acute
infarct; otherwise one acute infarct in a random territory (brain_mr.TERRITORIES) with a volume
log-uniform in 0.5-40 mL and an onset log-uniform in 0.5-24 h (so about half are under 4.5 h, the
DWI-FLAIR mismatch boundary); 0-2 chronic infarcts in other territories (1-15 mL) and 0-4
white-matter hyperintensities (mimics: FLAIR bright, not diffusion restricted).

Mask: the generator renders each slice as the mean of 5 samples through the slice thickness; the
mask is "at least half of a voxel's samples lie inside an acute infarct" (brain_mr.images(...,
acute_fraction=True): the generator's own geometry, no thresholding of intensities). Volumes in
the lesion records are the generator's ground truth (brain_mr.lesion_truth, 0.5 mm grid).

Stored values are what the DICOM writer stores (rounded, clipped to 0..4095, uint16): DWI b1000,
ADC (10^-6 mm^2/s) on the DWI grid, FLAIR on its own grid (slices offset by 1.5 mm). T1 is not
rendered (it is last in the noise stream, so the others are unchanged).

Shifted set (evaluation only): the generator's noise (spec `noise`) x1.5, the acute infarct's
contrast x0.6 in every sequence (spec `acute_contrast`: each property's acute gain g becomes
1 + 0.6 (g - 1), so DWI brightening, ADC drop and FLAIR rise all shrink), and pixel spacing x0.89
with the same 128 matrix (spec `fov` 230 x 0.89 mm).
"""
from __future__ import annotations

import collections
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
sys.path.insert(0, TRAINING)
sys.path.insert(0, HERE)

from phantoms import brain_mr  # noqa: E402
from phantoms.common import rng  # noqa: E402
from data import CACHE as _CACHE, SHIFT, SPLITS  # noqa: E402

CACHE = os.path.join(_CACHE, "brain_mr")
TERRITORIES = sorted(brain_mr.TERRITORIES)
NOISE = 0.025            # the generator's default (spec `noise`)
MASK_FRACTION = 0.5      # a voxel is infarct when >= this fraction of its through-slice samples are


def case_spec(split: str, i: int) -> dict:
    idx = SPLITS[split] + i
    r = rng("lightbox-models", "mr-stroke", idx)
    lesions, used = [], set()
    if r.uniform() >= 0.3:
        terr = TERRITORIES[int(r.integers(len(TERRITORIES)))]
        lesions.append({"type": "acute_infarct", "territory": terr,
                        "volume_ml": round(float(np.exp(r.uniform(np.log(0.5), np.log(40.0)))), 3),
                        "onset_hours": round(float(np.exp(r.uniform(np.log(0.5), np.log(24.0)))), 2)})
        used.add(terr)
    for _ in range(int(r.choice(3, p=[0.6, 0.3, 0.1]))):
        free = [t for t in TERRITORIES if t not in used]
        terr = free[int(r.integers(len(free)))]
        used.add(terr)
        lesions.append({"type": "chronic_infarct", "territory": terr,
                        "volume_ml": round(float(np.exp(r.uniform(np.log(1.0), np.log(15.0)))), 3)})
    for _ in range(int(r.integers(0, 5))):
        side = 1.0 if r.uniform() < 0.5 else -1.0
        lesions.append({"type": "wmh", "center": [round(side * r.uniform(10, 28), 2), round(r.uniform(-30, 30), 2),
                                                  round(r.uniform(44, 66), 2)],
                        "axes": [round(float(v), 2) for v in r.uniform(2.0, 5.0, 3)]})
    spec = {"key": f"lightbox-models/mr-stroke/{idx}", "lesions": lesions, "noise": NOISE}
    if split == "shifted":
        spec.update(noise=NOISE * SHIFT["noise"], acute_contrast=SHIFT["contrast"],
                    fov=brain_mr.FOV * SHIFT["spacing_factor"])
    return spec


def _stored(v):
    return np.clip(np.rint(v), 0, 4095).astype(np.uint16)


def make_case(split: str, i: int) -> dict:
    """Renders (or loads from the cache) one study: b1000, adc, flair uint16 [Z,H,W] as stored,
    their slice positions (mm along the normal), mask uint8 [Z,H,W] on the DWI grid, near uint8
    (any through-slice sample inside an acute infarct), spacing (dz, dy, dx) of the DWI grid,
    lesions (the acute infarct, 0 or 1) and mimics (chronic infarcts and WMH, counts)."""
    path = os.path.join(CACHE, split, f"{i:05d}.npz")
    if os.path.exists(path):
        z = np.load(path, allow_pickle=True)
        out = {k: z[k] for k in z.files if k not in ("lesions", "mimics")}
        out["lesions"] = list(z["lesions"])
        out["mimics"] = z["mimics"].item()
        return out
    spec = case_spec(split, i)
    head, imgs = brain_mr.images(spec, only=("DWI", "ADC", "FLAIR"), acute_fraction=True)
    g, a, f = imgs["DWI"], imgs["ADC"], imgs["FLAIR"]
    frac = g["acute_fraction"]
    lesions = []
    for les in head.lesions:
        if les["type"] != "acute_infarct":
            continue
        t = brain_mr.lesion_truth(head, les, g, collections.defaultdict(str), False)
        lesions.append({"type": les["type"], "territory": les["territory"], "volume_ml": t["volume_ml"],
                        "spec_volume_ml": les["volume_ml"], "onset_hours": les["onset_hours"],
                        "dwi_flair_mismatch": t["dwi_flair_mismatch"], "center_mm": t["center_mm"],
                        "center_px": t["center_px"],
                        "k": int(round((t["center_mm"][2] - g["z0"]) / g["thickness"]))})
    mimics = {"chronic_infarct": sum(l["type"] == "chronic_infarct" for l in head.lesions),
              "wmh": sum(l["type"] == "wmh" for l in head.lesions)}
    nz = g["b1000"].shape[0]
    out = {"b1000": _stored(g["b1000"]), "adc": _stored(a["adc"]), "flair": _stored(f["image"]),
           "dwi_z": (g["z0"] + np.arange(nz) * g["thickness"]).astype(np.float64),
           "adc_z": (a["z0"] + np.arange(a["adc"].shape[0]) * a["thickness"]).astype(np.float64),
           "flair_z": (f["z0"] + np.arange(f["image"].shape[0]) * f["thickness"]).astype(np.float64),
           "mask": (frac >= MASK_FRACTION).astype(np.uint8), "near": (frac > 0).astype(np.uint8),
           "spacing": np.array([g["thickness"], g["dx"], g["dx"]], np.float32)}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path + ".tmp.npz", lesions=np.array(lesions, dtype=object), mimics=np.array(mimics, dtype=object), **out)
    os.replace(path + ".tmp.npz", path)
    out["lesions"], out["mimics"] = lesions, mimics
    return out


# ---------------------------------------------------------------- the model's input (card: preprocessing)

def reference_intensity(vol) -> float:
    """ref = median of the voxels of the whole stored series volume that are > 0.1 x its 99th
    percentile (numpy defaults: linear interpolation)."""
    v = np.asarray(vol, np.float64).ravel()
    return float(np.median(v[v > 0.1 * np.percentile(v, 99)]))


def to_grid(vol, src_z, dst_z):
    """Linear interpolation along the slice normal from slices at src_z to positions dst_z,
    between the two nearest source slices, clamped at the ends."""
    vol = np.asarray(vol, np.float32)
    order = np.argsort(src_z, kind="stable")
    zs, vol = np.asarray(src_z, np.float64)[order], vol[order]
    out = np.empty((len(dst_z),) + vol.shape[1:], np.float32)
    for k, z in enumerate(dst_z):
        if z <= zs[0]:
            out[k] = vol[0]
        elif z >= zs[-1]:
            out[k] = vol[-1]
        else:
            j = int(np.searchsorted(zs, z, side="right")) - 1
            w = np.float32((z - zs[j]) / (zs[j + 1] - zs[j]))
            out[k] = (np.float32(1) - w) * vol[j] + w * vol[j + 1]
    return out


def model_input(c) -> np.ndarray:
    """One study -> [Z, 3, 128, 128] float32, one item per DWI b1000 slice: channel 0 b1000 / ref,
    1 ADC / 1000, 2 FLAIR / ref (ADC and FLAIR interpolated to the b1000 slice positions), all
    clipped to [0, 4]. (Matrices other than 128 would be resampled in-plane first; the phantoms
    are 128.)"""
    b = np.asarray(c["b1000"], np.float32) / np.float32(reference_intensity(c["b1000"]))
    adc = to_grid(c["adc"], c["adc_z"], c["dwi_z"]) / np.float32(1000.0)
    fl = to_grid(c["flair"], c["flair_z"], c["dwi_z"]) / np.float32(reference_intensity(c["flair"]))
    return np.clip(np.stack([b, adc, fl], 1), 0.0, 4.0).astype(np.float32)


if __name__ == "__main__":
    import argparse
    import time
    ap = argparse.ArgumentParser(description="pre-render brain MR stroke cases into the cache")
    ap.add_argument("--split", required=True, choices=list(SPLITS))
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--start", type=int, default=0)
    a = ap.parse_args()
    for i in range(a.start, a.start + a.count):
        t = time.time()
        c = make_case(a.split, i)
        les = ", ".join(f"{l['territory']} {l['volume_ml']} mL {l['onset_hours']} h" for l in c["lesions"]) or "none"
        print(f"mr {a.split} {i}: acute {les}; mask {int(c['mask'].sum())} vox; {c['mimics']}; "
              f"{time.time() - t:.1f} s", flush=True)
