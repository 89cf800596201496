#!/usr/bin/env python3
"""Enhanced MR and MR sequence identity, ours against pydicom and DCMTK (run by `make test`;
env LIGHTBOX = our binary, required).

1. An Enhanced MR DWI object written by pydicom: 2 b-values × 9 oblique slices, frames stored in a
   shuffled order, per-frame Plane Position / Frame Content / MR Diffusion / Pixel Value
   Transformation, shared Pixel Measures / Plane Orientation / MR Timing. `lightbox info F --frames`
   must give, frame by frame, the position, orientation, spacing, b-value and rescale pydicom reads
   from the functional groups (per-frame before shared), the positions in the order DCMTK's
   `dcmdump +P ImagePositionPatient` prints them, and the stacks an independent numpy grouping gives
   (one per b-value, ordered along the slice normal). `--pixels-npy` equals pydicom's pixel_array.
2. The Enhanced MR files in pydicom-data (emri_small*, every transfer syntax): frame count and
   stored values equal pydicom's.
3. The MR sample studies (SampleStudies/*_MR_*): every series is identified as the sequence its sidecar
   names (DWI files as DWI_B0 / DWI by b-value), and the Enhanced DWI splits into a b0 and a b1000 stack
   of one frame per slice, each ordered by z.
4. Sequence identity of classic MR images written by pydicom with typical acquisition parameters
   (and a Series Description that lies): T1 SE, T2 TSE, FLAIR, MPRAGE, DWI b0 / b1000, ADC, STIR.
Prints `enhanced mr: N passed, M failed`; exits 1 on any failure.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"
MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4"
passed, failed = 0, 0


def check(ok: bool, what: str) -> None:
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


def seq(**kw) -> list:
    ds = Dataset()
    for k, v in kw.items():
        setattr(ds, k, v)
    return [ds]


def base(sop_class: str) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality = "MR"
    ds.PatientName, ds.PatientID = "Test^Enhanced", "EMR-1"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.FrameOfReferenceUID = generate_uid()
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    return ds


def write_enhanced_dwi(path: Path) -> dict:
    """The DWI object and the truth it was written from."""
    rng = np.random.default_rng(7)
    rows, cols, slices, bvalues = 24, 20, 9, [0.0, 1000.0]
    angle = np.radians(12)
    row_dir = np.array([1.0, 0.0, 0.0])
    col_dir = np.array([0.0, np.cos(angle), -np.sin(angle)])
    normal = np.cross(row_dir, col_dir)
    spacing = 4.4  # mm between slice centres
    frames = [(b, k) for b in bvalues for k in range(slices)]
    random.Random(3).shuffle(frames)  # stored order is not reading order
    ds = base(ENHANCED_MR)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"]
    ds.AcquisitionContrast = "DIFFUSION"
    ds.Rows, ds.Columns, ds.NumberOfFrames = rows, cols, len(frames)
    shared = Dataset()
    shared.PixelMeasuresSequence = seq(PixelSpacing=[1.25, 1.5], SliceThickness=4.0)
    shared.PlaneOrientationSequence = seq(ImageOrientationPatient=[*row_dir, *(round(v, 6) for v in col_dir)])
    shared.MRTimingAndRelatedParametersSequence = seq(RepetitionTime=5200.0, FlipAngle=90.0)
    shared.MREchoSequence = seq(EffectiveEchoTime=88.0)
    ds.SharedFunctionalGroupsSequence = [shared]
    per, pixels = [], []
    origin = np.array([-12.0, -20.0, 30.0])
    for b, k in frames:
        item = Dataset()
        ipp = origin + normal * spacing * k
        item.PlanePositionSequence = seq(ImagePositionPatient=[round(float(v), 4) for v in ipp])
        item.FrameContentSequence = seq(StackID="1", InStackPositionNumber=k + 1,
                                        DimensionIndexValues=[bvalues.index(b) + 1, k + 1])
        item.MRDiffusionSequence = seq(DiffusionBValue=b, DiffusionDirectionality="ISOTROPIC" if b else "NONE")
        item.PixelValueTransformationSequence = seq(RescaleIntercept=0.0, RescaleSlope=1.0 if b == 0 else 0.5,
                                                    RescaleType="US")
        item.MRImageFrameTypeSequence = seq(FrameType=["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"])
        per.append(item)
        pixels.append(rng.integers(0, 4096, size=(rows, cols), dtype=np.uint16))
    ds.PerFrameFunctionalGroupsSequence = per
    di = []
    for pointer, group in ((0x00189087, 0x00189117), (0x00209057, 0x00209111)):
        d = Dataset()
        d.DimensionIndexPointer, d.FunctionalGroupPointer = pointer, group
        di.append(d)
    ds.DimensionIndexSequence = di
    ds.PixelData = np.stack(pixels).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return {"frames": frames, "normal": normal}


def lightbox(exe: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def frame_value(ds: Dataset, i: int, macro: str, attr: str):
    """pydicom's reading of one attribute of frame i: per-frame group, then shared."""
    for groups in (ds.PerFrameFunctionalGroupsSequence[i], ds.SharedFunctionalGroupsSequence[0]):
        if macro in groups and attr in groups[macro][0]:
            return groups[macro][0][attr].value
    return None


