"""Brain MRI for stroke: DWI (b0 and b1000), ADC, FLAIR and T1 of one head, with acute infarcts,
chronic infarcts and white-matter hyperintensities (mimics) of known volume.

Anatomy (mm, patient LPS; +x is the patient's LEFT, +y posterior, +z superior): scalp, skull,
a CSF rim, a cortical grey-matter ribbon with sulci, white matter, deep grey nuclei and the lateral
ventricles. Each tissue has a proton-density-like S0, an apparent diffusion coefficient and FLAIR /
T1 intensities; the sequences are rendered on their own grids (different slice thickness and slice
positions, as on a real scanner, so that linking by slice index is wrong), with partial-volume
averaging through the slice, a smooth bias field per series, and Rician noise (the magnitude of
complex Gaussian noise). ADC is computed from the noisy b0 and b1000 images the way a scanner does
(ADC = ln(S0/S1000)/b), in 10⁻⁶ mm²/s.

Lesion specs:
  {"type": "acute_infarct", "territory": "left MCA", "volume_ml": 18, "onset_hours": 2.5}
  {"type": "chronic_infarct", "territory": "left PCA", "volume_ml": 6}
  {"type": "wmh", "center": [x, y, z], "axes": [a, b, c]}
An acute infarct is DWI bright and ADC dark from the first hour; its FLAIR signal is absent up to
4 h after onset and reaches full strength at 8 h. `dwi_flair_mismatch` is true when onset < 4.5 h
(the WAKE-UP trial's rule: DWI lesion without a clear FLAIR correlate ⇒ likely within 4.5 h).
"""
from __future__ import annotations

import os

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from .common import Plane, ds_round, gaussian_blur, power_law_noise, r4, rng, uid
from .write_dicom import Series, base_dataset, save, set_pixels, set_plane

MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4"
ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"

HEAD_C = np.array([0.0, 5.0, 40.0])
HEAD_AX = np.array([72.0, 92.0, 95.0])
SCALP, SKULL, CSF_RIM, CORTEX = 5.0, 6.5, 1.8, 3.2

# Tissue labels and their properties: S0 (T2-weighted b0), ADC (1e-6 mm²/s), FLAIR, T1. An acute
# infarct is not a tissue of its own: it scales the properties of the tissue it sits in.
AIR, SCALP_T, BONE, CSF, GM, WM, DEEP, CHRONIC, GLIOSIS, WMH = range(10)
S0 = {AIR: 0, SCALP_T: 550, BONE: 25, CSF: 1500, GM: 820, WM: 660, DEEP: 760,
      CHRONIC: 1400, GLIOSIS: 1100, WMH: 1020}
ADC = {AIR: 0, SCALP_T: 1100, BONE: 400, CSF: 3000, GM: 850, WM: 720, DEEP: 780,
       CHRONIC: 2500, GLIOSIS: 1300, WMH: 1050}
FLAIR = {AIR: 0, SCALP_T: 700, BONE: 25, CSF: 60, GM: 640, WM: 480, DEEP: 560,
         CHRONIC: 90, GLIOSIS: 980, WMH: 980}
T1 = {AIR: 0, SCALP_T: 950, BONE: 40, CSF: 240, GM: 560, WM: 820, DEEP: 640,
      CHRONIC: 280, GLIOSIS: 520, WMH: 690}
B_VALUE = 1000.0

# Where each territory's lesion sits (centre, mm) and how it is elongated (semi-axis ratios).
TERRITORIES = {
    "left MCA": ([46.0, 0.0, 48.0], [0.75, 1.25, 1.0]),
    "right MCA": ([-46.0, 0.0, 48.0], [0.75, 1.25, 1.0]),
    "left PCA": ([24.0, 58.0, 32.0], [0.9, 1.2, 0.8]),
    "right PCA": ([-24.0, 58.0, 32.0], [0.9, 1.2, 0.8]),
    "left ACA": ([8.0, -38.0, 72.0], [0.6, 1.3, 1.0]),
    "right ACA": ([-8.0, -38.0, 72.0], [0.6, 1.3, 1.0]),
}

