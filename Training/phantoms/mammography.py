"""Screening mammography (four views: RCC, LCC, RMLO, LMLO), For Presentation.

Each breast is a half-ellipsoid in patient LPS (base on the chest wall plane y = Y_CW, nipple
anterior). Every view is an orthogonal projection onto a nominal detector plane (IPP/IOP written
to the images); lesions live in 3-D and project onto both views of their breast, so the CC and
MLO appearances are consistent. Image orientation follows the usual DICOM mammography
convention: RCC "P\\L", LCC "A\\R", RMLO "P\\FL", LMLO "A\\FR" (chest wall on the right of
right-breast images, on the left of left-breast images; lateral/axilla at the top).

Texture: power-law (1/f^beta) noise thresholded into fibroglandular tissue, under a density
envelope that spares the subcutaneous fat; skin line; thickness roll-off; pectoral muscle and
axillary tail on MLO. The two breasts share most of their texture, mirrored (BILATERAL_OWN), as
real breasts are near mirror images: a focal asymmetry stands out against the other side.

Lesion spec: {"type": "spiculated_mass"|"circumscribed_mass"|"calcifications"|"distortion"|
  "asymmetry", "side": "L"|"R", "pos": [depth, lateral, upper] (fractions of the breast semi-axes;
  depth from the chest wall toward the nipple), "diameter": mm, "malignant": bool, "birads": "4C"}
"""
from __future__ import annotations

import os

import numpy as np

from .common import Plane, power_law_noise, r4, rng, smoothstep_edge, uid
from .write_dicom import (SOP_CLASSES, Series, base_dataset, code_item, code_seq, save, set_pixels,
                          set_windows)
from pydicom.sequence import Sequence

ROWS, COLS, SP = 1000, 800, 0.2
Y_CW = -70.0
C45 = 0.70710678
# Breasts are roughly mirror images of each other: each side's texture fields (the coarse
# fibroglandular one and the fine one) are the shared, mirrored field plus this fraction (in
# amplitude) of its own. A focal asymmetry is then
# visible by comparison with the other breast, as radiologists read it.
BILATERAL_OWN = 0.2
VIEWS = [  # name, laterality, view position, row_dir, col_dir, patient orientation, view code
    ("RCC", "R", "CC", (0, 1, 0), (1, 0, 0), ["P", "L"], ("399162004", "cranio-caudal")),
    ("LCC", "L", "CC", (0, -1, 0), (-1, 0, 0), ["A", "R"], ("399162004", "cranio-caudal")),
    ("RMLO", "R", "MLO", (0, 1, 0), (C45, 0, -C45), ["P", "FL"], ("399368009", "medio-lateral oblique")),
    ("LMLO", "L", "MLO", (0, -1, 0), (-C45, 0, -C45), ["A", "FR"], ("399368009", "medio-lateral oblique")),
]


def breast_geometry(anatomy: dict, side: str):
    s = 1.0 if side == "L" else -1.0
    D, W, H = anatomy.get("depth", 105.0), anatomy.get("width", 78.0), anatomy.get("height", 70.0)
    base = np.array([s * 95.0, Y_CW, -150.0])
    return s, base, D, W, H


def view_plane(view, anatomy) -> tuple[Plane, float, float, float]:
    name, side, vp, rd, cd, _, _ = view
    s, base, D, W, H = breast_geometry(anatomy, side)
    u_cw = COLS - 1 if side == "R" else 0
    v_c = 500 if vp == "CC" else 580
    rd, cd = np.array(rd, float), np.array(cd, float)
    ipp = base - SP * (u_cw * rd + v_c * cd)
    plane = Plane.make(ipp, rd, cd, SP, SP)
    hv = W if vp == "CC" else float(np.sqrt((C45 * W) ** 2 + (C45 * H) ** 2))
    return plane, u_cw, v_c, hv


def lesion_point(les, anatomy) -> np.ndarray:
    s, base, D, W, H = breast_geometry(anatomy, les["side"])
    dep, lat, up = les["pos"]
    return base + np.array([s * lat * W * 0.8, -dep * D, up * H * 0.8])


