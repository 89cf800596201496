"""Non-contrast head CT: scalp, skull (tables + diploë), grey/white matter, sulci, ventricles,
basal ganglia, posterior fossa — and acute haemorrhage (intraparenchymal, subdural, subarachnoid)
of known volume.

Lesion specs (mm, patient LPS; +x is the patient's LEFT):
  {"type": "iph", "center": [x,y,z], "axes": [a,b,c], "hu": 68, "oedema_mm": 4}
  {"type": "sdh", "side": "left"|"right", "z_range": [z0,z1], "thickness": 12, "hu": 62}
  {"type": "sah", "side": "left"|"right", "hu": 55}
"""
from __future__ import annotations

import numpy as np

from .common import gaussian_blur, power_law_noise, r4, rng, smoothstep_edge, uid
from .ct_series import Grid, ct_noise, lesion_record, write_ct
from .write_dicom import Series

HEAD_C = np.array([0.0, 5.0, 40.0])      # centre of the head ellipsoid
HEAD_AX = np.array([74.0, 94.0, 98.0])   # outer semi-axes (x, y, z)
SCALP = 5.0
SKULL = 7.0

WINDOWS = [(40, 80, "BRAIN"), (80, 200, "SUBDURAL"), (600, 2800, "BONE"), (35, 35, "STROKE")]


def _ellipsoid_depth(zz, yy, xx, center, axes):
    """Approximate depth (mm) inside an ellipsoid surface: positive inside."""
    dx, dy, dz = xx - center[0], yy - center[1], zz - center[2]
    rho = np.sqrt((dx / axes[0]) ** 2 + (dy / axes[1]) ** 2 + (dz / axes[2]) ** 2) + 1e-6
    radius = np.sqrt(dx * dx + dy * dy + dz * dz) / rho   # distance centre→surface along this ray
    return (1.0 - rho) * radius


def default_grid(nz: int = 36, n: int = 256) -> Grid:
    return Grid(nx=n, ny=n, nz=nz, dx=230.0 / n, dz=5.0, z0=-30.0)


