#!/usr/bin/env python3
"""Conformance check of SampleStudies/ (run by `make test`; env LIGHTBOX = our binary).

For every study folder:
  * ground_truth.json validates against Training/ground_truth.schema.json;
  * every DICOM file reads with pydicom (pixel data decoded) and with DCMTK's dcmdump (exit 0, no
    "E:" lines); UIDs, transfer syntax and patient name agree with the sidecar (the patient name
    check exercises ISO 2022 IR 87 and ISO_IR 192);
  * when LIGHTBOX is set, every file also reads with `$LIGHTBOX info FILE --json` (same SOP
    Instance UID and patient name as the sidecar), and the middle file of each study decodes with
    `--pixels-npy` to exactly pydicom's stored values; a LIGHTBOX that is missing or whose
    `info --help` fails is a failure, not a skip;
  * lesion geometry is consistent: center_px on the named SOP instance maps through that image's
    ImagePositionPatient / ImageOrientationPatient / PixelSpacing to center_mm within half a pixel
    in-plane (and within half a slice along the normal for CT).
Studies with priors (a `prior` block in the follow-up's sidecar): the prior folder holds that study,
with the same Patient ID, Issuer of Patient ID, modality and body part and an earlier date (the
interval in days as written); each tracked lesion has one tracking UID and one status in both
sidecars, present_on_prior matches, resolved lesions are on the prior only, and for CT the prior
centre is R·(current centre) + t of the registration truth within 0.01 mm.
Also: SampleStudies/ stays within 40 MB.
Prints `sample studies: N passed, M failed`; exits 1 on any failure.
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pydicom
from jsonschema import Draft202012Validator

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.environ.get("SAMPLE_STUDIES", os.path.join(ROOT, "SampleStudies"))
SCHEMA = os.path.join(ROOT, "Training", "ground_truth.schema.json")
BUDGET = 40 * 1024 * 1024
DCMTK_DECODERS = {"1.2.840.10008.1.2.5": "dcmdrle", "1.2.840.10008.1.2.4.80": "dcmdjpls",
                  "1.2.840.10008.1.2.4.70": "dcmdjpeg"}


def lightbox_reader():
    """Our binary as (path, why skipped, error). Skipped only when LIGHTBOX is not set (run on its
    own, without our reader); a LIGHTBOX that is missing or whose `info --help` fails is an error,
    not a reason to drop the check (`make test` builds it first)."""
    exe = os.environ.get("LIGHTBOX")
    if not exe:
        return None, "LIGHTBOX not set", None
    exe = exe if os.path.isabs(exe) else os.path.join(ROOT, exe)
    if not os.path.exists(exe):
        return None, "", f"LIGHTBOX={exe} does not exist (build it: swift build -c release)"
    try:
        p = subprocess.run([exe, "info", "--help"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "", f"{exe} info --help did not run: {e}"
    if p.returncode != 0:
        return None, "", f"{exe} info --help: exit {p.returncode}: {p.stderr.decode(errors='replace').strip()[:200]}"
    return exe, "", None


def frame_geometry(ds, frame_number):
    """(ImagePositionPatient, ImageOrientationPatient, PixelSpacing, SliceThickness) of an image, or of
    one frame (1-based) of an Enhanced object, read from its functional groups (per-frame first)."""
    if frame_number is None or "PerFrameFunctionalGroupsSequence" not in ds:
        return ds.ImagePositionPatient, ds.ImageOrientationPatient, ds.PixelSpacing, getattr(ds, "SliceThickness", 0)

    def get(macro, attr):
        for groups in (ds.PerFrameFunctionalGroupsSequence[frame_number - 1], ds.SharedFunctionalGroupsSequence[0]):
            if macro in groups and attr in groups[macro][0]:
                return groups[macro][0][attr].value
        raise KeyError(f"{attr} in {macro} for frame {frame_number}")
    return (get("PlanePositionSequence", "ImagePositionPatient"), get("PlaneOrientationSequence", "ImageOrientationPatient"),
            get("PixelMeasuresSequence", "PixelSpacing"), get("PixelMeasuresSequence", "SliceThickness"))


def check_geometry(les_id, ds, center_mm, center_px, is_cross_sectional, frame_number=None):
    ipp, iop, spacing, thickness = frame_geometry(ds, frame_number)
    ipp = np.array([float(v) for v in ipp])
    iop = np.array([float(v) for v in iop])
    X, Y = iop[:3], iop[3:]
    dr, dc = (float(v) for v in spacing)
    c, r = center_px
    if not (0 <= c < ds.Columns and 0 <= r < ds.Rows):
        return [f"lesion {les_id}: center_px {center_px} outside {ds.Columns}x{ds.Rows}"]
    p = ipp + c * dc * X + r * dr * Y
    d = np.asarray(center_mm, float) - p
    n = np.cross(X, Y)
    n /= np.linalg.norm(n)
    errs = []
    eps = 1e-3
    if abs(d @ X) > 0.5 * dc + eps or abs(d @ Y) > 0.5 * dr + eps:
        errs.append(f"lesion {les_id}: center_px {center_px} maps to {np.round(p, 3).tolist()}, "
                    f"{np.round([d @ X, d @ Y], 3).tolist()} mm in-plane from center_mm {center_mm}")
    if is_cross_sectional:
        half = 0.5 * float(thickness or 0) + eps
        if abs(d @ n) > half:
            errs.append(f"lesion {les_id}: center_mm is {d @ n:.2f} mm off the named slice")
    return errs


def pn_from_json(element) -> str:
    """PS3.18 F.2.2 PN value → the Part 5 string form (alphabetic=ideographic=phonetic)."""
    v = (element or {}).get("Value", [{}])[0]
    if isinstance(v, str):
        return v
    groups = [v.get("Alphabetic", ""), v.get("Ideographic", ""), v.get("Phonetic", "")]
    while groups and not groups[-1]:
        groups.pop()
    return "=".join(groups)


def check_with_lightbox(reader, files, gt):
    """Every file: `lightbox info FILE --json` exits 0 with JSON, the same SOP Instance UID and
    patient name; the middle file: `--pixels-npy` gives the same stored values as pydicom."""
    errs = []
    for path in files:
        name = os.path.basename(path)
        p = subprocess.run([reader, "info", path, "--json"], capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            errs.append(f"lightbox info {name}: exit {p.returncode}: {p.stderr.strip()[:200]}")
            break
        try:
            ds = json.loads(p.stdout).get("dataset", {})
        except ValueError:
            errs.append(f"lightbox info {name} --json: not JSON")
            break
        sop = (ds.get("00080018") or {}).get("Value", [""])[0]
        if sop not in {u for s in gt.get("series", []) for u in s.get("sop_instance_uids", [])}:
            errs.append(f"lightbox info {name}: SOPInstanceUID {sop!r} not in sidecar")
        pn = pn_from_json(ds.get("00100010"))
        if pn != gt["patient"]["name"]:
            errs.append(f"lightbox info {name}: PatientName {pn!r} != {gt['patient']['name']!r}")
            break
    if files and not errs:
        path = files[len(files) // 2]
        npy = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"lightbox_ss_{os.getpid()}.npy")
        p = subprocess.run([reader, "info", path, "--pixels-npy", npy], capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            errs.append(f"lightbox info --pixels-npy {os.path.basename(path)}: exit {p.returncode}: "
                        f"{p.stderr.strip()[:200]}")
        else:
            ref = pydicom.dcmread(path).pixel_array
            got = np.load(npy)
            if got.size != ref.size or not np.array_equal(got.reshape(ref.shape), ref):
                errs.append(f"lightbox info --pixels-npy {os.path.basename(path)}: pixels differ from pydicom")
        if os.path.exists(npy):
            os.remove(npy)
    return errs


def check_study(folder, validator, reader):
    errs = []
    gt_path = os.path.join(folder, "ground_truth.json")
    if not os.path.exists(gt_path):
        return ["no ground_truth.json"], 0
    with open(gt_path, encoding="utf-8") as f:
        gt = json.load(f)
    for e in validator.iter_errors(gt):
        errs.append(f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
    files = sorted(glob.glob(os.path.join(folder, "*.dcm")))
    listed = {fn: s for s in gt.get("series", []) for fn in s.get("files", [])}
    if {os.path.basename(f) for f in files} != set(listed):
        errs.append("DICOM files and sidecar series.files differ")
    by_sop = {}
    for path in files:
        name = os.path.basename(path)
        try:
            ds = pydicom.dcmread(path)
            a = ds.pixel_array
            if a.shape != (ds.Rows, ds.Columns) and a.shape != (int(getattr(ds, "NumberOfFrames", 1)), ds.Rows, ds.Columns):
                errs.append(f"{name}: pixel array {a.shape}")
        except Exception as e:  # noqa: BLE001
            errs.append(f"{name}: pydicom: {e}")
            continue
        by_sop[ds.SOPInstanceUID] = ds
        s = listed.get(name)
        if ds.StudyInstanceUID != gt.get("study_instance_uid"):
            errs.append(f"{name}: StudyInstanceUID differs from sidecar")
        if s and str(ds.file_meta.TransferSyntaxUID) != s.get("transfer_syntax_uid"):
            errs.append(f"{name}: transfer syntax {ds.file_meta.TransferSyntaxUID} != sidecar")
        if s and ds.SOPInstanceUID not in s.get("sop_instance_uids", []):
            errs.append(f"{name}: SOPInstanceUID not in sidecar")
        if str(ds.PatientName) != gt["patient"]["name"]:
            errs.append(f"{name}: PatientName {str(ds.PatientName)!r} != {gt['patient']['name']!r}")
    # DCMTK: parse every file, decode one per study where DCMTK has a decoder
    if files:
        p = subprocess.run(["dcmdump", *files], capture_output=True, text=True, errors="replace")
        bad = [ln for ln in (p.stdout + p.stderr).splitlines() if ln.startswith("E:")]
        if p.returncode != 0 or bad:
            msg = (bad or [ln for ln in (p.stderr + p.stdout).splitlines() if ln.strip()][-1:] or [""])[0]
            errs.append(f"dcmdump exit {p.returncode}: {msg[:200]}")
        ts = str(pydicom.dcmread(files[0], stop_before_pixels=True).file_meta.TransferSyntaxUID)
        tool = DCMTK_DECODERS.get(ts)
        if tool and shutil.which(tool):
            out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"lightbox_ss_{os.getpid()}.dcm")
            q = subprocess.run([tool, files[len(files) // 2], out], capture_output=True, text=True)
            if q.returncode != 0:
                errs.append(f"{tool}: exit {q.returncode}: {q.stderr.strip()[:200]}")
            else:
                ref = pydicom.dcmread(files[len(files) // 2]).pixel_array
                if not np.array_equal(pydicom.dcmread(out).pixel_array, ref):
                    errs.append(f"{tool} and pydicom decode different pixels")
            if os.path.exists(out):
                os.remove(out)
    if reader:
        errs += check_with_lightbox(reader, files, gt)
    # lesion geometry
    for les in gt.get("lesions", []):
        apps = les.get("appearances") or [{"sop_instance_uid": les["sop_instance_uid"], "center_px": les["center_px"]}]
        if les.get("appearances") and not any(a["sop_instance_uid"] == les["sop_instance_uid"] and
                                              a["center_px"] == les["center_px"] for a in apps):
            errs.append(f"lesion {les.get('id')}: primary image not among its appearances")
        for a in apps:
            ds = by_sop.get(a["sop_instance_uid"])
            if ds is None:
                errs.append(f"lesion {les.get('id')}: SOP instance {a['sop_instance_uid']} not in study")
                continue
            errs += check_geometry(les.get("id"), ds, les["center_mm"], a["center_px"], ds.Modality in ("CT", "MR"),
                                   les.get("frame_number"))
        # MR: every per-slice record names an image of the study whose plane holds z_mm.
        for sl in les.get("slices", []):
            ds = by_sop.get(sl["sop_instance_uid"])
            if ds is None:
                errs.append(f"lesion {les.get('id')}: slice image {sl['sop_instance_uid']} not in study")
                continue
            ipp, *_ = frame_geometry(ds, sl.get("frame_number"))
            if abs(float(ipp[2]) - sl["z_mm"]) > 1e-3:
                errs.append(f"lesion {les.get('id')}: slice record z {sl['z_mm']} is not its image's z {ipp[2]}")
    return errs, len(files)


def check_prior_pair(folder):
    """A follow-up's `prior` block against the two studies (see the module doc)."""
    with open(os.path.join(folder, "ground_truth.json"), encoding="utf-8") as f:
        gt = json.load(f)
    block = gt.get("prior")
    if not block:
        return []
    errs = []
    pdir = os.path.join(SAMPLES, block.get("folder") or "")
    if not block.get("folder") or not os.path.exists(os.path.join(pdir, "ground_truth.json")):
        return [f"prior: folder {block.get('folder')!r} has no sidecar"]
    with open(os.path.join(pdir, "ground_truth.json"), encoding="utf-8") as f:
        pgt = json.load(f)
    if pgt["study_instance_uid"] != block["study_instance_uid"]:
        errs.append("prior: study_instance_uid differs from the prior folder's")
    if (pgt.get("follow_up") or {}).get("study_instance_uid") != gt["study_instance_uid"]:
        errs.append("prior: the prior's follow_up does not name this study")
    heads = []
    for d in (folder, pdir):
        ds = pydicom.dcmread(sorted(glob.glob(os.path.join(d, "*.dcm")))[0], stop_before_pixels=True)
        heads.append((ds.PatientID, getattr(ds, "IssuerOfPatientID", ""), ds.Modality,
                      getattr(ds, "BodyPartExamined", ""), ds.StudyDate))
    (cur, pri) = heads
    if cur[:4] != pri[:4]:
        errs.append(f"prior: patient/issuer/modality/body part differ: {cur[:4]} vs {pri[:4]}")
    import datetime
    day = lambda s: datetime.date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    if (day(cur[4]) - day(pri[4])).days != block["interval_days"] or block["interval_days"] <= 0:
        errs.append(f"prior: interval {block['interval_days']} d is not {cur[4]} - {pri[4]}")
    reg = block.get("registration")
    M = np.array(reg["matrix"], float) if reg else None
    cur_l = {l["lesion_id"]: l for l in gt["lesions"]}
    pri_l = {l["lesion_id"]: l for l in pgt["lesions"]}
    for row in block["lesions"]:
        lid = row["lesion_id"]
        c, p = cur_l.get(lid), pri_l.get(lid)
        if (c is None) != (row["status"] == "resolved") or (p is None) != (row["status"] == "new"):
            errs.append(f"prior: {lid} status {row['status']} but on current={c is not None}, prior={p is not None}")
        for rec in (c, p):
            if rec and (rec.get("tracking_uid") != row.get("tracking_uid") or rec.get("status") != row["status"]):
                errs.append(f"prior: {lid}: tracking UID or status differs between the sidecars")
        if c and c.get("present_on_prior") != (p is not None):
            errs.append(f"prior: {lid}: present_on_prior {c.get('present_on_prior')}")
        if c and p and M is not None:
            q = M[:3, :3] @ np.asarray(c["center_mm"], float) + M[:3, 3]
            if np.abs(q - np.asarray(p["center_mm"], float)).max() > 0.01:
                errs.append(f"prior: {lid}: R·current + t = {np.round(q, 3).tolist()} != prior {p['center_mm']}")
    if sorted(block["resolved"]) != sorted(r["lesion_id"] for r in block["lesions"] if r["status"] == "resolved"):
        errs.append("prior: resolved list differs from the resolved lesions")
    return errs


