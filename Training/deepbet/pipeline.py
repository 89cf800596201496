"""deepbet's pre- and post-processing for its 128³ bounding-box model, in numpy alone (no torch,
cc3d or fill_voids), so the conformance checks can run it with the test venv. Mirrors
deepbet 1.0.2 (deepbet/bet.py `BrainExtraction.run` / `run_model`, deepbet/utils.py `normalize`,
`keep_largest_connected_component`); export.py checks the resize against torch.

Pipeline (what the workstation has to do to wire the model in):
 1. Reorient the volume to the closest canonical RAS+ (nibabel `as_closest_canonical`: axis
    permutations and flips only, no resampling); first volume of a 4-D file; NaN → 0.
 2. Resize to 128×128×128 with torch's nearest-exact rule: source index
    min(floor((i + 0.5) · n_in / 128), n_in − 1) per axis (float32 arithmetic), regardless of voxel size.
 3. low, high = the 0.5 and 99.5 percentiles (linear interpolation) of the resized volume;
    x = clip((x − low) / (high − low), 0, 1); x = (x − mean) / std (std with N − 1, as torch);
    x = 0.226 · x + 0.449. Input tensor: float32 [1, 1, 128, 128, 128], axes (R, A, S) i.e. the
    canonical array as stored (i fastest in NIfTI, last in the C-ordered tensor).
 4. Output [1, 2, 128, 128, 128] is a softmax over (background, brain); channel 1 is the brain
    probability. Mask = p > 0.5, then the largest 26-connected component (cc3d's default).
 5. deepbet then uses that mask only for a bounding box (10 % margin each side) for its second,
    256³ model (not exported here). As a coarse brain mask at the original grid, resize the 128³
    mask back with the same nearest-exact rule.
"""
from __future__ import annotations

import numpy as np

SMALL = (128, 128, 128)


def nearest_exact_index(n_in: int, n_out: int) -> np.ndarray:
    """torch's `nearest-exact` source indices (aten upsample_nearest_exact: float32 scale)."""
    scale = np.float32(n_in) / np.float32(n_out)
    idx = np.floor((np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * scale).astype(np.int64)
    return np.minimum(idx, n_in - 1)


def resize_nearest_exact(x: np.ndarray, shape) -> np.ndarray:
    for axis, n in enumerate(shape):
        x = np.take(x, nearest_exact_index(x.shape[axis], n), axis=axis)
    return x


def canonical(img) -> np.ndarray:
    """deepbet's step 1: closest canonical (RAS+) float32 array, first volume, NaN → 0."""
    import nibabel as nib
    x = nib.as_closest_canonical(img).get_fdata(dtype=np.float32)
    x = x[..., 0] if x.ndim == 4 else x
    return np.nan_to_num(x)


def model_input(x: np.ndarray) -> np.ndarray:
    """Steps 2–3: the [1, 1, 128, 128, 128] float32 input of the bbox model."""
    small = resize_nearest_exact(x.astype(np.float32), SMALL)
    low, high = np.quantile(small, [0.005, 0.995])
    y = np.clip((small - np.float32(low)) / np.float32(high - low), 0, 1).astype(np.float32)
    y = (y - y.mean(dtype=np.float64)) / y.std(ddof=1, dtype=np.float64)
    return (0.226 * y + 0.449).astype(np.float32)[None, None]


def shifted(a: np.ndarray, d) -> np.ndarray:
    """`a` moved by offset d (zeros shifted in)."""
    out = np.zeros_like(a)
    src = tuple(slice(max(0, -k), a.shape[i] - max(0, k)) for i, k in enumerate(d))
    dst = tuple(slice(max(0, k), a.shape[i] - max(0, -k)) for i, k in enumerate(d))
    out[dst] = a[src]
    return out


OFFSETS = [(i, j, k) for i in (-1, 0, 1) for j in (-1, 0, 1) for k in (-1, 0, 1) if (i, j, k) != (0, 0, 0)]


def component_of(mask: np.ndarray, seed) -> np.ndarray:
    """The 26-connected component of `mask` holding `seed`, grown a shell at a time."""
    comp = np.zeros_like(mask)
    comp[seed] = True
    frontier = comp.copy()
    while frontier.any():
        grown = np.zeros_like(mask)
        for d in OFFSETS:
            grown |= shifted(frontier, d)
        frontier = grown & mask & ~comp
        comp |= frontier
    return comp


def largest_component(mask: np.ndarray) -> np.ndarray:
    """cc3d's largest 26-connected component (ties: the first found, in C order)."""
    left = mask.copy()
    best = np.zeros_like(mask)
    while left.sum() > best.sum():
        seed = tuple(int(v[0]) for v in np.nonzero(left))
        comp = component_of(left, seed)
        if comp.sum() > best.sum():
            best = comp
        left &= ~comp
    return best


def brain_mask_small(prob: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Step 4: the 128³ mask from the model output [1, 2, 128, 128, 128]."""
    return largest_component(prob[0, 1] > threshold)


def dice(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.astype(bool), b.astype(bool)
    return float(2 * (a & b).sum() / max(1, a.sum() + b.sum()))
