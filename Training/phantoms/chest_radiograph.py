"""PA chest radiograph: thorax outline, shoulders and neck, lungs, mediastinum, heart, aortic knob,
hemidiaphragms, spine, posterior and anterior ribs, clavicles, lung markings — and nodules/masses.

Geometry: the image is a projection onto a coronal detector plane (y = 0): columns run toward
the patient's LEFT (+x), rows toward the feet (-z): IOP = [1,0,0, 0,0,-1], PatientOrientation
"L\\F" (patient's right on the viewer's left, as a PA film is read). A lesion's centre_mm is its
3-D position; its projection (x, z) falls on center_px.

Lesion spec: {"type": "nodule"|"mass", "center": [x, y, z] (mm), "diameter": mm, "malignant": bool}
"""
from __future__ import annotations

import os

import numpy as np

from .common import Plane, gaussian_blur, power_law_noise, r4, rng, smoothstep_edge, uid
from .write_dicom import SOP_CLASSES, Series, base_dataset, code_seq, save, set_pixels, set_windows

N, SP = 1024, 0.4
IPP = (-(N - 1) / 2 * SP, 0.0, 80.0)


def plane() -> Plane:
    return Plane.make(IPP, (1, 0, 0), (0, 0, -1), SP, SP)


def _band(X, Z, fz, half_width):
    """Distance-like measure to the curve z = fz(x), in mm."""
    return np.abs(Z - fz(X)) - half_width


def lung_contains_xz(x: float, z: float, margin: float = 0.0) -> bool:
    """True when (x, z) ± margin projects inside a lung field (same shapes as render)."""
    for dx, dz in ((0, 0), (margin, 0), (-margin, 0), (0, margin), (0, -margin)):
        xx, zz = x + dx, z + dz
        ok = False
        for s in (-1, 1):
            cx = s * 82.0
            apex = 18.0 if s < 0 else 22.0
            dome = (-200 + (10 if s < 0 else 0)) + 35 * max(1 - ((xx - cx) / 62) ** 2, 0)
            w = 62 * np.sqrt(np.clip((apex - zz) / 40, 0, 1))
            ok |= bool(abs(xx - cx) < w and dome < zz < apex)
        if not ok:
            return False
    return True