# Sequence grids: (name, slice thickness = spacing mm, first slice z, slice count, series number).
MATRIX, FOV = 128, 230.0
SEQUENCES = [
    ("DWI", 5.0, -12.0, 24, 3),
    ("ADC", 5.0, -12.0, 24, 4),
    ("FLAIR", 5.0, -10.5, 24, 5),
    ("T1", 3.5, -12.0, 33, 6),
]
ACQ = {  # TR, TE, TI (ms), scanning sequence, variant, flip angle
    "DWI": (5200.0, 89.0, None, ["EP"], ["SK", "SP"], 90.0),
    "ADC": (5200.0, 89.0, None, ["EP"], ["SK", "SP"], 90.0),
    "FLAIR": (9000.0, 120.0, 2500.0, ["SE", "IR"], ["SK", "SP", "MP"], 150.0),
    "T1": (550.0, 12.0, None, ["SE"], ["SK", "SP"], 90.0),
}


def _ellipsoid_depth(x, y, z, center, axes):
    dx, dy, dz = x - center[0], y - center[1], z - center[2]
    rho = np.sqrt((dx / axes[0]) ** 2 + (dy / axes[1]) ** 2 + (dz / axes[2]) ** 2) + 1e-6
    return (1.0 - rho) * np.sqrt(dx * dx + dy * dy + dz * dz) / rho


class Head:
    """Tissue labels at any points (mm), for one patient's anatomy and lesions."""

    def __init__(self, spec: dict):
        r = rng(spec["key"], "brain")
        self.sulci = power_law_noise((48, 64, 64), 1.6, r)
        self.lobulation = power_law_noise((48, 64, 64), 2.2, r)
        self.lesions = []
        for i, les in enumerate(spec["lesions"]):
            if les["type"] in ("acute_infarct", "chronic_infarct"):
                c, ratio = TERRITORIES[les["territory"]]
                ratio = np.array(ratio)
                radius = (3 * les["volume_ml"] * 1000 / (4 * np.pi * ratio.prod())) ** (1 / 3)
                self.lesions.append(dict(les, id=i + 1, center=np.array(c), axes=ratio * radius))
            else:
                self.lesions.append(dict(les, id=i + 1, center=np.array(les["center"], float),
                                         axes=np.array(les["axes"], float)))

    def _field(self, noise, x, y, z):
        """A smooth random field at the points (trilinear lookup on a coarse periodic grid)."""
        gz = ((z + 40) / 3.0) % noise.shape[0]
        gy = ((y + 120) / 4.0) % noise.shape[1]
        gx = ((x + 120) / 4.0) % noise.shape[2]
        return noise[gz.astype(int), gy.astype(int), gx.astype(int)]

    def labels(self, x, y, z, with_lesions=True):
        """Tissue labels; chronic infarcts and WMH replace tissue, while an acute infarct is marked
        separately (`acute_mask`) because it changes the tissue it sits in rather than replacing it."""
        depth = _ellipsoid_depth(x, y, z, HEAD_C, HEAD_AX)
        lab = np.full(np.broadcast(x, y, z).shape, AIR, np.uint8)
        lab[depth > 0] = SCALP_T
        d = depth - SCALP
        lab[(d > 0) & (d <= SKULL)] = BONE
        d -= SKULL
        lab[d > 0] = CSF
        sulcus = self._field(self.sulci, x, y, z)
        cortex = (d > CSF_RIM) & (sulcus < 1.2)
        lab[cortex] = GM
        lab[(d > CSF_RIM + CORTEX + 0.8 * sulcus) & (d > CSF_RIM + 1.5)] = WM
        for sx in (-1, 1):
            deep = _ellipsoid_depth(x, y, z, [sx * 20.0, 0.0, 36.0], [10.0, 15.0, 11.0]) > 0
            lab[deep & (lab == WM)] = DEEP
            vent = _ellipsoid_depth(x, y, z, [sx * 8.0, 2.0, 46.0], [5.5, 24.0, 9.0]) > 0
            lab[vent & (d > 0)] = CSF
        if not with_lesions:
            return lab
        brain = (lab == GM) | (lab == WM) | (lab == DEEP)
        for les in self.lesions:
            inside = self.lesion_mask(les, x, y, z) & brain
            if les["type"] == "chronic_infarct":
                core = self.lesion_mask(les, x, y, z, shrink=0.72) & brain
                lab[inside] = GLIOSIS
                lab[core] = CHRONIC
            elif les["type"] == "wmh":
                lab[inside & (lab == WM)] = WMH
        return lab

    def acute_mask(self, lab, x, y, z):
        """Brain tissue inside an acute infarct (any tissue label; see `labels`)."""
        brain = (lab == GM) | (lab == WM) | (lab == DEEP)
        m = np.zeros(lab.shape, bool)
        for les in self.lesions:
            if les["type"] == "acute_infarct":
                m |= self.lesion_mask(les, x, y, z) & brain
        return m

    def lesion_mask(self, les, x, y, z, shrink=1.0):
        dx = (x - les["center"][0]) / (les["axes"][0] * shrink)
        dy = (y - les["center"][1]) / (les["axes"][1] * shrink)
        dz = (z - les["center"][2]) / (les["axes"][2] * shrink)
        wobble = 0.12 * self._field(self.lobulation, x, y, z) if les["type"] != "wmh" else 0.0
        return dx * dx + dy * dy + dz * dz < (1.0 + wobble) ** 2


