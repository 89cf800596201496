#!/usr/bin/env python3
"""Real radiographs, CT and MR images from the `pydicom` and `pydicom-data` packages, as inputs to
the Lightbox models: each as-is and re-headered into a card's validated ranges. trust.py measures
the out-of-distribution detector on them; `--write DIR` writes the re-headered copies as DICOM
studies for the workstation's own test (`lightbox analyze DIR/<model id>/<image>`).

  python Training/trust/real_images.py --list                    # the images and why each is in
  python Training/trust/real_images.py --write DIR [--task T]    # re-headered DICOM, one study per image
  python Training/trust/real_images.py --check DIR [--task T]    # read them back, run model + card detector

Which files: every file of pydicom's test files (pydicom/data/test_files) and of pydicom-data's
store (data_store/data) was read once to choose them (files are then found by name with
pydicom.data.get_testdata_file; get_testdata_files("*") is not used because, with pydicom-data
installed, it waits on a download source that this offline machine cannot reach); those kept are the real patient or
volunteer images of modality CR/DX/CT/MR (REAL below), one file per distinct image (the same image
in other encodings, e.g. RG1_J2KR.dcm for RG1_UNCR.dcm, is listed as an alias, not read twice).
Left out, with the reason: NM (JPEG2000*.dcm, JPEG-LL.dcm: nuclear medicine, not a radiograph),
US and colour images, OT test patterns (mlut_18, vlut_04, image_dfl), SEG masks (liver*),
eCT_Supplemental.dcm (a derived, thresholded perfusion-style map from a test vendor "Acme"),
examples_overlay.dcm (a crop of MR-SIEMENS-DICOM-WithOverlays.dcm), and files under 64x64.

As-is: the file's own pixels through the card's preprocessing, as the workstation would feed them
if the header checks were overridden (rescale slope/intercept applied; MONOCHROME1 inverted for
projection models; CT models window the values as HU; a single image is a one-slice series, a
multi-frame file a series of its frames; a mammography view without its partner repeats itself
in channel 1, as the workstation does).

Re-headered (what `--write` stores and `model_input(..., reheadered=True)` feeds): modality, body
part, view, laterality (mammography: R CC), presentation intent, pixel spacing (middle of the
card's range), photometric MONOCHROME2 (MONOCHROME1 pixels inverted), matrix resampled (bilinear)
to the card's matrix (chest radiograph 1024x1024, mammography 1000x800, CT 256x256), slice
thickness of the card. Pixel values: projection targets get the image scaled to 12 bits; CT
targets keep the HU of a CT source, and other sources get stored = 12-bit-scaled value with
RescaleIntercept -1024 (so HU -1024..3071)."""
from __future__ import annotations

import argparse
import hashlib
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TRAINING, "models"))

from tasks import TASKS, slice_input, window  # noqa: E402

# (file, modality, what it shows, aliases: the same image in other encodings)
REAL = [
    ("RG1_UNCR.dcm", "CR", "PA chest radiograph, MONOCHROME1, 1955x1841, no usable pixel spacing",
     ["RG1_UNCI.dcm", "RG1_J2KR.dcm", "RG1_J2KI.dcm"]),
    ("RG3_UNCR.dcm", "CR", "forearm / extremity radiograph, MONOCHROME1, 1760x1760",
     ["RG3_UNCI.dcm", "RG3_J2KR.dcm", "RG3_J2KI.dcm"]),
    ("693_UNCR.dcm", "CT", "axial head CT at the skull vertex, 512x512, 0.48 mm",
     ["693_UNCI.dcm", "693_J2KR.dcm", "693_J2KI.dcm"]),
    ("CT_small.dcm", "CT", "axial CT of a vertebra, 128x128 crop, 0.66 mm", []),
    ("J2K_pixelrep_mismatch.dcm", "CT", "axial head CT at the skull base, 512x512, 0.43 mm", []),
    ("bad_sequence.dcm", "CT", "axial neck CT (cervical spine), 512x512, 0.29 mm, JPEG lossless", []),
    ("explicit_VR-UN.dcm", "CT", "axial abdominal CT (pancreas), 512x512, 0.86 mm", []),
    ("MR-SIEMENS-DICOM-WithOverlays.dcm", "MR", "axial abdominal MR, 484x484", ["examples_overlay.dcm (crop)"]),
    ("MR2_UNCR.dcm", "MR", "shoulder MR, 1024x1024, 0.20 mm", ["MR2_UNCI.dcm", "MR2_J2KR.dcm", "MR2_J2KI.dcm"]),
    ("MR_small.dcm", "MR", "MR, 64x64 crop", ["MR_small_*.dcm (other encodings)"]),
    ("emri_small.dcm", "MR", "enhanced MR, 10 frames of 64x64 (head)", ["emri_small_*.dcm (other encodings)"]),
]