def render(spec: dict, grid: Grid):
    r = rng(spec["key"], "head")
    zz, yy, xx = grid.coords()
    shape = (grid.nz, grid.ny, grid.nx)
    depth = _ellipsoid_depth(zz, yy, xx, HEAD_C, HEAD_AX)          # from the skin surface
    # flatten the skull base: below z≈-5 the cranium narrows into face/neck (kept simple)
    vol = np.full(shape, -1000.0, np.float32)
    head = smoothstep_edge(-depth, 0.6)
    vol = vol * (1 - head) + head * 25.0                              # scalp soft tissue
    fat = (depth > 1.5) & (depth < SCALP - 1)
    vol[fat] = -70.0
    d_in = depth - SCALP                                               # depth below outer table
    tab = 2.2
    bone = (d_in > 0) & (d_in < SKULL)
    dip = power_law_noise(shape, 2.0, r)
    vol[bone] = 700 + 180 * dip[bone]
    outer = (d_in > 0) & (d_in < tab)
    inner = (d_in > SKULL - tab) & (d_in < SKULL)
    vol[outer | inner] = 1450 + 120 * dip[outer | inner]
    d_brain = d_in - SKULL                                             # depth below inner table
    intracranial = d_brain > 0
    # thin CSF layer, then cortex with sulci, then white matter
    vol[intracranial] = 6.0
    sulc = power_law_noise(shape, 2.6, r)
    gyri = d_brain > 1.5 + 1.5 * (sulc > 0.9)
    gm = 38.0 + 1.5 * power_law_noise(shape, 2.0, r)
    vol[gyri] = gm[gyri]
    sulci = gyri & (d_brain < 14) & (np.abs(power_law_noise(shape, 2.2, r)) < 0.22) & (d_brain > 1)
    wm = gyri & (d_brain > 10 + 3.0 * power_law_noise(shape, 2.5, r))
    vol[wm] = 26.0 + 1.0 * dip[wm]
    vol[sulci] = 8.0
    # interhemispheric fissure with falx (above the ventricles)
    fiss = intracranial & (np.abs(xx) < 1.6) & (zz > 45) & (yy > -HEAD_AX[1] + 20)
    fiss |= intracranial & (np.abs(xx) < 1.6) & (yy < -40) & (zz > 20)
    vol[fiss] = 8.0
    vol[intracranial & (np.abs(xx) < 0.5) & (zz > 50)] = 52.0
    # deep grey: caudate / lentiform / thalami
    for cx in (-1, 1):
        for c, a, v in (((cx * 22, 5, 45), (9, 16, 11), 37.0),     # lentiform nucleus
                        ((cx * 10, 22, 42), (8, 11, 9), 37.0)):    # thalamus
            dd = _ellipsoid_depth(zz, yy, xx, np.array(c, float), np.array(a, float))
            m = dd > 0
            vol[m] = v + 1.0 * dip[m]
    # ventricles: lateral (bodies + frontal/occipital horns), third, fourth
    vent = np.zeros(shape, bool)
    for cx in (-1, 1):
        vent |= _ellipsoid_depth(zz, yy, xx, np.array([cx * 9, -10, 60]), np.array([5.0, 32.0, 6.0])) > 0
        vent |= _ellipsoid_depth(zz, yy, xx, np.array([cx * 11, -28, 56]), np.array([6.0, 8.0, 9.0])) > 0
        vent |= _ellipsoid_depth(zz, yy, xx, np.array([cx * 16, 30, 52]), np.array([4.0, 10.0, 7.0])) > 0
    vent |= _ellipsoid_depth(zz, yy, xx, np.array([0, 2, 40]), np.array([1.8, 12.0, 7.0])) > 0
    vent |= _ellipsoid_depth(zz, yy, xx, np.array([0, 42, 5]), np.array([4.5, 3.5, 6.0])) > 0
    vol[vent & intracranial] = 5.0
    # basal cisterns: suprasellar / ambient CSF ring around the midbrain
    cist_ring = intracranial & (((xx / 19) ** 2 + ((yy - 2) / 16) ** 2) < 1) & \
        (((xx / 10) ** 2 + ((yy - 6) / 8.5) ** 2) > 1) & (np.abs(zz - 18) < 6)
    vol[cist_ring] = 6.0
    # skull base: petrous temporal bones (oblique, with mastoid air cells), sphenoid sinus,
    # ethmoid air cells and orbital roofs anteriorly (brain only in the posterior fossa down there)
    base = (zz < 8) & intracranial
    cell = power_law_noise(shape, 2.4, r)
    for sx in (-1, 1):
        ux, uy = sx * 0.6, -0.8                       # petrous axis: anteromedial from the mastoid
        px, py = xx - sx * 38, yy - 22
        along = px * ux + py * uy
        across = -px * uy + py * ux
        pet = base & (np.abs(along) < 24) & (np.abs(across) < 6 - 2 * np.clip(np.abs(zz + 6) / 10, 0, 1)) & (zz > -22)
        vol[pet] = 1250.0 + 120 * dip[pet]
        mast = base & ((px - sx * 12) ** 2 + (py - 10) ** 2 < 12 ** 2) & (zz < 0)
        vol[mast] = np.where(cell[mast] > 0.2, 700.0, -900.0)
    sph = base & (((xx / 13) ** 2 + ((yy + 22) / 11) ** 2) < 1) & (zz < 2)
    sph_wall = base & (((xx / 15.5) ** 2 + ((yy + 22) / 13.5) ** 2) < 1) & (zz < 4) & ~sph
    vol[sph_wall] = 900.0
    vol[sph] = -950.0
    anterior = intracranial & (zz < 2 + 0.25 * (-yy - 30)) & (yy < -34)
    eth = anterior & (((xx / 13) ** 2 + ((yy + 52) / 20) ** 2) < 1) & (zz < -4)
    vol[anterior] = 36.0                               # gyrus rectus / orbitofrontal lobe above
    vol[intracranial & (yy < -34) & (zz <= -4 + 0.25 * (-yy - 30) + 0.004 * xx ** 2) & (zz > -8 + 0.25 * (-yy - 30) + 0.004 * xx ** 2)] = 950.0
    vol[eth] = np.where(cell[eth] > 0.25, 750.0, -920.0)
    lesions = []
    sops = [uid(spec["key"], 2, "sop", k) for k in range(grid.nz)]
    brainish = intracranial & (vol < 200)
    for i, les in enumerate(spec.get("lesions", [])):
        occ = np.zeros(shape, np.float32)
        t = les["type"]
        if t == "iph":
            c = np.array(les["center"], float)
            ax = np.array(les["axes"], float)
            lob = 1.0 + 0.06 * power_law_noise(shape, 3.0, r)          # lobulated margin
            d = _ellipsoid_depth(zz, yy, xx, c, ax) + 0.25 * ax.min() * (lob - 1.0) * 4
            occ = smoothstep_edge(-d, 0.7) * brainish
            oed = (d > -les.get("oedema_mm", 4)) & (d <= 0) & brainish
            vol[oed] = np.minimum(vol[oed], 18.0 + 2 * dip[oed])
            het = les["hu"] + 6.0 * power_law_noise(shape, 2.5, r)
            vol[:] = vol * (1 - occ) + het * occ
            label = les.get("label", "acute intraparenchymal haemorrhage")
        elif t == "sdh":
            sgn = 1.0 if les["side"] == "left" else -1.0
            z0, z1 = les["z_range"]
            zc = 0.5 * (z0 + z1)
            # thickness profile: maximal over the lateral convexity, tapering to 0 at the z / AP ends
            prof = np.clip(1 - ((zz - zc) / (0.5 * (z1 - z0))) ** 2, 0, 1)
            prof = prof * np.clip(1 - ((yy - 0) / 75.0) ** 2, 0, 1) * np.clip(sgn * xx / 40.0, 0, 1)
            thick = les["thickness"] * np.sqrt(prof)
            m = intracranial & (d_brain < thick)
            occ = m.astype(np.float32)
            vol[m] = les["hu"] + 3.0 * dip[m]
            label = les.get("label", f"acute subdural haematoma, {les['side']} convexity")
        elif t == "sah":
            sgn = 1.0 if les["side"] == "left" else -1.0
            csf = intracranial & ~vent & (vol < 12) & (vol > 0)
            sylv = (np.abs(sgn * xx - 45) < 14) & (np.abs(yy + 5) < 25) & (np.abs(zz - 35) < 15)
            m = csf & sylv
            # also fill the sylvian fissure itself (a CSF cleft)
            cleft = intracranial & (np.abs(sgn * xx - 42 - 0.15 * (zz - 35) - 5 * np.sin((yy + 5) / 8)) < 1.8) & (np.abs(yy + 5) < 22) & \
                (np.abs(zz - 35) < 12) & ~vent
            m |= cleft | cist_ring
            occ = m.astype(np.float32)
            vol[m] = les["hu"] + 3.0 * dip[m]
            label = les.get("label", f"acute subarachnoid haemorrhage, {les['side']} sylvian fissure and basal cisterns")
        else:
            raise ValueError(t)
        vol_ml = float(occ.sum()) * grid.voxel_ml
        w = occ.sum()
        cen = np.array([(occ * xx).sum() / w, (occ * yy).sum() / w, (occ * zz).sum() / w])
        idx = np.argwhere(occ > 0.5)
        ext = (idx.max(0) - idx.min(0) + 1) * np.array([grid.dz, grid.dx, grid.dx])
        rec = lesion_record(grid, cen, sops, {
            "id": i + 1, "label": label, "type": t, "diameter_mm": round(float(ext.max()), 1),
            "extent_mm": r4(ext[::-1]), "volume_ml": round(vol_ml, 2),
            "mean_hu": round(float((occ * vol).sum() / w), 1),
            "severity": les.get("severity", "moderate")})
        if t == "sdh":
            rec["max_thickness_mm"] = les["thickness"]
        lesions.append(rec)
    vol += ct_noise(shape, spec.get("noise_hu", 3.0), r, corr_px=0.7)
    vol = gaussian_blur(vol, [0.0, 0.45, 0.45])     # scanner MTF
    return vol, sops, lesions


def generate(spec: dict, patient, study, out_dir: str) -> dict:
    grid = default_grid(spec.get("slices", 36), spec.get("matrix", 256))
    vol, sops, lesions = render(spec, grid)
    series = Series(uid(spec["key"], "series", 2), 2, "CT", "HEAD W/O 5.0 mm", "HEAD",
                    frame_of_reference=uid(spec["key"], "for"))
    s = write_ct(vol, grid, patient, study, series, WINDOWS, spec["syntax"], out_dir, spec["key"],
                 kvp=120, mas=300, kernel="H31s", sop_uids=sops)
    return {"series": [s], "lesions": lesions}