def _seg_dist(X, Y, a, b):
    ab = b - a
    t = np.clip(((X - a[0]) * ab[0] + (Y - a[1]) * ab[1]) / (ab @ ab + 1e-9), 0, 1)
    return np.hypot(X - a[0] - t * ab[0], Y - a[1] - t * ab[1]), t


def _render_lesion(img, les, uc, vc, r, scale=1.0):
    """Add a lesion's attenuation to img around pixel (uc, vc). Returns its bbox [c0, r0, c1, r1]."""
    t = les["type"]
    R = les.get("diameter", 10.0) / 2 / SP * scale
    reach = R * (2.6 if t in ("spiculated_mass", "distortion") else 1.4) + 6
    c0, c1 = int(max(uc - reach, 0)), int(min(uc + reach + 1, COLS))
    r0, r1 = int(max(vc - reach, 0)), int(min(vc + reach + 1, ROWS))
    Y, X = np.mgrid[r0:r1, c0:c1].astype(np.float32)
    dx, dy = X - uc, Y - vc
    ang = np.arctan2(dy, dx)
    rad = np.hypot(dx, dy)
    add = np.zeros_like(X)
    if t in ("circumscribed_mass", "spiculated_mass", "asymmetry"):
        if t == "circumscribed_mass":
            q = 0.8
            rr = np.hypot(dx, dy / q) * np.sqrt(q)
            add += 0.30 * smoothstep_edge(rr - R, 2.0)
        elif t == "asymmetry":
            add += 0.13 * np.exp(-(rad / R) ** 2 * 1.5) * (1 + 0.3 * np.sin(3 * ang))
        else:
            k = r.integers(5, 9)
            wob = 1 + 0.14 * np.sin(k * ang + r.uniform(0, 6.3)) + 0.08 * np.sin((k + 3) * ang + r.uniform(0, 6.3))
            add += 0.34 * smoothstep_edge(rad - R * wob, 1.5)
    if t in ("spiculated_mass", "distortion"):
        n = 18 if t == "spiculated_mass" else 14
        for i in range(n):
            th = 2 * np.pi * (i + r.uniform(-0.35, 0.35)) / n
            L = R * r.uniform(1.3, 2.4) if t == "spiculated_mass" else R * r.uniform(1.5, 2.5)
            a = np.array([np.cos(th), np.sin(th)]) * (R * 0.6 if t == "spiculated_mass" else 2.0)
            b = np.array([np.cos(th), np.sin(th)]) * L
            d, tt = _seg_dist(dx, dy, a, b)
            width = (2.4 if t == "spiculated_mass" else 1.6) * (1 - 0.75 * tt)
            add += (0.16 if t == "spiculated_mass" else 0.09) * smoothstep_edge(d - width, 0.8) * (1 - 0.5 * tt)
        if t == "distortion":
            add -= 0.05 * np.exp(-(rad / (R * 0.5)) ** 2)
        add = np.minimum(add, 0.36)
    if t == "calcifications":
        n = les.get("count", 16)
        spread = les.get("diameter", 8.0) / 2 / SP
        for _ in range(n):
            p = r.normal(0, spread / 2.0, 2)
            s = r.uniform(0.10, 0.32) / SP                        # radius in px (0.1–0.3 mm)
            elong = r.uniform(1.0, 2.5) if les.get("pleomorphic", True) else 1.0
            th = r.uniform(0, np.pi)
            ex = (dx - p[0]) * np.cos(th) + (dy - p[1]) * np.sin(th)
            ey = -(dx - p[0]) * np.sin(th) + (dy - p[1]) * np.cos(th)
            add += 0.95 * np.exp(-((ex / (s * elong)) ** 2 + (ey / s) ** 2) * 1.2)
    img[r0:r1, c0:c1] += add
    nz = np.argwhere(add > 0.03)
    if len(nz) == 0:
        return [int(uc), int(vc), int(uc), int(vc)]
    return [int(c0 + nz[:, 1].min()), int(r0 + nz[:, 0].min()), int(c0 + nz[:, 1].max()), int(r0 + nz[:, 0].max())]


