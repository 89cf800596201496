"""Low-dose chest CT: body wall (fat, muscle), ribs, spine, mediastinum (heart, aorta), trachea and
bronchi, lungs near -850 HU with a dependent gradient, branching pulmonary vessels, CT table, and
solid / part-solid / ground-glass nodules at known positions, with low-dose noise.

Nodule spec (mm, patient LPS; +x = patient LEFT, +y = posterior, +z = head):
  {"type": "solid"|"part_solid"|"ggo", "center": [x,y,z], "diameter": 12, "solid_diameter": 5,
   "spiculated": false, "malignant": true, "label": "...", "lesion_id": "RUL-1"}

Positioning (priors, Training/phantoms/priors.py): a spec may carry `pose` {"R": 3x3, "t": [mm]} and
`anatomy_key`. The anatomy (body, lungs, vessels, nodule centres) is then that of `anatomy_key`'s
study, placed so that p_scan = R·p_anatomy + t (patient mm); the table and the reconstruction
circle stay in scanner coordinates; textures and noise come from the study's own key.
Nodule shapes: a nodule with `"persistent_shape": true` (the held-out prior pairs) has a shape of its
own (NoduleShape: lobulation and spicules fixed by anatomy key and lesion id), identical at both
time points; otherwise the lobulation is the study's noise field at the nodule, which differs
between two studies (the samples, training and validation sets are rendered that way, unchanged).
Without `pose` and `persistent_shape` the rendering is exactly the original one (same random
draws, same order).
"""
from __future__ import annotations

import numpy as np

from .common import gaussian_blur, power_law_noise, r4, rng, smoothstep_edge, uid
from .ct_series import Grid, ct_noise, lesion_record, write_ct
from .write_dicom import Series

WINDOWS = [(-600, 1500, "LUNG"), (40, 400, "MEDIASTINUM"), (400, 1800, "BONE")]
Z_APEX = 10.0
Z_BASE = -215.0


def default_grid(nz: int = 96, n: int = 256) -> Grid:
    return Grid(nx=n, ny=n, nz=nz, dx=360.0 / n, dz=2.5, z0=Z_BASE - 15.0)


def _capsule(vol, occ_val, grid, a, b, radius, hu, mask=None, mode="set", pose=None):
    """Render a capsule from a to b (mm) with soft edges into vol (in place) inside mask. With
    `pose` (R, t), a and b are anatomy points and the capsule is drawn at R·p + t (rigid)."""
    if pose is not None:
        a = pose[0] @ np.asarray(a, float) + pose[1]
        b = pose[0] @ np.asarray(b, float) + pose[1]
    lo = np.minimum(a, b) - radius - 3
    hi = np.maximum(a, b) + radius + 3
    c0 = max(int((lo[0] - grid.x0) / grid.dx), 0); c1 = min(int((hi[0] - grid.x0) / grid.dx) + 2, grid.nx)
    r0 = max(int((lo[1] - grid.y0) / grid.dx), 0); r1 = min(int((hi[1] - grid.y0) / grid.dx) + 2, grid.ny)
    k0 = max(int((lo[2] - grid.z0) / grid.dz), 0); k1 = min(int((hi[2] - grid.z0) / grid.dz) + 2, grid.nz)
    if c0 >= c1 or r0 >= r1 or k0 >= k1:
        return
    z = (grid.z0 + np.arange(k0, k1) * grid.dz)[:, None, None]
    y = (grid.y0 + np.arange(r0, r1) * grid.dx)[None, :, None]
    x = (grid.x0 + np.arange(c0, c1) * grid.dx)[None, None, :]
    ab = b - a
    L2 = float(ab @ ab) + 1e-9
    t = np.clip(((x - a[0]) * ab[0] + (y - a[1]) * ab[1] + (z - a[2]) * ab[2]) / L2, 0, 1)
    d = np.sqrt((x - a[0] - t * ab[0]) ** 2 + (y - a[1] - t * ab[1]) ** 2 + (z - a[2] - t * ab[2]) ** 2) - radius
    w = smoothstep_edge(d, max(grid.dx * 0.7, 0.5))
    sl = (slice(k0, k1), slice(r0, r1), slice(c0, c1))
    if mask is not None:
        w = w * mask[sl]
    if mode == "set":
        vol[sl] = vol[sl] * (1 - w) + hu * w
    else:  # "max": vessels never make tissue darker
        vol[sl] = np.maximum(vol[sl], vol[sl] * (1 - w) + hu * w)


