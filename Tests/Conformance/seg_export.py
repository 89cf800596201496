#!/usr/bin/env python3
"""Proof for `lightbox review export --seg`: the AI's masks leave as a DICOM Segmentation that
independent tools accept, with masks equal to the AI's on the source images' grid.

For a low-dose CT (3-D masks over several slices, plane positions) and a mammogram (2-D masks on
projection images), `lightbox analyze --json --heatmaps` writes the analysis beside a copy of the
study (analysis.json, which the workstation and the export read); a reader's decisions go into a
real review database (SQLite, schema created by the binary): one finding accepted, one rejected.
Then, for each exported SEG:

- dicom3tools `dciodvfy` reports 0 errors (warnings are printed, not failed on);
- highdicom (PyPI) reads it back: Segmentation Storage, BINARY, one segment per finding the reader
  did not reject, algorithm AUTOMATIC named by the model id and version, SNOMED property codes,
  source images referenced;
- `--seg-fractional` gives a FRACTIONAL (PROBABILITY) SEG, also 0 dciodvfy errors, whose values are
  floor(p*255 + 0.5) of the AI's probability inside each mask and 0 outside;
- each segment's mask, as highdicom gives it on the source images, equals the mask recomputed here
  from the analysis JSON's model-grid heatmaps: bilinear onto the source grid (pixel centres
  aligned, float32), then the 26-connected p >= 0.5 component of the finding's strongest box voxel
  (volumes) or the 8-connected half-maximum region inside the box (2-D), as docs/SR_EXPORT.md says.

Needs: LIGHTBOX (binary), dciodvfy (dicom3tools), pydicom, highdicom, numpy.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

import numpy as np
import pydicom

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
CT_DIR = os.path.join(ROOT, "SampleStudies/05_LDCT_YAMADA_2026")
MG_DIR = os.path.join(ROOT, "SampleStudies/02_MG_ALICE_2026")
SEG_CLASS = "1.2.840.10008.5.1.4.1.1.66.4"
failures = []


def check(cond, message):
    print(("ok   " if cond else "FAIL ") + message)
    if not cond:
        failures.append(message)


def run(args, timeout=900, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


# --- the masks, recomputed from the analysis JSON ---------------------------------------------------

def bilinear(values, w, h, tw, th):
    """ImageResampling.bilinear / VolumeAnalyzer.resample, in float32 with the same order of operations."""
    src = np.asarray(values, dtype=np.float32).reshape(h, w)
    if w == tw and h == th:
        return src.copy()
    if w == 2 * tw and h == 2 * th:
        return ((src[0::2, 0::2] + src[0::2, 1::2] + src[1::2, 0::2] + src[1::2, 1::2]) / np.float32(4)).astype(np.float32)
    sx, sy = w / tw, h / th
    fy = np.clip((np.arange(th) + 0.5) * sy - 0.5, 0, h - 1)
    fx = np.clip((np.arange(tw) + 0.5) * sx - 0.5, 0, w - 1)
    y0 = fy.astype(int); y1 = np.minimum(y0 + 1, h - 1); wy = (fy - y0).astype(np.float32)
    x0 = fx.astype(int); x1 = np.minimum(x0 + 1, w - 1); wx = (fx - x0).astype(np.float32)
    one = np.float32(1)
    a, b = src[np.ix_(y0, x0)], src[np.ix_(y0, x1)]
    c, d = src[np.ix_(y1, x0)], src[np.ix_(y1, x1)]
    top = a * (one - wx)[None, :] + b * wx[None, :]
    bottom = c * (one - wx)[None, :] + d * wx[None, :]
    return (top * (one - wy)[:, None] + bottom * wy[:, None]).astype(np.float32)


def flood(mask_ok, seed, connectivity_3d):
    """Connected set of True cells of mask_ok holding seed (8-connected in 2-D, 26 in 3-D)."""
    out = np.zeros(mask_ok.shape, dtype=bool)
    out[seed] = True
    stack = [seed]
    offsets = [(dz, dy, dx) for dz in ((-1, 0, 1) if connectivity_3d else (0,)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
               if (dz, dy, dx) != (0, 0, 0)]
    shape = mask_ok.shape
    while stack:
        z, y, x = stack.pop()
        for dz, dy, dx in offsets:
            n = (z + dz, y + dy, x + dx)
            if 0 <= n[0] < shape[0] and 0 <= n[1] < shape[1] and 0 <= n[2] < shape[2] and mask_ok[n] and not out[n]:
                out[n] = True
                stack.append(n)
    return out


def expected_masks(analysis, headers):
    """{finding id: {sop uid: bool array (rows, columns)}} as docs/SR_EXPORT.md defines the AI's masks."""
    maps = {}
    for h in analysis.get("heatmaps", []):
        if h.get("frame_number") is None and h["sop_instance_uid"] not in maps:
            maps[h["sop_instance_uid"]] = h
    grids = {}

    def grid(sop):
        if sop not in grids:
            h = maps[sop]
            grids[sop] = bilinear(h["values"], h["width"], h["height"], h["source_columns"], h["source_rows"])
        return grids[sop]

    def order_key(sop):
        ds = headers[sop]
        if "ImagePositionPatient" in ds and "ImageOrientationPatient" in ds:
            o = np.array(ds.ImageOrientationPatient, dtype=float)
            return float(np.dot(np.array(ds.ImagePositionPatient, dtype=float), np.cross(o[:3], o[3:])))
        return float(ds.get("InstanceNumber", 0))

    out = {}
    for n, f in enumerate(analysis["findings"]):
        sop = f["sop_instance_uid"]
        if sop not in maps or sop not in headers:
            continue
        ds = headers[sop]
        rows, cols = int(ds.Rows), int(ds.Columns)
        bx, by, bw, bh = f["bbox_px"]
        x0, y0 = max(0, bx), max(0, by)
        x1, y1 = min(cols, bx + max(1, bw)), min(rows, by + max(1, bh))
        values = grid(sop)
        box = values[y0:y1, x0:x1]
        iy, ix = np.unravel_index(int(np.argmax(box)), box.shape)   # first maximum in row-major order
        seed_value = box[iy, ix]
        key = f.get("id") or f"{sop}:{n}"
        if f.get("slice_range") is not None:
            if seed_value < 0.5:
                continue
            series = ds.SeriesInstanceUID
            stack = sorted((s for s in maps if s in headers and headers[s].SeriesInstanceUID == series),
                           key=lambda s: (order_key(s), s))
            vol = np.stack([grid(s) for s in stack])
            comp = flood(vol >= np.float32(0.5), (stack.index(sop), y0 + iy, x0 + ix), True)
            out[key] = {stack[z]: comp[z] for z in range(len(stack)) if comp[z].any()}
        else:
            if seed_value <= 0:
                continue
            ok = np.zeros((1, rows, cols), dtype=bool)
            ok[0, y0:y1, x0:x1] = values[y0:y1, x0:x1] >= seed_value / np.float32(2)
            comp = flood(ok, (0, y0 + iy, x0 + ix), False)
            out[key] = {sop: comp[0]}
    expected_masks.grids = grids   # the source-grid maps, for the fractional check
    return out