def _bilateral(shared, own, side):
    """A side's texture field: the shared one (mirrored on the left, whose images are stored with
    the chest wall on the other edge) mixed with the side's own in amplitude BILATERAL_OWN."""
    if side == "L":
        shared = shared[:, ::-1]
    return np.sqrt(1 - BILATERAL_OWN ** 2) * shared + BILATERAL_OWN * own


def render_view(view, anatomy: dict, anatomy_key: str, noise_key: str, lesions: list):
    name, side, vp = view[0], view[1], view[2]
    plane, u_cw, v_c, hv = view_plane(view, anatomy)
    s, base, D, W, H = breast_geometry(anatomy, side)
    # Texture keys: the anatomy (not the exam), so a prior exam shows the same breast. Both texture
    # fields are mostly shared by the two breasts, mirrored (see BILATERAL_OWN).
    ra = rng(anatomy_key, "mammo", side, vp)
    rs = rng(anatomy_key, "mammo", "bilateral", vp)
    V, U = np.mgrid[0:ROWS, 0:COLS].astype(np.float32)
    t = np.abs(U - u_cw) * SP                        # mm from the chest wall
    w = (V - v_c) * SP                               # mm from the breast axis (negative = up/lateral)
    hv_map = np.full_like(w, hv)
    if vp == "MLO":                                  # axillary tail toward the top of the image
        hv_map = np.where(w < 0, hv + 75.0 * np.clip(1 - t / (0.75 * D), 0, 1) ** 1.5, hv)
    rho = np.sqrt((t / D) ** 2 + (w / hv_map) ** 2)
    edge_mm = (1 - rho) * np.minimum(D, hv_map)      # approximate distance inside the skin
    inside = smoothstep_edge(-edge_mm, 0.3)
    tf = 1 - np.exp(-np.clip(edge_mm, 0, None) / 7.0)   # thickness roll-off toward the skin
    big, fine = (_bilateral(power_law_noise((ROWS, COLS), beta, rs), power_law_noise((ROWS, COLS), beta, ra), side)
                 for beta in (3.2, 2.0))
    dens = anatomy.get("density", 0.5)               # 0 fatty … 1 extremely dense
    env = np.clip((edge_mm - 6) / 18, 0, 1) * np.exp(-((t / D - 0.45) / 0.45) ** 2)
    fg = 1 / (1 + np.exp(-(big + 1.2 - 2.6 * (1 - dens)) * 2.2)) * env
    A = tf * (0.30 + 0.42 * fg + 0.035 * fine * (0.5 + fg))
    skin = inside * np.exp(-np.clip(edge_mm, 0, None) / 0.9) * 0.12
    A = A * inside + skin
    if vp == "MLO":                                  # pectoral muscle triangle at the chest wall, top
        top = -v_c * SP
        Lp = 0.62 * ROWS * SP
        tp = 0.42 * D * np.clip(1 - (w - top) / Lp, 0, 1)
        pect = smoothstep_edge(t - tp, 0.8) * inside
        A = A * (1 - pect) + pect * (0.62 + 0.05 * fine + 0.10 * (1 - (w - top) / Lp))
    rl = rng(noise_key, "lesions", name)
    appearances = []
    for les in lesions:
        if les["side"] != side:
            continue
        p = lesion_point(les, anatomy)
        uc, vc = plane.mm_to_px(p)
        bbox = _render_lesion(A, les, uc, vc, rl, les.get("scale", 1.0))
        appearances.append((les, p, [int(round(uc)), int(round(vc))], bbox))
    rn = rng(noise_key, "quantum", name)
    img = 90.0 + A * 3000.0 + rn.normal(0, 1, A.shape) * (3.0 + 9.0 * np.sqrt(np.clip(A, 0, None)))
    img = np.clip(np.rint(img), 0, 4095).astype(np.uint16)
    return img, plane, appearances