def _grid_points(fov: float = FOV):
    """In-plane pixel centres (x for columns, y for rows) and the pixel spacing, mm."""
    n, dx = MATRIX, fov / MATRIX
    x0 = -(n - 1) / 2 * dx
    xs = x0 + np.arange(n) * dx
    ys = x0 + np.arange(n) * dx + 10.0
    return xs, ys, dx


def _acute_flair_gain(onset_hours: float) -> float:
    """Fraction of the full FLAIR hyperintensity an acute infarct shows at this age."""
    return float(np.clip((onset_hours - 4.0) / 4.0, 0.0, 1.0))


def render_series(head: Head, spec: dict, thickness: float, z0: float, nz: int, acute_fraction: bool = False):
    """Tissue property maps averaged through each slice: dict name → (nz, n, n) float32.

    Optional spec keys (absent in the committed samples, whose output they leave unchanged):
    `fov` (mm, same matrix: another pixel spacing) and `acute_contrast` (scales how far an acute
    infarct moves each property from its tissue's: gain → 1 + c·(gain − 1)). `acute_fraction`
    adds "acute": the fraction of each voxel's through-slice samples inside an acute infarct
    (the training mask, Training/models/mr_data.py)."""
    n = MATRIX
    xs, ys, dx = _grid_points(spec.get("fov", FOV))
    props = {"S0": S0, "ADC": ADC, "FLAIR": FLAIR, "T1": T1}
    out = {k: np.zeros((nz, n, n), np.float32) for k in props}
    sub = np.linspace(-0.4, 0.4, 5) * thickness
    onset = max([les.get("onset_hours", 0) for les in head.lesions if les["type"] == "acute_infarct"], default=0)
    # An acute infarct scales the tissue it sits in: cytotoxic oedema halves the ADC and raises T2
    # a little at once; FLAIR follows over hours (`_acute_flair_gain`); T1 drops slightly.
    acute_gain = {"S0": 1.18, "ADC": 0.5, "FLAIR": 1.0 + 0.6 * _acute_flair_gain(onset), "T1": 0.93}
    if "acute_contrast" in spec:
        acute_gain = {k: 1.0 + spec["acute_contrast"] * (g - 1.0) for k, g in acute_gain.items()}
    if acute_fraction:
        out["acute"] = np.zeros((nz, n, n), np.float32)
    luts = {name: np.array([table[i] for i in range(WMH + 1)], np.float32) for name, table in props.items()}
    X, Y = np.meshgrid(xs, ys)
    for k in range(nz):
        z = z0 + k * thickness
        for s in sub:
            Z = np.full_like(X, z + s)
            lab = head.labels(X, Y, Z)
            acute = head.acute_mask(lab, X, Y, Z)
            for name, lut in luts.items():
                v = lut[lab]
                v[acute] *= acute_gain[name]
                out[name][k] += v / len(sub)
            if acute_fraction:
                out["acute"][k] += acute / len(sub)
    return out, xs, ys, dx


def _rician(signal, sigma, r):
    return np.sqrt((signal + sigma * r.standard_normal(signal.shape)) ** 2
                   + (sigma * r.standard_normal(signal.shape)) ** 2).astype(np.float32)


def _bias(shape, r):
    nz, n, _ = shape
    z, y, x = np.meshgrid(np.linspace(-1, 1, nz), np.linspace(-1, 1, n), np.linspace(-1, 1, n), indexing="ij")
    c = r.uniform(-0.08, 0.08, 5)
    return (1.0 + c[0] * x + c[1] * y + c[2] * z + c[3] * x * y + c[4] * (x * x + y * y - 0.6)).astype(np.float32)