def fractional_check(name, seg_path, expected, rejected_key):
    """A FRACTIONAL (PROBABILITY) SEG holds floor(p*255 + 0.5) inside each mask, 0 outside."""
    import highdicom as hd

    d = run(["dciodvfy", "-new", seg_path])
    errors = [l for l in (d.stdout + d.stderr).splitlines() if l.startswith("Error")]
    check(not errors, f"{name}: dciodvfy reports 0 errors on the fractional SEG" + ("" if not errors else ": " + "; ".join(errors[:8])))
    seg = hd.seg.segread(seg_path)
    check(seg.SegmentationType == "FRACTIONAL" and seg.SegmentationFractionalType == "PROBABILITY"
          and int(seg.MaximumFractionalValue) == 255 and int(seg.BitsAllocated) == 8,
          f"{name}: highdicom reads a FRACTIONAL (PROBABILITY, 8-bit, max 255) Segmentation")
    ds = pydicom.dcmread(seg_path)
    frames = ds.pixel_array.reshape(int(ds.NumberOfFrames), int(ds.Rows), int(ds.Columns))
    keys = {int(s.SegmentNumber): str(s.TrackingID) for s in ds.SegmentSequence}
    grids = expected_masks.grids
    ok, compared = True, 0
    for i, f in enumerate(ds.PerFrameFunctionalGroupsSequence):
        key = keys[int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber)]
        sop = f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        mask = expected.get(key, {}).get(sop)
        if mask is None or key == rejected_key:
            ok = False
            continue
        p = np.clip(grids[sop], np.float32(0), np.float32(1))
        want = np.where(mask, np.floor(p * np.float32(255) + np.float32(0.5)), 0).astype(np.uint8)
        if not np.array_equal(frames[i], want):
            print(f"     {key} on {sop}: {int(np.sum(frames[i] != want))} values differ")
            ok = False
        compared += int(mask.sum())
    check(ok and compared > 0, f"{name}: fractional values equal the AI's probabilities inside the masks ({compared} pixels)")