def main() -> int:
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    reader, why, reader_error = lightbox_reader()
    print(f"our reader: {'lightbox info ' + reader if reader else 'broken' if reader_error else 'skipped (' + why + ')'}")
    folders = sorted(d for d in glob.glob(os.path.join(SAMPLES, "*")) if os.path.isdir(d))
    passed = failed = 0
    kinds = set()
    for folder in folders:
        errs, n = check_study(folder, validator, reader)
        if not errs:
            errs += check_prior_pair(folder)
        try:
            kinds.add(json.load(open(os.path.join(folder, "ground_truth.json"), encoding="utf-8"))["kind"])
        except Exception:  # noqa: BLE001
            pass
        name = os.path.basename(folder)
        if errs:
            failed += 1
            print(f"FAIL {name} ({n} files)")
            for e in errs[:10]:
                print(f"     {e}")
        else:
            passed += 1
            print(f"ok   {name} ({n} files)")
    total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(SAMPLES) for f in fs)
    extra = [reader_error] if reader_error else []
    if total > BUDGET:
        extra.append(f"SampleStudies is {total / 2**20:.1f} MiB (> 40 MiB)")
    missing = {"mammography", "ldct", "head_ct", "chest_radiograph", "brain_mr"} - kinds
    if missing:
        extra.append(f"no sample study of kind {sorted(missing)}")
    if not folders:
        extra.append("no sample studies found")
    for e in extra:
        print(f"FAIL {e}")
    print(f"SampleStudies total {total / 2**20:.1f} MiB")
    print(f"sample studies: {passed} passed, {failed} failed")
    return 1 if failed or extra else 0


if __name__ == "__main__":
    sys.exit(main())