def check_enhanced_dwi(exe: str, work: Path) -> None:
    path = work / "dwi_enhanced.dcm"
    truth = write_enhanced_dwi(path)
    ds = pydicom.dcmread(path)
    p = lightbox(exe, "info", str(path), "--frames")
    check(p.returncode == 0, f"info --frames exit {p.returncode}: {p.stderr[:300]}")
    if p.returncode != 0:
        return
    report = json.loads(p.stdout)
    check(report["enhanced"] is True, "the DWI object is reported as enhanced")
    frames = report["frames"]
    check(len(frames) == ds.NumberOfFrames, f"{len(frames)} frames, pydicom {ds.NumberOfFrames}")
    for i, f in enumerate(frames):
        ipp = [float(v) for v in frame_value(ds, i, "PlanePositionSequence", "ImagePositionPatient")]
        iop = [float(v) for v in frame_value(ds, i, "PlaneOrientationSequence", "ImageOrientationPatient")]
        ps = [float(v) for v in frame_value(ds, i, "PixelMeasuresSequence", "PixelSpacing")]
        b = float(frame_value(ds, i, "MRDiffusionSequence", "DiffusionBValue"))
        slope = float(frame_value(ds, i, "PixelValueTransformationSequence", "RescaleSlope"))
        check(np.allclose(f["image_position"], ipp, atol=1e-6), f"frame {i} position {f['image_position']} vs {ipp}")
        check(np.allclose(f["image_orientation"], iop, atol=1e-6), f"frame {i} orientation")
        check(np.allclose(f["pixel_spacing"], ps), f"frame {i} spacing {f['pixel_spacing']} vs {ps}")
        check(f.get("b_value") == b, f"frame {i} b-value {f.get('b_value')} vs {b}")
        check(f["rescale_slope"] == slope, f"frame {i} slope {f['rescale_slope']} vs {slope}")
        check(f.get("echo_time") == 88.0 and f.get("repetition_time") == 5200.0, f"frame {i} TE/TR from the shared groups")
    check(report["dimension_index_pointers"] == ["(0018,9087)", "(0020,9057)"],
          f"dimension index pointers {report['dimension_index_pointers']}")

    # DCMTK prints nested Image Position (Patient) values in item order.
    d = subprocess.run(["dcmdump", "-q", "+P", "0020,0032", str(path)], capture_output=True, text=True)
    dcmtk = [[float(v) for v in line.split("[", 1)[1].split("]", 1)[0].split("\\")]
             for line in d.stdout.splitlines() if "[" in line]
    ours = [f["image_position"] for f in frames]
    check(len(dcmtk) == len(ours) and np.allclose(dcmtk, ours, atol=1e-6), "positions in DCMTK's item order")

    # Independent grouping: one stack per b-value, ordered along the normal.
    normal = truth["normal"]
    expected = {}
    for i in range(ds.NumberOfFrames):
        b = float(frame_value(ds, i, "MRDiffusionSequence", "DiffusionBValue"))
        pos = np.array([float(v) for v in frame_value(ds, i, "PlanePositionSequence", "ImagePositionPatient")])
        expected.setdefault(b, []).append((float(pos @ normal), i))
    expected = {b: [i for _, i in sorted(v)] for b, v in expected.items()}
    stacks = {s.get("b_value"): s for s in report["stacks"]}
    check(set(stacks) == set(expected), f"stacks by b-value {sorted(stacks)} vs {sorted(expected)}")
    for b, order in expected.items():
        got = stacks.get(b, {})
        check(got.get("frames") == order, f"b={b} stack order {got.get('frames')} vs {order}")
    check(stacks.get(0.0, {}).get("sequence") == "DWI_B0", f"b=0 stack is {stacks.get(0.0, {}).get('sequence')}")
    check(stacks.get(1000.0, {}).get("sequence") == "DWI", f"b=1000 stack is {stacks.get(1000.0, {}).get('sequence')}")

    npy = work / "dwi.npy"
    p = lightbox(exe, "info", str(path), "--pixels-npy", str(npy))
    check(p.returncode == 0 and np.array_equal(np.load(npy), ds.pixel_array), "stored values equal pydicom's")