MATRIX = {"ldct": (256, 256), "head_ct": (256, 256), "mammo": (1000, 800), "cxr": (1024, 1024), "mr_stroke": (128, 128)}
CT_TASKS = ("ldct", "head_ct")


def find(name):
    """Path of a test file: pydicom's own test files first, then pydicom-data's store."""
    from pydicom.data import get_testdata_file
    p = get_testdata_file(name)
    if p is None:
        import data_store   # pydicom-data
        p = os.path.join(os.path.dirname(data_store.__file__), "data", name)
    if not os.path.exists(p):
        raise FileNotFoundError(name)
    return p


def read(name):
    """One REAL image: dict(file, modality, what, frames float64 [Z,H,W] (rescaled values: HU for
    CT), monochrome1, bits, spacing, path)."""
    import pydicom
    path = find(name)
    ds = pydicom.dcmread(path)
    a = ds.pixel_array.astype(np.float64)
    if a.ndim == 2:
        a = a[None]
    slope = float(ds.get("RescaleSlope", 1) or 1)
    inter = float(ds.get("RescaleIntercept", 0) or 0)
    meta = next(r for r in REAL if r[0] == name)
    sp = ds.get("PixelSpacing")
    return {"file": name, "modality": meta[1], "what": meta[2], "aliases": meta[3], "path": path,
            "frames": a * slope + inter, "stored": a, "monochrome1": ds.PhotometricInterpretation == "MONOCHROME1",
            "bits": int(ds.BitsStored), "spacing": [float(v) for v in sp] if sp else None}


def collect():
    """Every REAL image, read (with its pixels under `pixels`)."""
    out = []
    for name, *_ in REAL:
        item = read(name)
        item["pixels"] = item
        out.append(item)
    return out


# ------------------------------------------------------------------ preprocessing

def _bilinear(img, size):
    """torch `interpolate(mode="bilinear", align_corners=False)` in numpy (no torch needed: `make
    test` runs this without it)."""
    img = np.asarray(img, np.float64)
    h, w = img.shape

    def axis(n_in, n_out):
        x = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0)
        i0 = np.minimum(np.floor(x).astype(int), n_in - 1)
        return i0, np.minimum(i0 + 1, n_in - 1), x - i0

    y0, y1, wy = axis(h, size[0])
    x0, x1, wx = axis(w, size[1])
    top = img[y0][:, x0] * (1 - wx) + img[y0][:, x1] * wx
    bottom = img[y1][:, x0] * (1 - wx) + img[y1][:, x1] * wx
    return (top * (1 - wy)[:, None] + bottom * wy[:, None]).astype(np.float32)


