#!/usr/bin/env python3
"""Writes the small DICOM fixtures the unit tests read, with pydicom as an independent writer.

Run from the repository root: .venv/bin/python Tests/Fixtures/dicom/make_fixtures.py
The outputs are committed (a few KB each), so the tests do not need Python to run.
"""
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, generate_uid

OUT = Path(__file__).parent
ROOT = "2.25."


def base(rows=4, cols=5, bits=16, signed=False) -> Dataset:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = "2.25.1001"
    ds.StudyInstanceUID = "2.25.2001"
    ds.SeriesInstanceUID = "2.25.3001"
    ds.PatientName = "Müller^Jürgen"
    ds.PatientID = "FIXTURE-1"
    ds.Modality = "CT"
    ds.StudyDate = "20260102"
    ds.StudyDescription = "Fixture: line one\\not a value separator in LT? no, LO"
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = bits
    ds.BitsStored = 12 if bits == 16 else bits
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.RescaleSlope = 1
    ds.RescaleIntercept = -1024
    ds.WindowCenter = 40
    ds.WindowWidth = 400
    ds.PixelSpacing = [0.5, 0.75]
    ds.ImagePositionPatient = [-10, -20, 30]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    # A nested sequence: one item with a sequence of two items.
    inner1, inner2 = Dataset(), Dataset()
    inner1.CodeValue, inner2.CodeValue = "A1", "B2"
    outer = Dataset()
    outer.CodeMeaning = "outer"
    outer.ConceptCodeSequence = Sequence([inner1, inner2])
    ds.ReferencedImageSequence = Sequence([outer])
    # A private block.
    ds.add_new(0x00090010, "LO", "LIGHTBOX TEST")
    ds.add_new(0x00091001, "LO", "private value ")
    if bits == 16:
        dtype = np.int16 if signed else np.uint16
        arr = (np.arange(rows * cols, dtype=np.int32).reshape(rows, cols) * 37 % 4096).astype(dtype)
        if signed:
            arr = (arr - 2048).astype(np.int16)
    else:
        arr = (np.arange(rows * cols) * 11 % 256).astype(np.uint8)
        arr = arr.reshape(rows, cols)
    ds.PixelData = arr.tobytes()
    return ds, arr


def save(ds: Dataset, name: str, ts) -> None:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ts
    ds.file_meta = meta
    ds.save_as(OUT / name, enforce_file_format=True)


def main() -> None:
    for name, ts, signed in [("explicit_le.dcm", ExplicitVRLittleEndian, False),
                             ("implicit_le.dcm", ImplicitVRLittleEndian, True),
                             ("deflated.dcm", DeflatedExplicitVRLittleEndian, False)]:
        ds, arr = base(signed=signed)
        ds.PixelData = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        save(ds, name, ts)
        np.save(OUT / (name.replace(".dcm", ".npy")), arr)
    ds, arr = base(signed=True)
    ds.PixelData = arr.astype(">i2").tobytes()
    save(ds, "explicit_be.dcm", ExplicitVRBigEndian)
    np.save(OUT / "explicit_be.npy", arr)
    # Japanese name in ISO 2022 IR 87 (PS3.5 Annex H example).
    ds, arr = base()
    ds.SpecificCharacterSet = ["", "ISO 2022 IR 87"]
    ds.PatientName = "Yamada^Tarou=山田^太郎=やまだ^たろう"
    ds.StudyDescription = "ISO 2022"
    ds.PixelData = arr.tobytes()
    save(ds, "japanese.dcm", ExplicitVRLittleEndian)
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
