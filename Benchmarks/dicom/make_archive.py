#!/usr/bin/env python3
"""Writes an archive-shaped tree of small CT files for the study index benchmarks, with pydicom.

usage: make_archive.py OUT_DIR FILES PER_SERIES

One study per patient, one series per study, PER_SERIES 16x16 slices each, one folder per study
(OUT_DIR/PAT<n>/<study>/IM<k>.dcm), file names in shuffled instance order. Unlike make_series.py
(one series of FILES slices in one folder), the worklist of this tree has FILES / PER_SERIES
studies: what a paged index keeps in memory grows with that number, not with the files.
"""
import random
import sys
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

out, files, per_series = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
pixels = np.zeros((16, 16), dtype=np.int16).tobytes()
shuffle = random.Random(11)
for study in range((files + per_series - 1) // per_series):
    folder = out / f"PAT{study // 100:04d}" / f"ST{study:06d}"
    folder.mkdir(parents=True, exist_ok=True)
    order = list(range(min(per_series, files - study * per_series)))
    shuffle.shuffle(order)
    for k, z in enumerate(order):
        ds = Dataset()
        ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        ds.SOPInstanceUID = f"2.25.88{study:07d}{z:04d}"
        ds.StudyInstanceUID = f"2.25.88{study:07d}"
        ds.SeriesInstanceUID = f"2.25.88{study:07d}1"
        ds.PatientName = f"BENCH^P{study:06d}"
        ds.PatientID = f"B{study:06d}"
        ds.Modality = "CT"
        ds.StudyDate = f"2026{1 + study % 12:02d}{1 + study % 28:02d}"
        ds.StudyDescription = "CT CHEST"
        ds.SeriesNumber = 1
        ds.InstanceNumber = z + 1
        ds.ImagePositionPatient = [-160.0, -160.0, -300.0 + 1.25 * z]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [0.625, 0.625]
        ds.Rows, ds.Columns = 16, 16
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.PixelData = pixels
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta = meta
        ds.save_as(folder / f"IM{k:04d}.dcm", enforce_file_format=True)
