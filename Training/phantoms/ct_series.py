"""Axial CT volumes on a regular LPS grid, and the code that writes them as a CT series."""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from .common import Plane, ds_round, r4, uid
from .write_dicom import SOP_CLASSES, Patient, Series, Study, base_dataset, save, set_pixels, set_plane, set_windows


@dataclass
class Grid:
    """Volume index (k, r, c): x = x0 + c*dx, y = y0 + r*dy, z = z0 + k*dz (k = 0 is most inferior)."""
    nx: int
    ny: int
    nz: int
    dx: float
    dz: float
    z0: float
    x0: float = None
    y0: float = None

    def __post_init__(self):
        self.dx = ds_round(self.dx)
        self.dz = ds_round(self.dz)
        if self.x0 is None:
            self.x0 = ds_round(-(self.nx - 1) / 2 * self.dx)
        if self.y0 is None:
            self.y0 = ds_round(-(self.ny - 1) / 2 * self.dx)
        self.z0 = ds_round(self.z0)

    def coords(self, dtype=np.float32):
        x = (self.x0 + np.arange(self.nx) * self.dx).astype(dtype)
        y = (self.y0 + np.arange(self.ny) * self.dx).astype(dtype)
        z = (self.z0 + np.arange(self.nz) * self.dz).astype(dtype)
        return z[:, None, None], y[None, :, None], x[None, None, :]

    def z(self, k: int) -> float:
        return ds_round(self.z0 + k * self.dz)

    def plane(self, k: int) -> Plane:
        return Plane.make([self.x0, self.y0, self.z(k)], [1, 0, 0], [0, 1, 0], self.dx, self.dx)

    def snap(self, p) -> tuple[np.ndarray, tuple[int, int, int]]:
        """Nearest voxel centre to p (mm) and its (k, r, c) index."""
        c = int(round((p[0] - self.x0) / self.dx))
        r = int(round((p[1] - self.y0) / self.dx))
        k = int(round((p[2] - self.z0) / self.dz))
        return self.plane(k).px_to_mm(c, r), (k, r, c)

    @property
    def voxel_ml(self) -> float:
        return self.dx * self.dx * self.dz / 1000.0


def ct_noise(shape, sigma_hu: float, r: np.random.Generator, corr_px: float = 0.8) -> np.ndarray:
    """Slice-wise correlated Gaussian noise (CT noise is not white in-plane), unit scaled to sigma_hu."""
    from .common import gaussian_blur
    n = r.standard_normal(shape).astype(np.float32)
    n = gaussian_blur(n, [0.0, corr_px, corr_px])
    n *= sigma_hu / (n.std() + 1e-6)
    return n


def lesion_record(grid: Grid, center_mm, sop_uids, extra: dict) -> dict:
    """Ground-truth entry; the named SOP instance is the slice through the (snapped) centre."""
    p, (k, r, c) = grid.snap(center_mm)
    rec = {"center_mm": r4(p), "sop_instance_uid": sop_uids[k], "center_px": [c, r],
           "instance_number": k + 1}
    rec.update(extra)
    return rec


def write_ct(volume_hu: np.ndarray, grid: Grid, patient: Patient, study: Study, series: Series,
             windows, syntax: str, out_dir: str, key: str, kvp: float, mas: float, kernel: str,
             sop_uids: list[str] | None = None, image_comments: str | None = None) -> dict:
    """Write one axial CT series (one file per slice) and return its sidecar summary."""
    hu = np.clip(np.rint(volume_hu), -1024, 3071).astype(np.int16)
    # outside the reconstruction circle: air at -1024 HU (stored 0)
    zz, yy, xx = grid.coords()
    fov_r = min(grid.nx, grid.ny) / 2 * grid.dx
    outside = (xx[0] ** 2 + yy[0] ** 2) > fov_r ** 2
    sop_uids = sop_uids or [uid(key, series.number, "sop", k) for k in range(grid.nz)]
    files = []
    used = None
    for k in range(grid.nz):
        sl = hu[k].copy()
        sl[outside] = -1024
        ds = base_dataset(patient, study, series, SOP_CLASSES["CT"], sop_uids[k], k + 1)
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.AcquisitionNumber = 1
        ds.ScanOptions = "HELICAL MODE"
        ds.KVP = kvp
        ds.XRayTubeCurrent = int(mas)
        ds.Exposure = int(mas)
        ds.ConvolutionKernel = kernel
        ds.PatientPosition = "HFS"
        ds.ReconstructionDiameter = f"{fov_r * 2:.1f}"
        ds.RescaleIntercept = -1024
        ds.RescaleSlope = 1
        ds.RescaleType = "HU"
        if image_comments:
            ds.ImageComments = image_comments
        set_plane(ds, grid.plane(k), slice_thickness=grid.dz)
        set_windows(ds, windows)
        set_pixels(ds, (sl.astype(np.int32) + 1024), "MONOCHROME2", 16, signed=True)
        name = f"CT{series.number:02d}_{k + 1:04d}.dcm"
        used = save(ds, os.path.join(out_dir, name), syntax)
        files.append(name)
    return {"series_instance_uid": series.uid, "modality": "CT", "description": series.description,
            "transfer_syntax_uid": used, "frame_of_reference_uid": series.frame_of_reference,
            "rows": grid.ny, "columns": grid.nx, "pixel_spacing_mm": [grid.dx, grid.dx],
            "slice_thickness_mm": grid.dz, "files": files, "sop_instance_uids": sop_uids}
