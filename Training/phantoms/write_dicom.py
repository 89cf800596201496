"""Minimal, deterministic DICOM writer on top of pydicom 3.

Builds the SOP Common, Patient, General Study, General Series, General Equipment, General Image and
Image Pixel modules; the phantom modules add the modality-specific ones (CT Image, Image Plane,
DX/MG, VOI LUT) and hand the dataset to `save`, which encodes the pixel data in the requested
transfer syntax.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (JPEG2000Lossless, JPEGLosslessSV1, JPEGLSLossless, ExplicitVRLittleEndian,
                         RLELossless, UID)

from .common import ds_str

IMPLEMENTATION_CLASS_UID = "2.25.129384662010342389573902387761200911131"
IMPLEMENTATION_VERSION = "LIGHTBOX_PH_1"

TRANSFER_SYNTAXES = {
    "explicit_le": ExplicitVRLittleEndian,
    "rle": RLELossless,
    "jpeg_ls": JPEGLSLossless,
    "j2k": JPEG2000Lossless,
    "jpeg_lossless": JPEGLosslessSV1,   # via DCMTK dcmcjpeg; falls back to JPEG-LS if it is missing
}

SOP_CLASSES = {
    "CT": "1.2.840.10008.5.1.4.1.1.2",           # CT Image Storage
    "MG": "1.2.840.10008.5.1.4.1.1.1.2",         # Digital Mammography X-Ray Image Storage - For Presentation
    "DX": "1.2.840.10008.5.1.4.1.1.1.1",         # Digital X-Ray Image Storage - For Presentation
    "CR": "1.2.840.10008.5.1.4.1.1.1",           # Computed Radiography Image Storage
}


@dataclass
class Patient:
    patient_id: str
    name: str
    birth_date: str
    sex: str
    charset: list[str] | str | None = None   # SpecificCharacterSet; None = default repertoire
    other_ids: list[str] = field(default_factory=list)


@dataclass
class Study:
    uid: str
    date: str
    time: str
    description: str
    accession: str
    study_id: str
    age: str              # PatientAge at the time of the study, e.g. "054Y"
    referring: str = ""


@dataclass
class Series:
    uid: str
    number: int
    modality: str
    description: str
    body_part: str
    frame_of_reference: str | None = None


def base_dataset(patient: Patient, study: Study, series: Series, sop_class: str, sop_uid: str,
                 instance_number: int) -> Dataset:
    ds = Dataset()
    if patient.charset:
        ds.SpecificCharacterSet = patient.charset
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.InstanceCreationDate = study.date
    ds.InstanceCreationTime = study.time
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_uid
    ds.StudyDate = study.date
    ds.SeriesDate = study.date
    ds.ContentDate = study.date
    ds.StudyTime = study.time
    ds.SeriesTime = study.time
    ds.ContentTime = study.time
    ds.AccessionNumber = study.accession
    ds.Modality = series.modality
    ds.Manufacturer = "Lightbox Synthetic Phantom"
    ds.InstitutionName = "Lightbox Teaching File (synthetic)"
    ds.ReferringPhysicianName = study.referring
    ds.StudyDescription = study.description
    ds.SeriesDescription = series.description
    ds.ManufacturerModelName = "phantoms (Training/)"
    ds.PatientName = patient.name
    ds.PatientID = patient.patient_id
    ds.IssuerOfPatientID = "LIGHTBOX-SYNTHETIC"
    ds.PatientBirthDate = patient.birth_date
    ds.PatientSex = patient.sex
    ds.PatientAge = study.age
    ds.PatientIdentityRemoved = "NO"
    ds.BodyPartExamined = series.body_part
    ds.DeviceSerialNumber = "PHANTOM-0001"
    ds.SoftwareVersions = "lightbox-phantoms 1.0"
    ds.StudyInstanceUID = study.uid
    ds.SeriesInstanceUID = series.uid
    ds.StudyID = study.study_id
    ds.SeriesNumber = series.number
    ds.InstanceNumber = instance_number
    if series.frame_of_reference:
        ds.FrameOfReferenceUID = series.frame_of_reference
        ds.PositionReferenceIndicator = ""
    ds.BurnedInAnnotation = "NO"
    return ds


def set_plane(ds: Dataset, plane, slice_thickness: float | None = None) -> None:
    ds.ImagePositionPatient = [ds_str(v) for v in plane.ipp]
    ds.ImageOrientationPatient = [ds_str(v) for v in plane.iop()]
    ds.PixelSpacing = [ds_str(plane.row_spacing), ds_str(plane.col_spacing)]
    if slice_thickness is not None:
        ds.SliceThickness = ds_str(slice_thickness)
        ds.SliceLocation = ds_str(float(plane.ipp[2]))


def set_windows(ds: Dataset, windows: list[tuple[float, float, str]]) -> None:
    ds.WindowCenter = [ds_str(c) for c, _, _ in windows]
    ds.WindowWidth = [ds_str(w) for _, w, _ in windows]
    ds.WindowCenterWidthExplanation = [e for _, _, e in windows]


def code_item(value: str, scheme: str, meaning: str) -> Dataset:
    it = Dataset()
    it.CodeValue = value
    it.CodingSchemeDesignator = scheme
    it.CodeMeaning = meaning
    return it


def code_seq(value: str, scheme: str, meaning: str) -> Sequence:
    return Sequence([code_item(value, scheme, meaning)])


def set_pixels(ds: Dataset, arr: np.ndarray, photometric: str, bits_stored: int, signed: bool) -> None:
    assert arr.ndim == 2
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.Rows, ds.Columns = int(arr.shape[0]), int(arr.shape[1])
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    a = arr.astype("<i2" if signed else "<u2")
    lo, hi = (-(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1) if signed else (0, (1 << bits_stored) - 1)
    assert a.min() >= lo and a.max() <= hi, (a.min(), a.max(), bits_stored)
    ds.SmallestImagePixelValue = int(a.min())
    ds.LargestImagePixelValue = int(a.max())
    # pydicom infers US/SS for these two from PixelRepresentation
    ds["SmallestImagePixelValue"].VR = "SS" if signed else "US"
    ds["LargestImagePixelValue"].VR = "SS" if signed else "US"
    ds.PixelData = a.tobytes()
    ds["PixelData"].VR = "OW"


def _finish_meta(ds: Dataset, ts: str) -> None:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = UID(ts)
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION
    ds.file_meta = meta


def have_dcmcjpeg() -> bool:
    return shutil.which("dcmcjpeg") is not None


def save(ds: Dataset, path: str, syntax: str) -> str:
    """Encode `ds` (native pixel data) in `syntax` (a TRANSFER_SYNTAXES key) and write it.
    Returns the transfer syntax actually used."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if syntax == "jpeg_lossless" and not have_dcmcjpeg():
        syntax = "jpeg_ls"
    ts = TRANSFER_SYNTAXES[syntax]
    _finish_meta(ds, ExplicitVRLittleEndian)
    if syntax == "rle":
        ds.compress(RLELossless, encoding_plugin="pylibjpeg", generate_instance_uid=False)
        ds.LossyImageCompression = "00"
    elif syntax == "jpeg_ls":
        ds.compress(JPEGLSLossless, encoding_plugin="pyjpegls", generate_instance_uid=False)
        ds.LossyImageCompression = "00"
    elif syntax == "j2k":
        ds.compress(JPEG2000Lossless, encoding_plugin="pylibjpeg", generate_instance_uid=False)
        ds.LossyImageCompression = "00"
    elif syntax == "jpeg_lossless":
        ds.LossyImageCompression = "00"
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "in.dcm")
            ds.save_as(src, enforce_file_format=True)
            # +e1: process 14 SV1; -ud: keep the SOP Instance UID (lossless); +un: no derivation
            subprocess.run(["dcmcjpeg", "-q", "+e1", "+un", src, path], check=True)
            fix = pydicom.dcmread(path)  # restore our implementation identity so reruns are stable
            fix.file_meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
            fix.file_meta.ImplementationVersionName = IMPLEMENTATION_VERSION
            fix.save_as(path, enforce_file_format=True)
        return str(ts)
    _finish_meta(ds, ts)
    ds.save_as(path, enforce_file_format=True)
    return str(ts)
