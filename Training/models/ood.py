"""Out-of-distribution scores for trust.py: Mahalanobis distance on the model's `features` output
(the detector the cards carry), and the two alternatives it was compared with on the tuning split
(heatmap free energy / max score, and Mahalanobis on input statistics); plus the proxy OOD inputs
used for that comparison (other tasks' phantoms, simple corruptions of tuning images).

A unit is what the model reads in one go (a CT slice stack, a mammography view with its partner,
a radiograph); a run is a series read by one model. A run is out of distribution when the MEDIAN
of its units' distances exceeds the threshold."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


# ------------------------------------------------------------------ Mahalanobis

def ledoit_wolf(X):
    """Ledoit-Wolf shrinkage covariance of the rows of X (the closed form sklearn uses).
    Returns (mean, covariance, shrinkage)."""
    X = np.asarray(X, np.float64)
    n, p = X.shape
    mean = X.mean(0)
    Xc = X - mean
    emp = Xc.T @ Xc / n
    mu = np.trace(emp) / p
    X2 = Xc ** 2
    beta_ = np.sum(X2.T @ X2)
    delta_ = np.sum(emp ** 2)
    beta = (beta_ / n - delta_) / (p * n)
    delta = (delta_ - 2 * mu * np.trace(emp) + p * mu ** 2) / p
    beta = min(beta, delta)
    s = 0.0 if beta == 0 else beta / delta
    cov = (1 - s) * emp + s * mu * np.eye(p)
    return mean, cov, float(s)


class Mahalanobis:
    """sqrt(d^T P d), d = x - mean, P = inverse of a Ledoit-Wolf shrinkage covariance of the fit
    rows. The shrinkage is done on the standardised features (each divided by its standard
    deviation, floored at 1e-3 of the median one), i.e. towards a diagonal covariance rather than a
    multiple of the identity, so a few high-variance features do not swamp the others; P is then
    expressed in the raw feature space: P = S^-1 C^-1 S^-1 (S = diag of the standard deviations)."""

    def __init__(self, X):
        X = np.asarray(X, np.float64)
        sd = X.std(0)
        sd = np.maximum(sd, 1e-3 * np.median(sd[sd > 0]) if (sd > 0).any() else 1.0)
        mean, corr, self.shrinkage = ledoit_wolf(X / sd)
        self.mean = mean * sd
        inv = np.linalg.inv(corr)
        self.precision = inv / sd[:, None] / sd[None, :]
        self.precision = (self.precision + self.precision.T) / 2

    def rounded(self, digits=7):
        """Mean and precision as the card stores them (`digits` significant digits); distances are
        then recomputed from these so the card's threshold matches what a reader computes."""
        r = np.vectorize(lambda v: float(f"{v:.{digits}g}"))
        self.mean, self.precision = r(self.mean), r(self.precision)
        return self

    def __call__(self, X):
        d = np.asarray(X, np.float64) - self.mean
        return np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", d, self.precision, d), 0.0))


# ------------------------------------------------------------------ alternatives

class RobustZ:
    """Two-sided robust z-score |x - median| / (1.4826 MAD) of a scalar per unit."""

    def __init__(self, x):
        x = np.asarray(x, np.float64)
        self.med = float(np.median(x))
        self.mad = float(np.median(np.abs(x - self.med)) * 1.4826) or 1e-9

    def __call__(self, x):
        return np.abs(np.asarray(x, np.float64) - self.med) / self.mad


def input_stats(x):
    """x [N, C, H, W] model inputs -> [N, 13] statistics of the centre channel (channel 0 for the
    two-channel mammography input): mean, std, percentiles 1/5/25/50/75/95/99, fractions at 0 and
    at 1, mean absolute horizontal and vertical gradient; plus the mean absolute difference between
    the centre channel and the others."""
    x = np.asarray(x, np.float32)
    c = x.shape[1] // 2 if x.shape[1] > 2 else 0
    v = x[:, c]
    flat = v.reshape(len(v), -1)
    pct = np.percentile(flat, [1, 5, 25, 50, 75, 95, 99], axis=1).T
    gx = np.abs(np.diff(v, axis=2)).mean((1, 2))
    gy = np.abs(np.diff(v, axis=1)).mean((1, 2))
    other = np.abs(x - x[:, c:c + 1]).mean((1, 2, 3)) * x.shape[1] / max(x.shape[1] - 1, 1)
    return np.column_stack([flat.mean(1), flat.std(1), pct, (flat <= 0.01).mean(1), (flat >= 0.99).mean(1),
                            gx, gy, other])


def energy(heat):
    """Free energy of the pixel-wise binary classifier, averaged over the heatmap:
    mean softplus(logit) = mean -log(1 - p)."""
    p = np.clip(np.asarray(heat, np.float64), 0, 1 - 1e-6)
    return -np.log1p(-p).reshape(len(p), -1).mean(1)


# ------------------------------------------------------------------ proxy OOD inputs

def resample(img, size):
    """2-D float image -> `size` by area average when shrinking by integer factors, else bilinear."""
    t = torch.from_numpy(np.ascontiguousarray(img, np.float32))[None, None]
    h, w = img.shape
    if h % size[0] == 0 and w % size[1] == 0 and h >= size[0]:
        t = F.adaptive_avg_pool2d(t, size)
    else:
        t = F.interpolate(t, size=tuple(size), mode="bilinear", align_corners=False)
    return t[0, 0].numpy()


def corruptions(x, seed):
    """Simple corruptions of one run's model inputs [K, C, H, W] (values in [0, 1]):
    {name: corrupted inputs}."""
    r = np.random.default_rng(seed)
    x = np.asarray(x, np.float32)
    K, C, H, W = x.shape
    t = torch.from_numpy(x)
    half = F.interpolate(t, scale_factor=0.5, mode="bilinear", align_corners=False)
    zoom = torch.zeros_like(t)
    zoom[:, :, H // 4:H // 4 + half.shape[2], W // 4:W // 4 + half.shape[3]] = half
    big = F.interpolate(t[:, :, H // 4:3 * H // 4, W // 4:3 * W // 4], size=(H, W), mode="bilinear",
                        align_corners=False)
    out = {
        "noise_0.15": np.clip(x + r.normal(0, 0.15, x.shape), 0, 1),
        "blur_9px": F.avg_pool2d(t, 9, stride=1, padding=4, count_include_pad=False).numpy(),
        "inverted": 1.0 - x,
        "upside_down": x[:, :, ::-1, :].copy(),
        "zoom_out_0.5": zoom.numpy(),
        "zoom_in_2": big.numpy(),
        "gamma_0.4": x ** 0.4,
    }
    return {k: np.ascontiguousarray(v, np.float32) for k, v in out.items()}