def _tree(r, start, direction, length, radius, gens, out):
    if gens == 0 or radius < 0.35:
        return
    d = direction / np.linalg.norm(direction)
    end = start + d * length
    out.append((start, end, radius))
    for sgn in (-1, 1):
        perp = np.cross(d, r.standard_normal(3))
        perp /= np.linalg.norm(perp) + 1e-9
        nd = d + sgn * perp * r.uniform(0.45, 0.8) + 0.15 * r.standard_normal(3)
        _tree(r, end, nd, length * r.uniform(0.72, 0.88), radius * r.uniform(0.68, 0.8), gens - 1, out)


def lung_masks(grid: Grid, coords=None):
    zz, yy, xx = coords if coords is not None else grid.coords()
    masks = []
    for side in (-1, 1):              # -1: right lung (patient right = -x), +1: left lung
        cx = side * 78.0
        h = np.clip((Z_APEX - zz) / 60.0, 0, 1) ** 0.5          # apical taper
        ax_x = 62.0 * h + 1e-3
        ax_y = 88.0 * h + 1e-3
        inside = ((xx - cx) / ax_x) ** 2 + ((yy - 8) / ax_y) ** 2 < 1
        dome = Z_BASE + (12 if side < 0 else 0) + 45 * np.clip(1 - ((xx - cx) / 65) ** 2 - ((yy - 8) / 95) ** 2, 0, 1)
        inside &= (zz > dome) & (zz < Z_APEX)
        # posterior costophrenic recess goes deeper than the dome centre (kept by the dome shape)
        masks.append(inside)
    return masks


def lung_contains(p, margin: float = 0.0) -> bool:
    """True when the point p (mm) and the 6 points `margin` mm away along the axes are in lung
    (same analytic shapes as lung_masks, heart excluded)."""
    pts = [np.asarray(p, float)] + [np.asarray(p, float) + margin * e for e in
                                    np.vstack([np.eye(3), -np.eye(3)])]
    for x, y, z in pts:
        ok = False
        for side in (-1, 1):
            cx = side * 78.0
            h = np.clip((Z_APEX - z) / 60.0, 0, 1) ** 0.5
            if h <= 0:
                continue
            inside = ((x - cx) / (62.0 * h)) ** 2 + ((y - 8) / (88.0 * h)) ** 2 < 1
            dome = Z_BASE + (12 if side < 0 else 0) + 45 * np.clip(1 - ((x - cx) / 65) ** 2 - ((y - 8) / 95) ** 2, 0, 1)
            ok |= bool(inside and dome < z < Z_APEX)
        heart = ((x - 18) / 70) ** 2 + ((y + 18) / 58) ** 2 + ((z + 150) / 52) ** 2 < 1
        if not ok or heart:
            return False
    return True


def anatomy_coords(grid: Grid, R: np.ndarray, t: np.ndarray):
    """Anatomy coordinates p = Rᵀ·(q − t) of every voxel q of `grid` (three full float32 arrays)."""
    zs, ys, xs = grid.coords()
    shape = (grid.nz, grid.ny, grid.nx)
    q = [np.broadcast_to(xs - t[0], shape), np.broadcast_to(ys - t[1], shape), np.broadcast_to(zs - t[2], shape)]
    out = []
    for i in range(3):   # component i of Rᵀ·(q − t) = Σ_j R[j, i]·(q − t)_j
        out.append((R[0, i] * q[0] + R[1, i] * q[1] + R[2, i] * q[2]).astype(np.float32))
    return out[2], out[1], out[0]


