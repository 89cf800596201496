"""Shared helpers: deterministic UIDs and seeds, noise fields, image-plane geometry.

Geometry convention (DICOM, patient LPS): a pixel at column c, row r of an image with
ImagePositionPatient P, ImageOrientationPatient (X, Y) and PixelSpacing (dr, dc) lies at
    P + c * dc * X + r * dr * Y
where X (first three IOP values) is the direction of increasing column index and dr is the
spacing between rows.  Projection images (MG, DX/CR) carry a nominal detector plane through
the imaged anatomy; a 3-D lesion centre projects orthogonally onto that plane.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

UID_NAMESPACE = "lightbox-phantom-v1"


def uid(*parts: object) -> str:
    """A stable 2.25 UID derived from a hash of `parts` (≤ 64 characters)."""
    digest = hashlib.sha256("/".join([UID_NAMESPACE, *map(str, parts)]).encode()).digest()
    return "2.25." + str(int.from_bytes(digest[:15], "big"))  # 120 bits → ≤ 37 digits


def seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("/".join(["seed", *map(str, parts)]).encode()).digest()[:8], "big")


def rng(*parts: object) -> np.random.Generator:
    return np.random.default_rng(seed(*parts))


def ds_str(v: float) -> str:
    """Format a float the way we write it to a DS element (≤ 16 characters)."""
    s = f"{v:.8g}"
    if s == "-0":
        s = "0"
    assert len(s) <= 16, s
    return s


def ds_round(v: float) -> float:
    return float(ds_str(v))


def power_law_noise(shape, beta: float, r: np.random.Generator, fmin: float = 1.0) -> np.ndarray:
    """Zero-mean, unit-variance noise whose power spectrum falls as 1/f**beta (2-D or 3-D)."""
    white = r.standard_normal(shape)
    spec = np.fft.rfftn(white)
    freqs = np.meshgrid(*[np.fft.fftfreq(n) * n for n in shape[:-1]], np.fft.rfftfreq(shape[-1]) * shape[-1],
                        indexing="ij")
    f = np.sqrt(sum(q * q for q in freqs))
    f = np.maximum(f, fmin)
    spec *= f ** (-beta / 2.0)
    out = np.fft.irfftn(spec, s=shape)
    out -= out.mean()
    out /= out.std() + 1e-12
    return out.astype(np.float32)


def gaussian_blur(a: np.ndarray, sigma_px) -> np.ndarray:
    """Gaussian blur via FFT (periodic boundary; callers keep content away from the edges)."""
    if np.isscalar(sigma_px):
        sigma_px = [sigma_px] * a.ndim
    spec = np.fft.rfftn(a)
    freqs = np.meshgrid(*[np.fft.fftfreq(n) for n in a.shape[:-1]], np.fft.rfftfreq(a.shape[-1]), indexing="ij")
    g = np.ones_like(freqs[0])
    for f, s in zip(freqs, sigma_px):
        g = g * np.exp(-2.0 * (np.pi * f * s) ** 2)
    return np.fft.irfftn(spec * g, s=a.shape).astype(np.float32)


def smoothstep_edge(d: np.ndarray, width: float) -> np.ndarray:
    """1 inside (d < 0), 0 outside, with a soft edge `width` wide (same units as d)."""
    return (0.5 - 0.5 * np.tanh(d / max(width, 1e-6) * 2.0)).astype(np.float32)


@dataclass
class Plane:
    """One image's geometry. Values are rounded exactly as they are written to DS elements."""
    ipp: np.ndarray        # (3,)
    row_dir: np.ndarray    # direction of increasing column index (IOP[0:3])
    col_dir: np.ndarray    # direction of increasing row index (IOP[3:6])
    row_spacing: float     # PixelSpacing[0]: distance between rows
    col_spacing: float     # PixelSpacing[1]: distance between columns

    @classmethod
    def make(cls, ipp, row_dir, col_dir, row_spacing, col_spacing):
        f = lambda v: np.array([ds_round(x) for x in v], dtype=float)
        return cls(f(ipp), f(row_dir), f(col_dir), ds_round(row_spacing), ds_round(col_spacing))

    @property
    def normal(self) -> np.ndarray:
        n = np.cross(self.row_dir, self.col_dir)
        return n / np.linalg.norm(n)

    def px_to_mm(self, col: float, row: float) -> np.ndarray:
        return self.ipp + col * self.col_spacing * self.row_dir + row * self.row_spacing * self.col_dir

    def mm_to_px(self, p) -> tuple[float, float]:
        d = np.asarray(p, float) - self.ipp
        return float(d @ self.row_dir / self.col_spacing), float(d @ self.col_dir / self.row_spacing)

    def iop(self) -> list[float]:
        return [*self.row_dir.tolist(), *self.col_dir.tolist()]


def r4(v) -> list[float]:
    return [round(float(x), 4) for x in v]
