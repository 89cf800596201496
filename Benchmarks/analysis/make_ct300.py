#!/usr/bin/env python3
"""Writes a 300-slice, 512x512 chest CT for the analysis timing benchmark (pydicom, explicit VR LE).

  make_ct300.py OUT_DIR

Made from SampleStudies/05_LDCT_YAMADA_2026 (96 slices of 256x256, 1.41 mm, 2.5 mm apart): linear
interpolation to 300 slices 0.8 mm apart and 2x in plane (0.70 mm pixels), so the anatomy and its
nodules are real phantom anatomy at a clinical matrix. The pixel spacing is outside the LDCT card's
validated range, so the run is flagged out of distribution; it still runs end to end, which is
what is timed. Deterministic."""
import os
import sys

import numpy as np
import pydicom
from pydicom.uid import ExplicitVRLittleEndian

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "SampleStudies", "05_LDCT_YAMADA_2026")
out = sys.argv[1]
DONE = out.rstrip("/") + ".done"   # beside the series, not in it (it is not DICOM)
if os.path.exists(DONE):
    sys.exit(0)
os.makedirs(out, exist_ok=True)
ds = [pydicom.dcmread(os.path.join(SRC, f)) for f in sorted(os.listdir(SRC)) if f.endswith(".dcm")]
ds.sort(key=lambda d: float(d.ImagePositionPatient[2]))
vol = np.stack([d.pixel_array.astype(np.float32) for d in ds])
z0 = float(ds[0].ImagePositionPatient[2])
z_src = np.array([float(d.ImagePositionPatient[2]) for d in ds])
n = 300
z_new = np.linspace(z_src[0], z_src[-1], n)
first = ds[0]
px = float(first.PixelSpacing[0]) / 2
for k, z in enumerate(z_new):
    i = min(int(np.searchsorted(z_src, z, side="right")) - 1, len(z_src) - 2)
    w = (z - z_src[i]) / (z_src[i + 1] - z_src[i])
    sl = (1 - w) * vol[i] + w * vol[i + 1]
    sl = np.repeat(np.repeat(sl, 2, axis=0), 2, axis=1)   # 512x512
    d = pydicom.dcmread(os.path.join(SRC, sorted(os.listdir(SRC))[0]))
    d.decompress() if d.file_meta.TransferSyntaxUID.is_compressed else None
    d.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    d.SOPInstanceUID = f"2.25.3300{k:06d}"
    d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
    d.SeriesInstanceUID = "2.25.33009999991"
    d.StudyInstanceUID = "2.25.33009999990"
    d.InstanceNumber = k + 1
    d.Rows, d.Columns = 512, 512
    d.PixelSpacing = [px, px]
    d.SliceThickness = 0.8
    pos = list(map(float, first.ImagePositionPatient))
    d.ImagePositionPatient = [pos[0] - px / 2, pos[1] - px / 2, float(z)]
    arr = np.rint(sl).astype(np.int16 if d.PixelRepresentation == 1 else np.uint16)
    d.PixelData = arr.tobytes()
    d.save_as(os.path.join(out, f"CT{k + 1:04d}.dcm"), enforce_file_format=True)
open(DONE, "w").close()