class NoduleShape:
    """A nodule's own lobulated shape: a smooth function of direction from its centre, in the
    anatomy frame, fixed by the nodule's identity (anatomy key plus lesion id) and not by the study.

    A nodule seen at two time points (or in a repositioned study) keeps one shape, so a stable
    nodule renders the same volume twice and a growing one scales. The earlier lobulation sampled a
    whole-volume noise field drawn per study at the nodule's voxels; its value there offset the
    radius by ±20 % from one study to the next, making a "stable" nodule grow 74 % in volume.
    `offset(u)` has zero mean and unit variance over directions (the nominal diameter stays the mean
    diameter); the radius is rad·(1 + 0.08·offset) as before.
    """

    KAPPA = 4.0     # bump width: exp(κ(cos θ − 1)) falls to 1/e at about 41°

    def __init__(self, r: np.random.Generator, lobes: int = 7):
        v = r.standard_normal((lobes, 3))
        self.axes = v / np.linalg.norm(v, axis=1, keepdims=True)
        self.weights = r.uniform(0.5, 1.0, lobes) * r.choice([-1.0, 1.0], lobes)
        probe = r.standard_normal((4000, 3))
        probe /= np.linalg.norm(probe, axis=1, keepdims=True)
        raw = self._raw(probe[:, 0], probe[:, 1], probe[:, 2])
        self.mean, self.std = float(raw.mean()), float(raw.std() + 1e-9)
        self.spicules = [(u / np.linalg.norm(u), float(r.uniform(1.6, 2.3)), float(r.uniform(0.5, 0.9)))
                         for u in r.standard_normal((14, 3))]

    def _raw(self, ux, uy, uz):
        out = 0.0
        for (ax, ay, az), w in zip(self.axes, self.weights):
            out = out + w * np.exp(self.KAPPA * (ux * ax + uy * ay + uz * az - 1.0))
        return out

    def offset(self, dx, dy, dz, dist):
        """Unit-variance radial offset at the anatomy-frame displacement (dx, dy, dz) from the centre."""
        inv = 1.0 / np.maximum(dist, 1e-6)
        return ((self._raw(dx * inv, dy * inv, dz * inv) - self.mean) / self.std).astype(np.float32)


def _supersampled_volume(grid: Grid, occ, coords, c, rad, shape_, P) -> float:
    """The nodule's volume (ml): its soft-edged occupancy averaged over 3×3×5 sub-voxel positions
    (the continuous object's volume). The plain voxel sum aliases with the nodule's position against
    2.5 mm slices (±15 % for a 5 mm nodule), which would make a stable nodule look changed.
    `shape_` is the nodule's NoduleShape, or the original rendering's lobulation field (or None)."""
    nz = np.argwhere(occ > 1e-4)
    if len(nz) == 0:
        return 0.0
    lo = np.maximum(nz.min(0) - 1, 0)
    hi = np.minimum(nz.max(0) + 2, occ.shape)
    box = tuple(slice(a, b) for a, b in zip(lo, hi))
    shape = occ.shape
    zz, yy, xx = (np.broadcast_to(a, shape)[box] for a in coords)
    R = P[0] if P is not None else np.eye(3)
    total, n = 0.0, 0
    for oz in np.linspace(-0.4, 0.4, 5) * grid.dz:
        for oy in (-grid.dx / 3, 0.0, grid.dx / 3):
            for ox in (-grid.dx / 3, 0.0, grid.dx / 3):
                a = R.T @ np.array([ox, oy, oz])     # scanner offset → anatomy offset
                ex, ey, ez = xx + a[0] - c[0], yy + a[1] - c[1], zz + a[2] - c[2]
                d = np.sqrt(ex ** 2 + ey ** 2 + ez ** 2)
                if isinstance(shape_, NoduleShape):
                    lb = shape_.offset(ex, ey, ez, d)
                else:   # the original rendering's field at the voxels (or 0: not lobulated)
                    lb = shape_[box] if isinstance(shape_, np.ndarray) else 0.0
                total += float(smoothstep_edge(d - rad * (1 + 0.08 * lb), 0.6 * grid.dx).sum())
                n += 1
    return total / n * grid.voxel_ml