# --- the test ---------------------------------------------------------------------------------------

def prepare(study_dir, tmp, name):
    """A copy of the study with analysis.json beside it; returns (folder, analysis, headers)."""
    folder = os.path.join(tmp, name)
    shutil.copytree(study_dir, folder)
    r = run([LIGHTBOX, "analyze", folder, "--json", "--heatmaps", "--no-cache"])
    check(r.returncode == 10, f"{name}: lightbox analyze --json --heatmaps finds something (exit 10) {r.stderr.strip()[-300:]}")
    analysis = json.loads(r.stdout)
    with open(os.path.join(folder, "analysis.json"), "w") as f:
        f.write(r.stdout)
    headers = {}
    for fn in sorted(os.listdir(folder)):
        if fn.endswith(".dcm"):
            ds = pydicom.dcmread(os.path.join(folder, fn), stop_before_pixels=True)
            headers[ds.SOPInstanceUID] = ds
    return folder, analysis, headers


def decide(db_path, analysis, headers, accept, reject):
    db = sqlite3.connect(db_path)
    for n, (f, decision) in enumerate([(accept, "accept"), (reject, "reject")]):
        if f is None:
            continue
        ds = headers[f["sop_instance_uid"]]
        m = f["model"]
        db.execute("""INSERT INTO decisions (reader, at, study_uid, series_uid, sop_uid, finding_key, source, label,
                      probability, risk, center_x, center_y, width, height, model_id, model_version, model_sha256,
                      decision, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                   ("dr.okafor", f"2026-12-01T10:0{n}:00.000Z", ds.StudyInstanceUID, ds.SeriesInstanceUID,
                    f["sop_instance_uid"], f["id"], "ai", f["label"], f["probability"], f["risk"],
                    f["center_px"][0], f["center_px"][1], f["bbox_px"][2], f["bbox_px"][3], m["id"],
                    m.get("version", ""), m.get("sha256", ""), decision,
                    "benign appearance" if decision == "reject" else None))
    db.commit()
    db.close()


def verify(name, seg_path, analysis, headers, expected, rejected_key):
    import highdicom as hd

    d = run(["dciodvfy", "-new", seg_path])
    errors = [l for l in (d.stdout + d.stderr).splitlines() if l.startswith("Error")]
    for l in (d.stdout + d.stderr).splitlines():
        if l.startswith("Warning"):
            print("     dciodvfy " + l)
    check(not errors, f"{name}: dciodvfy reports 0 errors" + ("" if not errors else ": " + "; ".join(errors[:8])))

    seg = hd.seg.segread(seg_path)
    check(seg.SOPClassUID == SEG_CLASS and seg.SegmentationType == "BINARY", f"{name}: highdicom reads a BINARY Segmentation")
    wanted = {k: v for k, v in expected.items() if k != rejected_key}
    descs = list(seg.SegmentSequence)
    by_key = {str(s.TrackingID): s for s in descs}
    check(set(by_key) == set(wanted),
          f"{name}: one segment per finding with a mask, the rejected one left out ({len(by_key)} segments, keys {sorted(by_key)})")
    models = {f["id"]: f["model"] for f in analysis["findings"] if f.get("id")}
    for key, item in by_key.items():
        algo = item.SegmentationAlgorithmIdentificationSequence[0]
        m = models.get(key, {})
        check(item.SegmentAlgorithmType == "AUTOMATIC" and algo.AlgorithmName == m.get("id")
              and algo.AlgorithmVersion == m.get("version") and item.SegmentAlgorithmName == m.get("id"),
              f"{name}: segment {item.SegmentNumber}: AUTOMATIC, algorithm {algo.AlgorithmName} {algo.AlgorithmVersion}")
        cat = item.SegmentedPropertyCategoryCodeSequence[0]
        typ = item.SegmentedPropertyTypeCodeSequence[0]
        check(cat.CodingSchemeDesignator == "SCT" and cat.CodeValue == "49755003" and typ.CodingSchemeDesignator == "SCT",
              f"{name}: segment {item.SegmentNumber}: SNOMED category and type ({typ.CodeValue} {typ.CodeMeaning})")
    # Masks, through highdicom, on the source images.
    refs = {r.ReferencedSOPInstanceUID for s in seg.ReferencedSeriesSequence for r in s.ReferencedInstanceSequence}
    want_refs = {sop for planes in wanted.values() for sop in planes}
    check(refs == want_refs, f"{name}: Referenced Series Sequence lists the {len(want_refs)} source images")
    all_equal = True
    total = 0
    for key, planes in wanted.items():
        item = by_key.get(key)
        if item is None:
            all_equal = False
            continue
        number = int(item.SegmentNumber)
        sops = sorted(planes)
        got = seg.get_pixels_by_source_instance(source_sop_instance_uids=sops, segment_numbers=[number],
                                                combine_segments=False, assert_missing_frames_are_empty=True)  # needs Spatial Locations Preserved
        for i, sop in enumerate(sops):
            g = got[i, :, :, 0].astype(bool)
            if not np.array_equal(g, planes[sop]):
                diff = int(np.sum(g != planes[sop]))
                print(f"     {key} on {sop}: {diff} pixels differ")
                all_equal = False
            total += int(planes[sop].sum())
        # No frame of this segment on images outside the expected mask.
        frames = [f for f in seg.PerFrameFunctionalGroupsSequence
                  if int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber) == number]
        srcs = {f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID for f in frames}
        if srcs != set(planes):
            print(f"     {key}: frames on {len(srcs)} images, expected {len(planes)}")
            all_equal = False
    check(all_equal and total > 0, f"{name}: every mask equals the AI's on the source grid ({total} pixels in all)")
    return seg


def main():
    if not shutil.which("dciodvfy"):
        check(False, "dciodvfy (dicom3tools) is installed")
    try:
        import highdicom  # noqa: F401
    except ImportError:
        check(False, "highdicom is installed (requirements-test.txt)")
        return 1
    tmp = tempfile.mkdtemp(prefix="lightbox-seg-")
    try:
        db_path = os.path.join(tmp, "review.sqlite")
        r = run([LIGHTBOX, "review", "list", "--db", db_path])
        check(r.returncode == 0, "the binary creates the review database")
        for name, study in (("CT", CT_DIR), ("MG", MG_DIR)):
            folder, analysis, headers = prepare(study, tmp, name)
            expected = expected_masks(analysis, headers)
            keys = [f["id"] for f in analysis["findings"] if f.get("id") in expected]
            check(len(keys) >= 2, f"{name}: the analysis has at least two findings with masks ({len(keys)})")
            if len(keys) < 2:
                continue
            if name == "CT":
                check(any(len(p) > 1 for p in expected.values()), "CT: a volume finding spans several slices")
            byid = {f["id"]: f for f in analysis["findings"] if f.get("id")}
            decide(db_path, analysis, headers, byid[keys[0]], byid[keys[1]])
            out = os.path.join(tmp, f"{name}.seg.dcm")
            r = run([LIGHTBOX, "review", "export", folder, "--db", db_path, "--seg", out])
            check(r.returncode == 0 and os.path.exists(out), f"{name}: review export --seg succeeds: {r.stdout.strip()} {r.stderr.strip()}")
            if r.returncode != 0:
                continue
            print("     " + r.stdout.strip())
            seg = verify(name, out, analysis, headers, expected, keys[1])
            frac = os.path.join(tmp, f"{name}.frac.dcm")
            r = run([LIGHTBOX, "review", "export", folder, "--db", db_path, "--seg", frac, "--seg-fractional"])
            check(r.returncode == 0 and "fractional" in r.stdout, f"{name}: review export --seg-fractional succeeds: {r.stdout.strip()} {r.stderr.strip()}")
            if r.returncode == 0:
                fractional_check(name, frac, expected, keys[1])
            if name == "CT":
                ds = pydicom.dcmread(out)
                pos = ds.PerFrameFunctionalGroupsSequence[0].PlanePositionSequence[0].ImagePositionPatient
                check(len(pos) == 3 and "PlaneOrientationSequence" in ds.SharedFunctionalGroupsSequence[0]
                      and ds.FrameOfReferenceUID == next(iter(headers.values())).FrameOfReferenceUID,
                      "CT: frames carry Plane Position; Plane Orientation shared; the images' Frame of Reference")
                check(len(ds.DimensionIndexSequence) == 2, "CT: dimensions: segment, then position")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)" if failures else "all SEG export checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