def render(spec: dict):
    r = rng(spec["key"], "cxr")
    pl = plane()
    R, C = np.mgrid[0:N, 0:N].astype(np.float32)
    X = pl.ipp[0] + C * SP
    Z = pl.ipp[2] - R * SP
    A = np.zeros((N, N), np.float32)
    # body: chest wall, shoulders, neck, abdomen
    chest = 158 + 10 * np.clip((Z + 40) / 60, 0, 1) - 14 * np.clip((-Z - 150) / 150, 0, 1)
    half = np.where(Z > 20, chest - (chest - 55) * (1 - smoothstep_edge(Z - 45, 6)), chest)
    body = smoothstep_edge(np.abs(X) - half, 3.0) * (Z > -330)
    A += 0.42 * body * (1 - 0.4 * (np.abs(X) / 160) ** 4)
    # lungs
    lung = np.zeros_like(A)
    for s in (-1, 1):
        cx = s * 82.0
        apex = 18.0 if s < 0 else 22.0
        dome = lambda x, s=s, cx=cx: (-200 + (10 if s < 0 else 0)) + 35 * np.clip(1 - ((x - cx) / 62) ** 2, 0, 1)
        w = 62 * np.sqrt(np.clip((apex - Z) / 40, 0, 1))
        m = smoothstep_edge(np.abs(X - cx) - w, 3.0) * smoothstep_edge(dome(X) - Z, 2.5) * (Z < apex)
        lung = np.maximum(lung, m)
    heart = smoothstep_edge(np.hypot((X - 28) / 74, (Z + 150) / 52) - 1, 0.04) * (Z > -185)
    aortic = smoothstep_edge(np.hypot(X - 30, Z + 62) - 17, 2.0)
    medi = smoothstep_edge(np.abs(X - 3) - (24 + 8 * np.clip(-(Z + 20) / 100, 0, 1)), 3.0) * (Z < 30) * (Z > -140)
    solid = np.clip(heart + aortic + medi, 0, 1)
    lung *= (1 - solid)
    A -= 0.26 * lung
    A += 0.08 * solid
    # hemidiaphragms / abdomen below the domes
    for s in (-1, 1):
        cx = s * 82.0
        dome_z = (-200 + (10 if s < 0 else 0)) + 35 * np.clip(1 - ((X - cx) / 62) ** 2, 0, 1)
        A += 0.06 * smoothstep_edge(Z - dome_z, 2.5) * (np.abs(X - cx) < 75) * body
    # spine
    spine = smoothstep_edge(np.abs(X) - 22, 2.0) * (Z < 60)
    A += 0.035 * spine * (1 + 0.3 * (np.cos(2 * np.pi * Z / 28) > 0.7))
    # ribs (posterior: arch laterally and downward; anterior: fainter, sloping down-medially)
    bone = np.zeros_like(A)
    for i in range(10):
        z0 = 8 - i * 21.5
        fz = lambda x, z0=z0: z0 + 14 - 0.0026 * (np.abs(x) - 15) ** 2 * (1 + 0.002 * i)
        d = _band(X, Z, fz, 5.0 + 0.25 * i)
        m = smoothstep_edge(d, 1.0) * (np.abs(X) > 18) * (np.abs(X) < 150)
        cortex = smoothstep_edge(np.abs(d + 0.9) - 0.9, 0.6) * (np.abs(X) > 18) * (np.abs(X) < 150)
        bone += 0.03 * m + 0.035 * cortex
        fa = lambda x, z0=z0: z0 - 48 - 0.45 * (140 - np.abs(x))
        da = _band(X, Z, fa, 6.0)
        bone += 0.03 * smoothstep_edge(da, 1.5) * (np.abs(X) > 45) * (np.abs(X) < 145)
    # clavicles
    for s in (-1, 1):
        d = _band(X * s, Z, lambda x: 12 + 0.11 * (x - 15) - 0.0009 * (x - 70) ** 2, 5.5)
        bone += 0.09 * smoothstep_edge(d, 1.2) * (X * s > 12) * (X * s < 125) * np.clip((125 - X * s) / 30, 0.3, 1)
    A += bone * body * smoothstep_edge(np.abs(X) - (half - 12), 4) * (1 - 0.85 * smoothstep_edge(Z + 215, 15))
    # lung markings: a 3-D branching vessel tree (as in ldct) projected onto the detector
    from .ldct import _tree
    marks = np.zeros_like(A)
    segs = []
    for hilum, dirs in (((-45.0, 0.0, -95.0), [(-0.3, -0.3, 1), (-0.5, 0.2, -1), (-0.8, -0.3, -0.2), (-0.6, 0.5, 0.4)]),
                        ((45.0, 5.0, -100.0), [(0.3, -0.2, 1), (0.5, 0.3, -1), (0.8, -0.3, -0.2), (0.6, 0.5, 0.4)])):
        for d in dirs:
            for _ in range(2):
                _tree(r, np.array(hilum), np.array(d, float) + 0.35 * r.standard_normal(3), 26.0, 4.5, 7, segs)
    for a3, b3, rad in segs:
        a2, b2 = np.array([a3[0], a3[2]]), np.array([b3[0], b3[2]])
        lo = (np.minimum(a2, b2) - rad - 2); hi = (np.maximum(a2, b2) + rad + 2)
        c0 = max(int((lo[0] - pl.ipp[0]) / SP), 0); c1 = min(int((hi[0] - pl.ipp[0]) / SP) + 1, N)
        r0 = max(int((pl.ipp[2] - hi[1]) / SP), 0); r1 = min(int((pl.ipp[2] - lo[1]) / SP) + 1, N)
        if c0 >= c1 or r0 >= r1:
            continue
        x, z = X[r0:r1, c0:c1], Z[r0:r1, c0:c1]
        ab = b2 - a2
        t = np.clip(((x - a2[0]) * ab[0] + (z - a2[1]) * ab[1]) / (ab @ ab + 1e-9), 0, 1)
        d = np.hypot(x - a2[0] - t * ab[0], z - a2[1] - t * ab[1])
        # projected cylinder: thickness-weighted profile
        prof = np.sqrt(np.clip(1 - (d / rad) ** 2, 0, 1))
        marks[r0:r1, c0:c1] = np.maximum(marks[r0:r1, c0:c1], 0.035 * prof * min(rad / 2.0, 1.5))
    A += marks * lung
    A += 0.012 * power_law_noise((N, N), 2.6, r) * lung
    lesions = []
    sop = uid(spec["key"], "sop", "PA")
    for i, les in enumerate(spec.get("lesions", [])):
        c0, r0 = pl.mm_to_px(les["center"])
        c0, r0 = int(round(c0)), int(round(r0))
        p = pl.px_to_mm(c0, r0) + np.array([0, les["center"][1], 0])
        rad = les["diameter"] / 2
        ang = np.arctan2(Z - p[2], X - p[0])
        wob = 1 + (0.08 * np.sin(5 * ang + r.uniform(0, 6)) if les["type"] == "mass" else 0)
        dd = np.hypot(X - p[0], Z - p[2]) - rad * wob
        occ = smoothstep_edge(dd, 1.2 if les["type"] == "nodule" else 2.0)
        # a sphere's projected thickness: denser centrally
        thick = np.sqrt(np.clip(1 - (np.hypot(X - p[0], Z - p[2]) / (rad * wob + 1e-3)) ** 2, 0, 1))
        A += occ * (0.05 + 0.16 * thick) * (0.6 + 0.4 * min(rad / 10, 1.0))
        lesions.append({"id": i + 1, "label": les.get("label", les["type"]), "type": les["type"],
                        "center_mm": r4(p), "diameter_mm": les["diameter"], "sop_instance_uid": sop,
                        "center_px": [c0, r0],
                        "box_px": [int(c0 - rad / SP), int(r0 - rad / SP), int(c0 + rad / SP), int(r0 + rad / SP)],
                        "malignant": bool(les.get("malignant", False))})
    A = gaussian_blur(A, 1.0)
    rn = rng(spec["key"], "cxr-noise")
    img = 120 + A * 5200 + rn.normal(0, 1, A.shape) * (4 + 10 * np.sqrt(np.clip(A, 0, None)))
    return np.clip(np.rint(img), 0, 4095).astype(np.uint16), pl, sop, lesions