def render(spec: dict, grid: Grid):
    pose = spec.get("pose")
    r = rng(spec.get("anatomy_key", spec["key"]), "ldct")
    own = rng(spec["key"], "ldct-own") if pose is not None else r   # prior: own texture, nodules, noise
    shape = (grid.nz, grid.ny, grid.nx)
    if pose is None:
        P = None
        zz, yy, xx = grid.coords()
        szz, syy, sxx = zz, yy, xx
    else:
        P = (np.asarray(pose["R"], float), np.asarray(pose["t"], float))
        zz, yy, xx = anatomy_coords(grid, *P)
        szz, syy, sxx = grid.coords()           # scanner coordinates (table)

    def texture(beta):
        # same draws from r as the unposed rendering (keeps the vessel tree), but this study's own field
        f = power_law_noise(shape, beta, r)
        if pose is None:
            return f
        off = [int(own.integers(n // 4, 3 * n // 4)) for n in shape]
        return np.roll(f, off, axis=(0, 1, 2))

    vol = np.full(shape, -1000.0, np.float32)
    # body cross-section (superellipse), narrower at the shoulders/neck above the apices
    bx = 160.0 - 25 * np.clip((zz - Z_APEX + 20) / 40, 0, 1)
    by = 112.0 - 10 * np.clip((zz - Z_APEX + 20) / 40, 0, 1)
    rho = (np.abs(xx / bx) ** 2.4 + np.abs(yy / by) ** 2.4) ** (1 / 2.4)
    depth = (1 - rho) * np.minimum(bx, by)
    body = smoothstep_edge(-depth, 0.8)
    tex = texture(2.5)
    vol = vol * (1 - body) + body * (-95.0 + 8 * tex)                   # subcutaneous fat
    muscle = (depth > 14 + 3 * tex) & (depth < 26)
    vol[muscle] = 48.0 + 4 * tex[muscle]
    inner = depth >= 26
    vol[inner] = -80.0 + 10 * tex[inner]                                 # mediastinal / extrapleural fat
    abdomen = inner & (zz < Z_BASE + 40 + 0.12 * xx)                    # liver / spleen under the domes
    vol[abdomen] = 55.0 + 5 * tex[abdomen]
    # ribs: oblique bands in the chest wall (descend anteriorly), with cortex
    theta = np.arctan2(yy, np.abs(xx) + 1e-3)
    rib_phase = np.cos(2 * np.pi * (zz + 38 * (1 - np.sin(theta))) / 24.0)
    rib = (depth > 26) & (depth < 34) & (rib_phase > 0.55) & (np.abs(xx) > 25)
    vol[rib] = 350 + 300 * (rib_phase[rib] > 0.8)
    # spine: vertebral body + canal + posterior elements
    vb = np.broadcast_to(((xx / 20) ** 2 + ((yy - 62) / 17) ** 2) < 1, shape)
    vol[vb] = 260 + 40 * tex[vb]
    vbc = vb & np.broadcast_to(((xx / 20) ** 2 + ((yy - 62) / 17) ** 2) > 0.78, shape)
    vol[vbc] = 800
    canal = np.broadcast_to(((xx / 8) ** 2 + ((yy - 88) / 8) ** 2) < 1, shape)
    vol[canal] = 20
    post = np.broadcast_to((((xx / 28) ** 2 + ((yy - 98) / 6) ** 2) < 1) & ~canal, shape)
    vol[post] = 650
    # lungs
    lungs = lung_masks(grid, (zz, yy, xx))
    lung = lungs[0] | lungs[1]
    # heart (displaces the left lung medially) and great vessels
    heart = (((xx - 18) / 70) ** 2 + ((yy + 18) / 58) ** 2 + ((zz + 150) / 52) ** 2) < 1
    lung &= ~heart
    vol[heart] = 38 + 3 * tex[heart]
    pericardial_fat = (((xx - 18) / 75) ** 2 + ((yy + 18) / 63) ** 2 + ((zz + 150) / 56) ** 2 < 1) & ~heart
    vol[pericardial_fat & ~lung] = -90
    parenchyma = -860 + 45 * np.clip((yy + 80) / 160, 0, 1) + 12 * texture(2.0)
    vol[lung] = parenchyma[lung]
    lungf = lung.astype(np.float32)
    # aorta: ascending, arch, descending (non-contrast blood ~ 40 HU)
    a = lambda *p: np.array(p, float)
    for p0, p1, rad in ((a(5, -25, -110), a(5, -20, -45), 15), (a(5, -20, -45), a(18, 30, -35), 13),
                        (a(18, 30, -35), a(22, 48, -50), 12), (a(22, 48, -50), a(20, 50, -230), 12),
                        (a(-10, -5, -120), a(-12, -20, -40), 11)):     # + SVC
        _capsule(vol, None, grid, p0, p1, rad, 42.0, pose=P)
    # trachea and main bronchi (air lumen, soft-tissue wall)
    air_tree = [(a(0, -8, 40), a(0, -5, -65), 9.0), (a(0, -5, -65), a(-38, 2, -85), 6.5),
                (a(0, -5, -65), a(35, 5, -92), 6.0)]
    for p0, p1, rad in air_tree:
        _capsule(vol, None, grid, p0, p1, rad + 1.6, 30.0, pose=P)
    for p0, p1, rad in air_tree:
        _capsule(vol, None, grid, p0, p1, rad, -1000.0, pose=P)
    # pulmonary vessels and segmental airways from each hilum
    segs, airs = [], []
    for hilum, dirs in ((a(-42, 5, -90), [a(-0.3, -0.3, 1), a(-0.5, 0.2, -1), a(-0.6, -0.8, -0.3), a(-0.5, 0.9, -0.5)]),
                        (a(40, 8, -95), [a(0.3, -0.2, 1), a(0.5, 0.3, -1), a(0.6, -0.8, -0.2), a(0.4, 0.9, -0.6)])):
        for d in dirs + [dd + 0.5 * r.standard_normal(3) for dd in dirs]:
            _tree(r, hilum, d, 24.0, 4.0, 7, segs)
            _tree(r, hilum + a(0, -6, 0), d + 0.2 * r.standard_normal(3), 28.0, 3.2, 3, airs)
    for p0, p1, rad in segs:
        _capsule(vol, None, grid, p0, p1, rad, 40.0, mask=lungf, mode="max", pose=P)
    for p0, p1, rad in airs:
        _capsule(vol, None, grid, p0, p1, rad + 1.0, 10.0, mask=lungf, mode="max", pose=P)
    for p0, p1, rad in airs:
        _capsule(vol, None, grid, p0, p1, rad * 0.8, -1000.0, mask=lungf, pose=P)
    # CT table (scanner coordinates: it does not move with the patient)
    table = np.broadcast_to((syy > 122) & (syy < 130) & (np.abs(sxx) < 170), shape)
    vol[table] = 150
    # nodules
    lesions = []
    sops = [uid(spec["key"], 3, "sop", k) for k in range(grid.nz)]
    for i, les in enumerate(spec.get("lesions", [])):
        # the centre snaps to a voxel of the anatomy's own (unposed) grid, so a nodule seen at two
        # time points has one anatomical centre; in a posed study it lies at R·c + t, off the voxel grid
        c, _ = grid.snap(les["center"])
        rad = les["diameter"] / 2.0
        dxyz = np.sqrt((xx - c[0]) ** 2 + (yy - c[1]) ** 2 + (zz - c[2]) ** 2)
        lobulated = les.get("lobulated", les["diameter"] > 10)
        if les.get("persistent_shape"):
            # the nodule's own shape and spicules, the same at every time point (see NoduleShape)
            nodule = NoduleShape(rng(spec.get("anatomy_key", spec["key"]), "nodule", les.get("lesion_id", i)))
            lob = nodule.offset(xx - c[0], yy - c[1], zz - c[2], dxyz) if lobulated else 0.0
            spicules = nodule.spicules
        else:
            # the original rendering (training, validation and sample sets are made with it): the
            # study's whole-volume field at the nodule's voxels, and spicules drawn from the study
            nodule = None
            lob = power_law_noise(shape, 3.0, own) if lobulated else 0.0
            spicules = None
        d = dxyz - rad * (1 + 0.08 * lob)
        occ = smoothstep_edge(d, 0.6 * grid.dx)
        if les.get("spiculated"):
            if spicules is None:
                spicules = []
                for _ in range(14):
                    u = own.standard_normal(3); u /= np.linalg.norm(u)
                    spicules.append((u, own.uniform(1.6, 2.3), own.uniform(0.5, 0.9)))
            for u, reach, width in spicules:
                _capsule(vol, None, grid, c + u * rad * 0.8, c + u * rad * reach, width, 0.0, mask=lungf, pose=P)
        t = les["type"]
        if t == "solid":
            hu = 35.0 + 8 * tex
        elif t == "ggo":
            hu = -560.0 + 40 * tex
        elif t == "part_solid":
            hu = -540.0 + 40 * tex
        else:
            raise ValueError(t)
        vol[:] = vol * (1 - occ) + hu * occ
        extra = {"id": i + 1, "label": les.get("label", f"{t.replace('_', '-')} nodule"), "type": t,
                 "diameter_mm": les["diameter"],
                 "volume_ml": round(_supersampled_volume(grid, occ, (zz, yy, xx), c, rad, lob if nodule is None else
                                                         (nodule if lobulated else None), P), 3),
                 "malignant": bool(les.get("malignant", False))}
        if t == "part_solid":
            sd = les.get("solid_diameter", les["diameter"] * 0.4)
            core = smoothstep_edge(dxyz - sd / 2, 0.6 * grid.dx)
            vol[:] = vol * (1 - core) + (30.0 + 8 * tex) * core
            extra["solid_component_mm"] = sd
        if "lung_rads" in les:
            extra["lung_rads"] = les["lung_rads"]
        if "lobe" in les:
            extra["lobe"] = les["lobe"]
        if "lesion_id" in les:
            extra["lesion_id"] = les["lesion_id"]
        if P is None:
            rec = lesion_record(grid, c, sops, extra)
        else:   # exact centre in scanner coordinates; the named slice / pixel is the nearest voxel
            q = P[0] @ c + P[1]
            rec = lesion_record(grid, q, sops, extra)
            rec["center_mm"] = r4(q)
        lesions.append(rec)
    vol = gaussian_blur(vol, [0.3, 0.6, 0.6])
    vol += ct_noise(shape, spec.get("noise_hu", 22.0), own, corr_px=0.9)
    return vol, sops, lesions


def generate(spec: dict, patient, study, out_dir: str) -> dict:
    grid = default_grid(spec.get("slices", 96), spec.get("matrix", 256))
    vol, sops, lesions = render(spec, grid)
    series = Series(uid(spec["key"], "series", 3), 3, "CT", "LDCT LUNG SCREEN 2.5 mm", "CHEST",
                    frame_of_reference=uid(spec["key"], "for"))
    s = write_ct(vol, grid, patient, study, series, WINDOWS, spec["syntax"], out_dir, spec["key"],
                 kvp=120, mas=30, kernel="B50f", sop_uids=sops, image_comments="Low-dose screening protocol")
    return {"series": [s], "lesions": lesions}