def _area(img, size):
    """torch `adaptive_avg_pool2d` in numpy: output cell i averages input [floor(i*n/m), ceil((i+1)*n/m))."""
    img = np.asarray(img, np.float64)
    h, w = img.shape
    s = np.zeros((h + 1, w + 1))
    s[1:, 1:] = img.cumsum(0).cumsum(1)
    ys = [(i * h // size[0], -(-(i + 1) * h // size[0])) for i in range(size[0])]
    xs = [(j * w // size[1], -(-(j + 1) * w // size[1])) for j in range(size[1])]
    out = np.empty(size, np.float64)
    for i, (a, b) in enumerate(ys):
        for j, (c, d) in enumerate(xs):
            out[i, j] = (s[b, d] - s[a, d] - s[b, c] + s[a, c]) / ((b - a) * (d - c))
    return out.astype(np.float32)


def _normalise(img):
    lo, hi = np.percentile(img, [1.0, 99.5])
    return np.clip((img - lo) / max(hi - lo, 1e-6), 0, 1).astype(np.float32)


def _to12(v, bits):
    """Stored values scaled into 12 bits (0..4095)."""
    return np.clip(np.rint(v / 2.0 ** max(bits - 12, 0)), 0, 4095)


def reheader_values(task, px):
    """The pixel values a re-headered copy stores, and its rescale intercept:
    frames [Z, H', W'] at the card matrix (MONOCHROME2)."""
    size = MATRIX[task]
    if task == "mr_stroke":                                       # every frame, 12-bit, 128x128
        v = px["stored"]
        if px["monochrome1"]:
            v = (2 ** px["bits"] - 1) - v
        return np.clip(np.rint(np.stack([_bilinear(_to12(f, px["bits"]), size) for f in v])), 0, 4095), 0.0
    if task in CT_TASKS:
        if px["modality"] == "CT":
            hu = np.stack([_bilinear(f, size) for f in px["frames"]])
            return np.clip(np.rint(hu), -1024, 3071), 0.0        # stored = HU, intercept 0 (signed)
        v = px["stored"]
        if px["monochrome1"]:
            v = (2 ** px["bits"] - 1) - v
        v = np.stack([_bilinear(_to12(f, px["bits"]), size) for f in v])
        return np.clip(np.rint(v), 0, 4095), -1024.0
    v = px["stored"][:1]                                          # projection: the first frame
    if px["monochrome1"]:
        v = (2 ** px["bits"] - 1) - v
    if px["modality"] == "CT":
        v = px["frames"][:1] + 1024.0                              # HU -> 12-bit stored, intercept -1024
        return np.clip(np.rint(np.stack([_bilinear(f, size) for f in v])), 0, 4095), 0.0
    return np.clip(np.rint(np.stack([_bilinear(_to12(f, px["bits"]), size) for f in v])), 0, 4095), 0.0


def model_input(task, px, item=None, reheadered=False):
    """float32 [K, C, H, W]: the model inputs of one run (K = slices for CT models, 1 image for the
    projection models). `px`: a read() dict or a phantom_pixels() dict."""
    cfg = TASKS[task]
    H, W = cfg["size"]
    if task == "mr_stroke":
        return mr_model_input(px, reheadered)
    if reheadered:
        vals, inter = reheader_values(task, px)
        px = {"modality": "CT" if task in CT_TASKS else "DX", "frames": vals + inter, "stored": vals,
              "monochrome1": False, "bits": 12}
    if task in CT_TASKS:
        hu = px["frames"]
        if px.get("projection_phantom"):
            hu = hu - 1024.0                       # a radiograph phantom stored with intercept -1024
        vol = []
        for f in hu:
            f = np.asarray(f, np.float32)
            if f.shape != (256, 256):
                f = _bilinear(f, (256, 256))
            w = window(f[None], *cfg["window"])[0]
            if (H, W) != (256, 256):
                w = _area(w, (H, W))
            vol.append(w)
        vol = np.stack(vol).astype(np.float32)
        return np.stack([slice_input(vol, k, cfg["context"]) for k in range(len(vol))]).astype(np.float32)
    if px["modality"] == "CT" and not px.get("projection_phantom"):
        f = px["frames"][len(px["frames"]) // 2]
    else:
        f = px["stored"][0]
        if px.get("monochrome1"):
            f = (2 ** px["bits"] - 1) - f
    x = _normalise(_area(f, (H, W)))
    C = cfg.get("channels", 2 * cfg["context"] + 1)
    return np.stack([x] * C)[None].astype(np.float32)


def mr_model_input(px, reheadered=False):
    """The brain-MR stroke model reads three series; one image series arriving as all three (its
    frames as DWI b1000, ADC and FLAIR, each through its channel's normalisation: mr_data.model_input
    with every slice position equal). Stored values (MONOCHROME1 inverted); frames resampled to
    128x128 (area for integer factors, else bilinear)."""
    import mr_data
    if reheadered:
        v, _ = reheader_values("mr_stroke", px)
    else:
        v = np.asarray(px["stored"], np.float64)
        if px.get("monochrome1"):
            v = (2 ** px["bits"] - 1) - v
    frames = []
    for f in v:
        f = np.asarray(f, np.float32)
        if f.shape != (128, 128):
            h, w = f.shape
            f = _area(f, (128, 128)) if h % 128 == 0 and w % 128 == 0 else _bilinear(f, (128, 128))
        frames.append(f)
    vol = np.maximum(np.stack(frames), 0)
    z = np.arange(len(vol), dtype=np.float64)
    return mr_data.model_input({"b1000": vol, "adc": vol, "flair": vol, "dwi_z": z, "adc_z": z, "flair_z": z})


def phantom_pixels(task, i):
    """Tuning case i of a task's phantoms as a read()-like dict (proxy OOD for another model):
    CT tasks a volume in HU; mammography its RCC view, chest radiograph its image (stored values,
    model resolution; marked projection_phantom so CT models read them with intercept -1024)."""
    import cxr_data
    import data
    import mammo_data
    if task in CT_TASKS:
        hu = data.make_case(TASKS[task]["kind"], "tune", i)["hu"].astype(np.float64)
        return {"modality": "CT", "frames": hu, "stored": hu + 1024, "monochrome1": False, "bits": 12}
    img = mammo_data.make_exam("tune", i)[0]["img"] if task == "mammo" else cxr_data.make_image("tune", i)["img"]
    img = np.asarray(img, np.float64)[None]
    return {"modality": "DX", "frames": img, "stored": img, "monochrome1": False, "bits": 12,
            "projection_phantom": True}


# ------------------------------------------------------------------ writing re-headered DICOM

def uid(*parts):
    """Deterministic UID 2.25.<128 bits of sha256> (like the phantoms' UIDs)."""
    h = hashlib.sha256("/".join(["lightbox-real-reheadered", *map(str, parts)]).encode()).digest()
    return "2.25." + str(int.from_bytes(h[:16], "big"))


def write_study(task, px, out_dir):
    """Writes the re-headered copy of one image for `task` as one study folder; returns its files."""
    import json
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian
    cfg = TASKS[task]
    from tasks import MODELS
    with open(os.path.join(MODELS, cfg["id"] + ".json")) as f:
        use = json.load(f)["intended_use"]
    vals, inter = reheader_values(task, px)
    lo, hi = use["pixel_spacing_range"]
    sp = round((lo + hi) / 2, 4)
    ct = task in CT_TASKS
    modality = use["modality"]
    sop_class = {"CT": "1.2.840.10008.5.1.4.1.1.2", "DX": "1.2.840.10008.5.1.4.1.1.1.1",
                 "MG": "1.2.840.10008.5.1.4.1.1.1.2"}[modality]
    stem = os.path.splitext(px["file"])[0]
    key = (cfg["id"], px["file"])
    study, series, frame = uid(*key, "study"), uid(*key, "series"), uid(*key, "frame")
    folder = os.path.join(out_dir, cfg["id"], stem)
    os.makedirs(folder, exist_ok=True)
    files = []
    thick = float(use.get("slice_thickness_mm") or 1.0)
    for k, v in enumerate(vals):
        sop = uid(*key, "image", k)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = sop_class
        meta.MediaStorageSOPInstanceUID = sop
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        meta.ImplementationClassUID = "2.25.1"
        path = os.path.join(folder, f"IM{k + 1:04d}.dcm")
        ds = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID, ds.SOPInstanceUID = sop_class, sop
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.PatientName = f"REAL^{stem.upper().replace('-', '_')[:20]}"
        ds.PatientID = f"REAL-{hashlib.sha256(stem.encode()).hexdigest()[:8].upper()}"
        ds.PatientBirthDate, ds.PatientSex = "19700101", "O"
        ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20260101"
        ds.StudyTime = ds.SeriesTime = ds.ContentTime = "120000"
        ds.AccessionNumber = ds.PatientID[-8:]
        ds.StudyID, ds.SeriesNumber, ds.InstanceNumber = "1", 1, k + 1
        ds.StudyDescription = f"REAL {stem} re-headered for {cfg['id']}"[:64]       # LO: 64 chars at most
        ds.SeriesDescription = f"re-headered {px['modality']} {stem}"[:64]
        ds.Modality, ds.BodyPartExamined = modality, use["body_part"]
        ds.Manufacturer = "Lightbox re-header (real_images.py)"
        ds.ImageComments = f"real image {px['file']} ({px['modality']}: {px['what']}), re-headered"
        ds.ImageType = ["DERIVED", "SECONDARY"]
        ds.Rows, ds.Columns = v.shape
        ds.PixelSpacing = [sp, sp]
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated = 16
        if ct:
            ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 15, 1
            ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = inter, 1, "HU"
            ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
            ds.ImagePositionPatient = [-sp * v.shape[1] / 2, -sp * v.shape[0] / 2, k * thick]
            ds.SliceThickness, ds.SliceLocation = thick, k * thick
            ds.KVP = 120
            ds.WindowCenter, ds.WindowWidth = list(cfg["window"])
            arr = v.astype(np.int16)
        else:
            ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 12, 11, 0
            ds.ImagerPixelSpacing = [sp, sp]
            ds.PresentationIntentType = "FOR PRESENTATION"
            ds.ViewPosition = use["views"][0]
            if modality == "MG":
                ds.ImageLaterality = ds.Laterality = "R"
                ds.PatientOrientation = ["P", "L"]
            else:
                ds.PatientOrientation = ["L", "F"]
            ds.WindowCenter, ds.WindowWidth = 2048, 4096
            arr = v.astype(np.uint16)
        ds.PixelData = arr.tobytes()
        ds.save_as(path, enforce_file_format=True)
        files.append(path)
    return files


def read_study(folder):
    """A written (or any single-series) study folder as a read()-like dict: frames sorted by
    InstanceNumber, rescale applied, MONOCHROME1 flagged."""
    import glob
    import pydicom
    dss = sorted((pydicom.dcmread(f) for f in glob.glob(os.path.join(folder, "*.dcm"))),
                 key=lambda d: int(d.InstanceNumber))
    stored = np.stack([d.pixel_array.astype(np.float64) for d in dss])
    d0 = dss[0]
    slope, inter = float(d0.get("RescaleSlope", 1) or 1), float(d0.get("RescaleIntercept", 0) or 0)
    return {"file": os.path.basename(folder), "modality": d0.Modality, "frames": stored * slope + inter,
            "stored": stored, "monochrome1": d0.PhotometricInterpretation == "MONOCHROME1",
            "bits": int(d0.BitsStored)}


def check(out_dir, tasks):
    """Reads back every written study, runs the model (onnxruntime) on it as the workstation would
    (the file's own headers now in range: as-is preprocessing) and applies the card's detector.
    Prints the median distance, the threshold and whether the run is out of distribution; returns
    the number of studies NOT flagged (0 is what the workstation test expects)."""
    import json
    import onnxruntime as ort
    from tasks import MODELS
    missed = 0
    for task in tasks:
        cfg = TASKS[task]
        with open(os.path.join(MODELS, cfg["id"] + ".json")) as f:
            det = json.load(f)["ood_detector"]
        sess = ort.InferenceSession(os.path.join(MODELS, cfg["id"] + ".onnx"), providers=["CPUExecutionProvider"])
        mean, prec = np.array(det["mean"]), np.array(det["precision"])
        root = os.path.join(out_dir, cfg["id"])
        for study in sorted(os.listdir(root)):
            px = read_study(os.path.join(root, study))
            x = model_input(task, px)
            feats = np.concatenate([sess.run(["features"], {"input": x[i:i + 8]})[0] for i in range(0, len(x), 8)])
            d = feats - mean
            dist = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", d, prec, d), 0))
            med = float(np.median(dist))
            flagged = med > det["threshold"]
            missed += not flagged
            print(f"{cfg['id']:24s} {study:34s} median distance {med:8.2f}  threshold {det['threshold']:.3f}  "
                  f"{'OUT OF DISTRIBUTION' if flagged else 'in distribution (NOT flagged)'}")
    return missed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", action="store_true", help="print the images, their files and aliases")
    ap.add_argument("--write", metavar="DIR", help="write re-headered DICOM: DIR/<model id>/<image>/IM0001.dcm ...")
    ap.add_argument("--check", metavar="DIR", help="read back DIR (written by --write), run each model and its card's "
                                                  "OOD detector on it; exit 1 if a study is not flagged")
    ap.add_argument("--task", action="append", choices=list(TASKS), help="only these models (default all)")
    a = ap.parse_args(argv)
    from tasks import LEGACY_TASKS       # writing MR studies (mr_stroke: three series) is not supported here
    if a.check:
        sys.exit(1 if check(a.check, a.task or list(LEGACY_TASKS)) else 0)
    if a.list or not a.write:
        for name, mod, what, aliases in REAL:
            print(f"{name:36s} {mod}  {what}" + (f"  (aliases: {', '.join(aliases)})" if aliases else ""))
            print(f"{'':36s} {find(name)}")
    if a.write:
        for item in collect():
            for task in a.task or list(LEGACY_TASKS):
                files = write_study(task, item, a.write)
                print(f"{TASKS[task]['id']}: {item['file']} -> {os.path.dirname(files[0])} ({len(files)} files)")


if __name__ == "__main__":
    main()