def images(spec: dict, only=None, acute_fraction: bool = False):
    """Every series' pixel data and geometry: name → dict(volume(s), z0, thickness).

    `only`: render just these series (the noise stream runs in SEQUENCES order, so leaving out
    the last ones, e.g. T1, does not change the others); `acute_fraction`: the DWI entry also
    gets "acute_fraction" (see `render_series`)."""
    head = Head(spec)
    r = rng(spec["key"], "mr-noise")
    result = {}
    for name, thickness, z0, nz, _ in SEQUENCES:
        if name == "ADC" or (only is not None and name not in only):
            continue
        maps, xs, ys, dx = render_series(head, spec, thickness, z0, nz, acute_fraction and name == "DWI")
        sigma = spec.get("noise", 0.025)
        if name == "DWI":
            s0 = maps["S0"]
            s1000 = s0 * np.exp(-B_VALUE * 1e-6 * maps["ADC"])
            bias = _bias(s0.shape, r)
            s0n = _rician(gaussian_blur(s0, [0, 0.5, 0.5]) * bias, sigma * 660, r)
            s1n = _rician(gaussian_blur(s1000, [0, 0.5, 0.5]) * bias, sigma * 330, r)
            with np.errstate(divide="ignore", invalid="ignore"):
                adc = np.log(np.maximum(s0n, 1) / np.maximum(s1n, 1)) / (B_VALUE * 1e-6)
            adc[s0n < 120] = 0  # background: scanners zero the map outside the head
            result["DWI"] = dict(b0=s0n, b1000=s1n, z0=z0, thickness=thickness, xs=xs, ys=ys, dx=dx)
            if acute_fraction:
                result["DWI"]["acute_fraction"] = maps["acute"]
            result["ADC"] = dict(adc=np.clip(adc, 0, 4000), z0=z0, thickness=thickness, xs=xs, ys=ys, dx=dx)
        else:
            vol = maps[name] * _bias(maps[name].shape, r)
            vol = _rician(gaussian_blur(vol, [0, 0.5, 0.5]), sigma * 600, r)
            result[name] = dict(image=vol, z0=z0, thickness=thickness, xs=xs, ys=ys, dx=dx)
    return head, result


def _plane(g, k) -> Plane:
    return Plane.make([g["xs"][0], g["ys"][0], g["z0"] + k * g["thickness"]], [1, 0, 0], [0, 1, 0], g["dx"], g["dx"])


def _acquisition(ds: Dataset, name: str) -> None:
    tr, te, ti, seq, variant, flip = ACQ[name]
    ds.ScanningSequence, ds.SequenceVariant = seq, variant
    ds.ScanOptions = ""
    ds.MRAcquisitionType = "2D"
    ds.RepetitionTime, ds.EchoTime, ds.FlipAngle = tr, te, flip
    if ti is not None:
        ds.InversionTime = ti
    ds.MagneticFieldStrength = 1.5
    ds.ImagingFrequency = 63.87
    ds.ImagedNucleus = "1H"
    ds.EchoTrainLength = 1