def check_pydicom_data(exe: str, work: Path) -> None:
    try:
        import data_store  # pydicom-data
    except ImportError:
        check(False, "pydicom-data is not installed (requirements-test.txt)")
        return
    files = sorted((Path(data_store.__file__).parent / "data").glob("emri_small*.dcm"))
    check(len(files) >= 5, f"{len(files)} emri_small files in pydicom-data")
    for f in files:
        ds = pydicom.dcmread(f)
        try:
            expected = ds.pixel_array
        except Exception:  # pydicom refuses it (emri_small_jpeg_2k_lossless_too_short): we must too, cleanly
            p = lightbox(exe, "info", str(f), "--pixels-npy", str(work / "x.npy"))
            check(p.returncode in (3, 4), f"{f.name}: pydicom cannot decode it, ours exits {p.returncode} "
                  "(want 3 undecodable or 4 truncated, with a message)")
            continue
        p = lightbox(exe, "info", str(f), "--frames")
        report = json.loads(p.stdout) if p.returncode == 0 else {"frames": []}
        check(len(report["frames"]) == int(ds.NumberOfFrames), f"{f.name}: frame count")
        npy = work / (f.stem + ".npy")
        p = lightbox(exe, "info", str(f), "--pixels-npy", str(npy))
        check(p.returncode == 0 and np.array_equal(np.load(npy), expected), f"{f.name}: stored values equal pydicom's")


CLASSIC = [
    # (name, attributes, expected sequence)
    ("t1_se", dict(ScanningSequence="SE", RepetitionTime=500, EchoTime=12), "T1"),
    ("t2_tse", dict(ScanningSequence="SE", RepetitionTime=4500, EchoTime=100), "T2"),
    ("flair", dict(ScanningSequence=["SE", "IR"], RepetitionTime=9000, EchoTime=120, InversionTime=2500), "FLAIR"),
    ("mprage", dict(ScanningSequence=["GR", "IR"], RepetitionTime=2300, EchoTime=3, InversionTime=900), "T1"),
    ("stir", dict(ScanningSequence=["SE", "IR"], RepetitionTime=5000, EchoTime=60, InversionTime=160), "STIR"),
    ("dwi_b0", dict(ScanningSequence="EP", RepetitionTime=5000, EchoTime=90, DiffusionBValue=0), "DWI_B0"),
    ("dwi_b1000", dict(ScanningSequence="EP", RepetitionTime=5000, EchoTime=90, DiffusionBValue=1000), "DWI"),
    ("adc", dict(ScanningSequence="EP", RepetitionTime=5000, EchoTime=90,
                 ImageType=["DERIVED", "PRIMARY", "DIFFUSION", "ADC"]), "ADC"),
    ("pd", dict(ScanningSequence="SE", RepetitionTime=2500, EchoTime=20), "PD"),
]


def check_sequence_identity(exe: str, work: Path) -> None:
    for name, attrs, expected in CLASSIC:
        ds = base(MR_IMAGE)
        ds.Rows = ds.Columns = 8
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND"]
        ds.SeriesDescription = "T2 FLAIR AX"  # free text that must not decide
        ds.ImagePositionPatient, ds.ImageOrientationPatient = [0, 0, 0], [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [1, 1]
        for k, v in attrs.items():
            setattr(ds, k, v)
        ds.PixelData = np.zeros((8, 8), np.uint16).tobytes()
        path = work / f"{name}.dcm"
        ds.save_as(path, enforce_file_format=True)
        p = lightbox(exe, "info", str(path), "--frames")
        got = json.loads(p.stdout)["stacks"][0].get("sequence") if p.returncode == 0 else f"exit {p.returncode}"
        check(got == expected, f"{name}: sequence {got}, want {expected}")


def check_samples(exe: str) -> None:
    root = Path(__file__).resolve().parents[2] / "SampleStudies"
    studies = sorted(p for p in root.glob("*_MR_*") if (p / "ground_truth.json").exists())
    check(len(studies) >= 3, f"{len(studies)} MR sample studies")
    for study in studies:
        gt = json.loads((study / "ground_truth.json").read_text())
        for series in gt["series"]:
            for name in series["files"][:: max(1, len(series["files"]) // 4)]:
                p = lightbox(exe, "info", str(study / name), "--frames")
                if p.returncode != 0:
                    check(False, f"{study.name}/{name}: exit {p.returncode}")
                    continue
                report = json.loads(p.stdout)
                got = sorted({s.get("sequence") for s in report["stacks"]})
                want = {"DWI": ["DWI", "DWI_B0"], "ADC": ["ADC"], "FLAIR": ["FLAIR"], "T1": ["T1"]}[series["sequence"]]
                if not series.get("enhanced") and series["sequence"] == "DWI":
                    want = ["DWI_B0"] if "_B0_" in name else ["DWI"]
                check(got == want, f"{study.name}/{name}: sequences {got}, want {want}")
                if series.get("enhanced") and series["sequence"] == "DWI":
                    stacks = report["stacks"]
                    zs = [[report["frames"][i]["image_position"][2] for i in s["frames"]] for s in stacks]
                    check(len(stacks) == 2 and all(len(z) == series["frames"] // 2 for z in zs)
                          and all(z == sorted(z) for z in zs), f"{study.name}: DWI stacks {[s['label'] for s in stacks]}")


def main() -> int:
    exe = os.environ.get("LIGHTBOX")
    if not exe or not os.path.exists(exe):
        print(f"FAIL: LIGHTBOX={exe!r} is not our binary (build it first)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        check_enhanced_dwi(exe, work)
        check_pydicom_data(exe, work)
        check_sequence_identity(exe, work)
        check_samples(exe)
    print(f"enhanced mr: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