def generate(spec: dict, patient, study, out_dir: str) -> dict:
    img, pl, sop, lesions = render(spec)
    modality = spec.get("modality", "DX")
    photometric = spec.get("photometric", "MONOCHROME2")
    series = Series(uid(spec["key"], "series", 1), 1, modality, "CHEST PA", "CHEST")
    ds = base_dataset(patient, study, series, SOP_CLASSES[modality], sop, 1)
    ds.ImageType = ["ORIGINAL", "PRIMARY", ""]
    if modality == "DX":
        ds.PresentationIntentType = "FOR PRESENTATION"
        ds.DetectorType = "SCINTILLATOR"
        ds.ImageLaterality = "U"
        ds.PixelIntensityRelationship = "LOG"
        ds.PixelIntensityRelationshipSign = 1 if photometric == "MONOCHROME2" else -1
    ds.AcquisitionNumber = 1
    ds.ViewPosition = "PA"
    ds.PatientOrientation = ["L", "F"]
    ds.ViewCodeSequence = code_seq("399348003", "SCT", "postero-anterior")
    ds.AnatomicRegionSequence = code_seq("43799004", "SCT", "Chest")
    ds.KVP = 120
    ds.DistanceSourceToDetector = 1800
    ds.ImagerPixelSpacing = [f"{SP}", f"{SP}"]
    ds.PixelSpacing = [f"{SP}", f"{SP}"]
    ds.PixelSpacingCalibrationType = "GEOMETRY"
    ds.ImagePositionPatient = [f"{v:.8g}" for v in pl.ipp]
    ds.ImageOrientationPatient = [f"{v:.8g}" for v in pl.iop()]
    ds.RescaleIntercept = 0
    ds.RescaleSlope = 1
    ds.RescaleType = "US"
    if photometric == "MONOCHROME1":
        img = (4095 - img).astype(np.uint16)
        set_windows(ds, [(4095 - 1900, 3000, "STANDARD"), (4095 - 2400, 1600, "MEDIASTINUM")])
    else:
        set_windows(ds, [(1900, 3000, "STANDARD"), (2400, 1600, "MEDIASTINUM")])
    set_pixels(ds, img, photometric, 12, signed=False)
    fname = "DX_PA.dcm" if modality == "DX" else "CR_PA.dcm"
    used = save(ds, os.path.join(out_dir, fname), spec["syntax"])
    return {"series": [{"series_instance_uid": series.uid, "modality": modality, "description": "CHEST PA",
                        "transfer_syntax_uid": used, "rows": N, "columns": N, "pixel_spacing_mm": [SP, SP],
                        "photometric_interpretation": photometric, "files": [fname], "sop_instance_uids": [sop]}],
            "lesions": lesions}