def generate(spec: dict, patient, study, out_dir: str) -> dict:
    anatomy = spec.get("anatomy", {})
    anatomy_key = spec.get("anatomy_key", spec["key"])
    series = Series(uid(spec["key"], "series", 1), 1, "MG", "SCREENING MAMMOGRAPHY 4 VIEWS", "BREAST")
    photometric = spec.get("photometric", "MONOCHROME2")
    sops, files, by_lesion = [], [], {}
    used = None
    for i, view in enumerate(VIEWS):
        name, side, vp, rd, cd, po, (code, meaning) = view
        img, plane, apps = render_view(view, anatomy, anatomy_key, spec["key"], spec.get("lesions", []))
        sop = uid(spec["key"], "sop", name)
        ds = base_dataset(patient, study, series, SOP_CLASSES["MG"], sop, i + 1)
        ds.ImageType = ["ORIGINAL", "PRIMARY", ""]
        ds.PresentationIntentType = "FOR PRESENTATION"
        ds.AcquisitionNumber = 1
        ds.ImageLaterality = side
        ds.Laterality = side
        ds.ViewPosition = vp
        ds.PatientOrientation = po
        vcs = code_item(code, "SCT", meaning)
        vcs.ViewModifierCodeSequence = Sequence([])
        ds.ViewCodeSequence = Sequence([vcs])
        ds.AnatomicRegionSequence = code_seq("76752008", "SCT", "Breast")
        ds.BreastImplantPresent = "NO"
        ds.PartialView = "NO"
        ds.PositionerType = "MAMMOGRAPHIC"
        ds.DetectorType = "DIRECT"
        ds.KVP = 29
        ds.BodyPartThickness = 50
        ds.CompressionForce = 110
        ds.ImagerPixelSpacing = [f"{SP}", f"{SP}"]
        ds.PixelSpacing = [f"{SP}", f"{SP}"]
        ds.PixelSpacingCalibrationType = "GEOMETRY"
        # nominal detector plane through the breast base (see module doc); projection images
        ds.ImagePositionPatient = [f"{v:.8g}" for v in plane.ipp]
        ds.ImageOrientationPatient = [f"{v:.8g}" for v in plane.iop()]
        ds.PixelIntensityRelationship = "LOG"
        ds.PixelIntensityRelationshipSign = 1 if photometric == "MONOCHROME2" else -1
        ds.RescaleIntercept = 0
        ds.RescaleSlope = 1
        ds.RescaleType = "US"
        ds.BurnedInAnnotation = "NO"
        if photometric == "MONOCHROME1":
            img = (4095 - img).astype(np.uint16)
            set_windows(ds, [(4095 - 1650, 1900, "STANDARD"), (4095 - 1950, 1300, "DENSE")])
        else:
            set_windows(ds, [(1650, 1900, "STANDARD"), (1950, 1300, "DENSE")])
        set_pixels(ds, img, photometric, 12, signed=False)
        fname = f"MG_{name}.dcm"
        used = save(ds, os.path.join(out_dir, fname), spec["syntax"])
        files.append(fname)
        sops.append(sop)
        for les, p, cpx, bbox in apps:
            by_lesion.setdefault(id(les), (les, p, []))[2].append(
                {"view": name, "sop_instance_uid": sop, "center_px": cpx, "box_px": bbox})
    lesions = []
    for i, (les, p, apps) in enumerate(by_lesion.values()):
        cc = [a for a in apps if "CC" in a["view"]] or apps
        rec = {"id": i + 1, "label": les.get("label", les["type"].replace("_", " ")), "type": les["type"],
               "laterality": les["side"], "center_mm": r4(p), "diameter_mm": les.get("diameter"),
               "sop_instance_uid": cc[0]["sop_instance_uid"], "center_px": cc[0]["center_px"],
               "malignant": bool(les.get("malignant", False)), "appearances": apps}
        if "birads" in les:
            rec["birads"] = les["birads"]
        if "lesion_id" in les:
            rec["lesion_id"] = les["lesion_id"]
        lesions.append(rec)
    return {"series": [{"series_instance_uid": series.uid, "modality": "MG", "description": series.description,
                        "transfer_syntax_uid": used, "rows": ROWS, "columns": COLS, "pixel_spacing_mm": [SP, SP],
                        "photometric_interpretation": photometric, "files": files, "sop_instance_uids": sops}],
            "lesions": lesions}
