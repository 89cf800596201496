#!/usr/bin/env python3
"""Writes a synthetic CT series (uncompressed, explicit VR LE) for benchmarks, with pydicom.

usage: make_series.py OUT_DIR SLICES ROWS COLUMNS
Slices are written in shuffled file order so the reader must sort by ImagePositionPatient.
"""
import random
import sys
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

out, slices, rows, cols = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(7)
base = (rng.normal(1024 - 850, 40, size=(rows, cols))).astype(np.int16)
order = list(range(slices))
random.Random(7).shuffle(order)
for k, z in enumerate(order):
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = f"2.25.77{z:06d}"
    ds.StudyInstanceUID = "2.25.7700001"
    ds.SeriesInstanceUID = "2.25.7700002"
    ds.PatientName = "BENCH^PHANTOM"
    ds.PatientID = "BENCH-1"
    ds.Modality = "CT"
    ds.StudyDate = "20260101"
    ds.SeriesNumber = 1
    ds.InstanceNumber = z + 1
    ds.ImagePositionPatient = [-160.0, -160.0, -300.0 + 1.25 * z]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing = [0.625, 0.625]
    ds.SliceThickness = 1.25
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
    ds.WindowCenter, ds.WindowWidth = -600, 1500
    ds.PixelData = (base + np.int16(z % 50)).tobytes()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.save_as(out / f"IM{k:05d}.dcm", enforce_file_format=True)