def _slices(g, name: str):
    """(plane, pixels, b-value or None, image type) per image of a sequence, in slice order."""
    nz = (g.get("image") if "image" in g else g.get("adc", g.get("b0"))).shape[0]
    for key, b, itype in (("b0", 0.0, ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"]),
                          ("b1000", B_VALUE, ["ORIGINAL", "PRIMARY", "DIFFUSION", "TRACEW"]),
                          ("adc", None, ["DERIVED", "PRIMARY", "DIFFUSION", "ADC"]),
                          ("image", None, ["ORIGINAL", "PRIMARY", "M", "NONE"])):
        if key in g:
            for k in range(nz):
                yield key, k, _plane(g, k), np.clip(np.rint(g[key][k]), 0, 4095).astype(np.uint16), b, itype


def write_classic(name, g, number, patient, study, spec, out_dir, sop_uids) -> dict:
    series = Series(uid(spec["key"], "series", number), number, "MR", f"{name} AX", "BRAIN",
                    frame_of_reference=uid(spec["key"], "for"))
    files, uids = [], []
    for i, (key, k, plane, px, b, itype) in enumerate(_slices(g, name)):
        sop = sop_uids[(name, key, k)]
        ds = base_dataset(patient, study, series, MR_IMAGE, sop, i + 1)
        ds.ImageType = itype
        _acquisition(ds, name)
        set_plane(ds, plane, g["thickness"])
        ds.SpacingBetweenSlices = ds_round(g["thickness"])
        if b is not None:
            ds.DiffusionBValue = b
        set_pixels(ds, px, "MONOCHROME2", 12, False)
        fname = f"MR{number:02d}_{key.upper()}_{k + 1:03d}.dcm"
        ts = save(ds, os.path.join(out_dir, fname), spec["syntax"])
        files.append(fname)
        uids.append(sop)
    return {"series_instance_uid": series.uid, "modality": "MR", "transfer_syntax_uid": ts, "files": files,
            "sop_instance_uids": uids, "description": series.description, "sequence": name}


def _fg(**kw) -> Sequence:
    item = Dataset()
    for k, v in kw.items():
        setattr(item, k, v)
    return Sequence([item])


def write_enhanced(name, g, number, patient, study, spec, out_dir, sop_uids) -> dict:
    """One Enhanced MR object for the whole series (both b-values of a DWI in one object)."""
    series = Series(uid(spec["key"], "series", number), number, "MR", f"{name} AX", "BRAIN",
                    frame_of_reference=uid(spec["key"], "for"))
    sop = uid(spec["key"], "enhanced", name)
    ds = base_dataset(patient, study, series, ENHANCED_MR, sop, 1)
    slices = list(_slices(g, name))
    first_type = slices[0][5]
    ds.ImageType = first_type[:3] + ["NONE"]
    tr, te, ti, seq, variant, flip = ACQ[name]
    ds.AcquisitionContrast = {"DWI": "DIFFUSION", "ADC": "DIFFUSION", "FLAIR": "FLUID_ATTENUATED", "T1": "T1"}[name]
    ds.PixelPresentation, ds.VolumetricProperties, ds.VolumeBasedCalculationTechnique = "MONOCHROME", "VOLUME", "NONE"
    ds.ComplexImageComponent = "MAGNITUDE"
    ds.MagneticFieldStrength = 1.5
    ds.ContentQualification = "RESEARCH"
    ds.ImageComments = "Synthetic phantom; not a patient image"
    shared = Dataset()
    shared.PixelMeasuresSequence = _fg(PixelSpacing=[ds_round(g["dx"])] * 2, SliceThickness=ds_round(g["thickness"]),
                                       SpacingBetweenSlices=ds_round(g["thickness"]))
    shared.PlaneOrientationSequence = _fg(ImageOrientationPatient=[1, 0, 0, 0, 1, 0])
    shared.MRTimingAndRelatedParametersSequence = _fg(RepetitionTime=tr, FlipAngle=flip, EchoTrainLength=1)
    shared.MREchoSequence = _fg(EffectiveEchoTime=te)
    shared.MRModifierSequence = _fg(InversionRecovery="YES" if ti else "NO", **({"InversionTimes": [ti]} if ti else {}))
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    per, frames = [], []
    for key, k, plane, px, b, itype in slices:
        item = Dataset()
        item.PlanePositionSequence = _fg(ImagePositionPatient=[ds_round(v) for v in plane.ipp])
        item.FrameContentSequence = _fg(StackID="1", InStackPositionNumber=k + 1,
                                        DimensionIndexValues=[({"b0": 1, "b1000": 2}.get(key, 1)), k + 1])
        item.MRImageFrameTypeSequence = _fg(FrameType=itype)
        if b is not None:
            item.MRDiffusionSequence = _fg(DiffusionBValue=b, DiffusionDirectionality="ISOTROPIC" if b else "NONE")
        per.append(item)
        frames.append(px)
        sop_uids[(name, key, k)] = sop
    ds.PerFrameFunctionalGroupsSequence = Sequence(per)
    di = []
    for pointer, group in (((0x0018, 0x9087), (0x0018, 0x9117)) if name == "DWI" else ()) + (((0x0020, 0x9057), (0x0020, 0x9111)),):
        d = Dataset()
        d.DimensionIndexPointer, d.FunctionalGroupPointer = pointer, group
        di.append(d)
    ds.DimensionIndexSequence = Sequence(di)
    ds.NumberOfFrames = len(frames)
    stack = np.stack(frames)
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.Rows, ds.Columns = stack.shape[1:]
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = stack.astype("<u2").tobytes()
    ds["PixelData"].VR = "OW"
    fname = f"MR{number:02d}_{name}_ENHANCED.dcm"
    ts = save(ds, os.path.join(out_dir, fname), spec["syntax"])
    return {"series_instance_uid": series.uid, "modality": "MR", "transfer_syntax_uid": ts, "files": [fname],
            "sop_instance_uids": [sop], "description": series.description, "sequence": name, "enhanced": True,
            "frames": len(frames)}


def _lesion_voxels(head: Head, les: dict, X, Y, Z):
    """The points that belong to one lesion as rendered."""
    lab = head.labels(X, Y, Z)
    if les["type"] == "acute_infarct":
        brain = (lab == GM) | (lab == WM) | (lab == DEEP)
        return brain & head.lesion_mask(les, X, Y, Z)
    code = [CHRONIC, GLIOSIS] if les["type"] == "chronic_infarct" else [WMH]
    return np.isin(lab, code) & head.lesion_mask(les, X, Y, Z)


def lesion_truth(head: Head, les: dict, g: dict, sop_uids, enhanced: bool) -> dict:
    """Ground truth of one lesion on the DWI b1000 grid (volume on a 0.5 mm grid)."""
    c, ax = les["center"], les["axes"]
    step = 0.5
    span = [np.arange(c[i] - ax[i] * 1.2, c[i] + ax[i] * 1.2 + step, step) for i in range(3)]
    X, Y, Z = np.meshgrid(*span, indexing="ij")
    inside = _lesion_voxels(head, les, X, Y, Z)
    volume_ml = float(inside.sum() * step ** 3 / 1000.0)
    centre = np.array([X[inside].mean(), Y[inside].mean(), Z[inside].mean()]) if inside.any() else c
    k = int(round((centre[2] - g["z0"]) / g["thickness"]))
    plane = _plane(g, k)
    col, row = plane.mm_to_px(centre)
    at = np.array([plane.ipp[0] + round(col) * g["dx"], plane.ipp[1] + round(row) * g["dx"], plane.ipp[2]])
    slices = []
    for kk in range(len(g["b1000"])):
        z = g["z0"] + kk * g["thickness"]
        Xs, Ys = np.meshgrid(g["xs"], g["ys"])
        m = _lesion_voxels(head, les, Xs, Ys, np.full_like(Xs, z))
        if m.any():
            rr, cc = np.nonzero(m)
            s = {"sop_instance_uid": sop_uids[("DWI", "b1000", kk)], "z_mm": round(z, 3),
                 "center_px": [round(float(cc.mean()), 2), round(float(rr.mean()), 2)],
                 "box_px": [int(cc.min()), int(rr.min()), int(cc.max()), int(rr.max())], "area_px": int(m.sum())}
            if enhanced:
                s["frame_number"] = len(g["b0"]) + kk + 1
            slices.append(s)
    rec = {"id": les["id"], "label": les.get("label", les["type"].replace("_", " ")), "type": les["type"],
           "center_mm": r4(at), "diameter_mm": round(float((6 * volume_ml * 1000 / np.pi) ** (1 / 3)), 2),
           "volume_ml": round(volume_ml, 2), "sop_instance_uid": sop_uids[("DWI", "b1000", k)],
           "center_px": [int(round(col)), int(round(row))],
           "severity": {"acute_infarct": "severe", "chronic_infarct": "mild", "wmh": "minimal"}[les["type"]],
           "slices": slices}
    if enhanced:
        rec["frame_number"] = len(g["b0"]) + k + 1
    if les["type"] != "wmh":
        rec["territory"] = les["territory"]
    if les["type"] == "acute_infarct":
        rec["onset_hours"] = les["onset_hours"]
        rec["dwi_flair_mismatch"] = bool(les["onset_hours"] < 4.5)
    return rec


def generate(spec: dict, patient, study, out_dir: str) -> dict:
    head, imgs = images(spec)
    enhanced = spec.get("enhanced", False)
    sop_uids = {}
    for name, _, _, _, number in SEQUENCES:
        for key, k, *_ in _slices(imgs[name], name):
            sop_uids[(name, key, k)] = uid(spec["key"], "mr", name, key, k)
    writer = write_enhanced if enhanced else write_classic
    series = [writer(name, imgs[name], number, patient, study, spec, out_dir, sop_uids)
              for name, _, _, _, number in SEQUENCES]
    lesions = [lesion_truth(head, les, imgs["DWI"], sop_uids, enhanced) for les in head.lesions]
    return {"series": series, "lesions": lesions}
