#!/usr/bin/env python3
"""Proof for `lightbox review export --kos --gsps`: the reader's key images leave as a Key Object
Selection document, and how the reader showed them (window, zoom, marks) as a Grayscale Softcopy
Presentation State, that independent tools accept and read back.

Key images, reader marks and AI decisions are written into a real review database (schema created
by the release binary) for the sample low-dose CT and mammogram. Then, for each export:

- dicom3tools `dciodvfy` reports no errors for the KOS and the GSPS IODs (warnings are printed);
- pydicom reads the KOS back: title (113000, DCM), TID 2010, the key images in order, each naming
  the GSPS, the note, and the evidence list;
- pydicom reads the GSPS back: the key image's window and displayed area, the rescale to HU, the
  reader's box as a closed POLYLINE and its label as text in pixel-corner coordinates, the layers;
- DCMTK `dcmpschk` checks the GSPS, and `dcmp2pgm` renders the key image through it: the pixels
  are those of the reader's window, not the image's own;
- `lightbox review read-kos` reads both back to the same values.

Needs: LIGHTBOX (release binary), dciodvfy (dicom3tools), dcmpschk and dcmp2pgm (dcmtk), pydicom
with numpy (and a JPEG 2000 decoder, to hand DCMTK an uncompressed copy of the CT slice).
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

import pydicom

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
CT_DIR = os.path.join(ROOT, "SampleStudies/05_LDCT_YAMADA_2026")
MG_DIR = os.path.join(ROOT, "SampleStudies/02_MG_ALICE_2026")
GSPS_CLASS = "1.2.840.10008.5.1.4.1.1.11.1"
KOS_CLASS = "1.2.840.10008.5.1.4.1.1.88.59"
failures = []


def check(cond, message):
    print(("ok   " if cond else "FAIL ") + message)
    if not cond:
        failures.append(message)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)


def truth(folder):
    with open(os.path.join(folder, "ground_truth.json")) as f:
        return json.load(f)


def file_of(folder, sop):
    for name in sorted(os.listdir(folder)):
        if name.endswith(".dcm"):
            path = os.path.join(folder, name)
            if pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID == sop:
                return path
    raise SystemExit(f"{sop} not in {folder}")


def key_image(db, **v):
    cols = ["reader", "at", "study_uid", "series_uid", "sop_uid", "frame", "note", "window_center", "window_width",
            "inverted", "area_left", "area_top", "area_right", "area_bottom", "removes"]
    v.setdefault("frame", 0)
    v.setdefault("note", "")
    v.setdefault("inverted", 0)
    cur = db.execute("INSERT INTO key_images (%s) VALUES (%s)" % (",".join(cols), ",".join("?" * len(cols))),
                     [v.get(c) for c in cols])
    return cur.lastrowid


def populate(db_path):
    """Key images and marks as the workstation records them, for reader 'dr.okafor'."""
    db = sqlite3.connect(db_path)
    ct, mg = truth(CT_DIR), truth(MG_DIR)
    ct_series = ct["series"][0]["series_instance_uid"]
    l1, l2, l3 = ct["lesions"]
    common = dict(reader="dr.okafor", study_uid=ct["study_instance_uid"], series_uid=ct_series)
    # Key image 1: marked in the lung window, then marked again in a soft-tissue window, zoomed in:
    # the later view wins. Key image 2: marked, then unmarked (a removal row). Key image 3: plain.
    key_image(db, at="2026-11-28T00:01:00.000Z", sop_uid=l1["sop_instance_uid"], note="first look",
              window_center=-600, window_width=1500, **common)
    key_image(db, at="2026-11-28T00:02:00.000Z", sop_uid=l1["sop_instance_uid"], note="part-solid nodule RUL",
              window_center=40, window_width=400, area_left=20, area_top=40, area_right=147, area_bottom=167, **common)
    gone = key_image(db, at="2026-11-28T00:03:00.000Z", sop_uid=l2["sop_instance_uid"], **common)
    key_image(db, at="2026-11-28T00:04:00.000Z", sop_uid=l2["sop_instance_uid"], removes=gone, **common)
    key_image(db, at="2026-11-28T00:05:00.000Z", sop_uid=l3["sop_instance_uid"], **common)
    db.execute("""INSERT INTO reader_findings (finding_key, reader, at, study_uid, series_uid, sop_uid, label, kind,
                  x, y, width, height, slice) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
               ("reader:ct-1", "dr.okafor", "2026-11-28T00:06:00.000Z", ct["study_instance_uid"], ct_series,
                l1["sop_instance_uid"], "spiculated margin", "box", l1["center_px"][0], l1["center_px"][1], 20, 10,
                l1["instance_number"] - 1))
    # An AI finding the reader rejected on key image 3: not drawn.
    db.execute("""INSERT INTO decisions (reader, at, study_uid, series_uid, sop_uid, finding_key, source, label,
                  center_x, center_y, width, height, decision, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
               ("dr.okafor", "2026-11-28T00:07:00.000Z", ct["study_instance_uid"], ct_series, l3["sop_instance_uid"],
                "demo:3", "ai", "nodule", l3["center_px"][0], l3["center_px"][1], 8, 8, "reject", "vessel"))

    lcc = mg["lesions"][0]["appearances"][0]
    m2 = mg["lesions"][1]
    mg_series = pydicom.dcmread(file_of(MG_DIR, lcc["sop_instance_uid"]), stop_before_pixels=True).SeriesInstanceUID
    key_image(db, reader="dr.okafor", at="2026-11-28T00:20:00.000Z", study_uid=mg["study_instance_uid"],
              series_uid=mg_series, sop_uid=lcc["sop_instance_uid"], note="Befund links — prüfen", inverted=1)
    db.execute("""INSERT INTO reader_findings (finding_key, reader, at, study_uid, series_uid, sop_uid, label, kind,
                  x, y, width, height, slice) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
               ("reader:mg-1", "dr.okafor", "2026-11-28T00:21:00.000Z", mg["study_instance_uid"], mg_series,
                m2["sop_instance_uid"], "Mikroverkalkungen, gruppiert — prüfen", "point", m2["center_px"][0],
                m2["center_px"][1], 0, 0, 0))
    db.commit()
    db.close()


def dciodvfy(path, iod):
    if not shutil.which("dciodvfy"):
        check(False, "dciodvfy (dicom3tools) is installed")
        return
    v = run(["dciodvfy", "-new", path])  # -new: messages name the full attribute path
    if "unrecognized option" in v.stdout + v.stderr:
        v = run(["dciodvfy", path])
    lines = (v.stdout + v.stderr).splitlines()
    check(iod in lines, f"dciodvfy recognises the {iod} IOD")
    errors = [l for l in lines if l.startswith("Error")]
    warnings = [l for l in lines if l.startswith("Warning")]
    check(not errors, f"dciodvfy: no errors for {os.path.basename(path)} ({len(warnings)} warnings)"
          + "".join("\n       " + e for e in errors[:20]))
    for w in sorted(set(warnings)):
        print("       " + w)


def dcmpschk(path):
    """DCMTK's presentation state checker. Its VR checker does not support ISO_IR 192 (UTF-8): it
    rejects any non-ASCII value, such as a valid ideographic patient name or a German label. Those
    errors are reported, not failed on; any other error fails."""
    if not shutil.which("dcmpschk"):
        check(False, "dcmpschk (dcmtk) is installed")
        return
    r = run(["dcmpschk", path])
    blocks = re.split(r"\nE: \n", r.stdout + r.stderr)

    def utf8_only(block):
        value = next((l for l in block.splitlines() if re.match(r"E:\s+Attribute value\s*:", l)), "")
        return "does not conform to data type" in block and any(ord(c) > 0x7F for c in value)

    errors = [b for b in blocks if "E: Error" in b and not utf8_only(b)]
    for b in blocks:
        if "E: Error" in b and utf8_only(b):
            print("       dcmpschk (its VR checker lacks UTF-8; not failed on): " + " ".join(
                l.strip() for l in b.splitlines() if "Affected attribute" in l))
    check(not errors, f"dcmpschk: no errors in {os.path.basename(path)} other than non-ASCII values"
          + "".join("\n       " + e for e in errors[:5]))


def pgm(path):
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m[1]), int(m[2])
    return np.frombuffer(data[m.end():m.end() + w * h], dtype=np.uint8).reshape(h, w).astype(float)


def rendered_with_window(tmp, image_path, gsps_path, center, width):
    """dcmp2pgm renders the image through the presentation state; the pixels must be the linear
    window (center, width) of the image's HU values (PS3.3 C.11.2.1.2), not its own window."""
    import numpy as np
    raw = os.path.join(tmp, "raw.dcm")
    ds = pydicom.dcmread(image_path)
    ds.decompress(generate_instance_uid=False)  # DCMTK has no JPEG 2000 decoder; keep the UIDs the GSPS names
    ds.save_as(raw)
    out, plain = os.path.join(tmp, "ps.pgm"), os.path.join(tmp, "plain.pgm")
    r = run(["dcmp2pgm", "-p", gsps_path, raw, out])
    check(r.returncode == 0 and os.path.exists(out), f"dcmp2pgm renders the key image through the GSPS {r.stderr.strip()}")
    run(["dcmp2pgm", raw, plain])
    if not (os.path.exists(out) and os.path.exists(plain)):
        return
    hu = ds.pixel_array.astype(float) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)

    def window(c, w):
        return np.clip(((hu - (c - 0.5)) / (w - 1) + 0.5) * 255, 0, 255)

    own_c = float(ds["WindowCenter"].value[0] if ds["WindowCenter"].VM > 1 else ds.WindowCenter)
    own_w = float(ds["WindowWidth"].value[0] if ds["WindowWidth"].VM > 1 else ds.WindowWidth)
    got, unstated = pgm(out), pgm(plain)
    err = float(np.abs(got - window(center, width)).mean())
    err_own = float(np.abs(got - window(own_c, own_w)).mean())
    check(err < 1.0 and err_own > 10, f"DCMTK shows the reader's window {center}/{width} "
          f"(mean error {err:.2f} grey levels; {err_own:.1f} from the image's own {own_c:g}/{own_w:g})")
    check(float(np.abs(unstated - window(own_c, own_w)).mean()) < 1.0, "without the GSPS, DCMTK shows the image's own window")


def main():
    tmp = tempfile.mkdtemp(prefix="lightbox-kos-")
    try:
        db_path = os.path.join(tmp, "review.sqlite")
        r = run([LIGHTBOX, "review", "list", "--db", db_path])
        check(r.returncode == 0, "release binary creates the review database")
        populate(db_path)
        ct = truth(CT_DIR)
        l1, l2, l3 = ct["lesions"]

        # --- CT: KOS + GSPS together ---------------------------------------------------------------
        kos, gsps = os.path.join(tmp, "ct-kos.dcm"), os.path.join(tmp, "ct-gsps.dcm")
        r = run([LIGHTBOX, "review", "export", CT_DIR, "--db", db_path, "--kos", kos, "--gsps", gsps])
        check(r.returncode == 0, f"review export --kos --gsps (CT) succeeds: {r.stdout.strip()} {r.stderr.strip()}")
        dciodvfy(kos, "KeyObjectSelectionDocument")
        dciodvfy(gsps, "GrayscaleSoftcopyPresentationState")

        k = pydicom.dcmread(kos)
        p = pydicom.dcmread(gsps)
        check(k.SOPClassUID == KOS_CLASS and k.Modality == "KO", "pydicom: KOS SOP class, modality KO")
        check(k.StudyInstanceUID == ct["study_instance_uid"] == p.StudyInstanceUID, "KOS and GSPS are in the source study")
        check((k.ConceptNameCodeSequence[0].CodeValue, k.ConceptNameCodeSequence[0].CodingSchemeDesignator) == ("113000", "DCM"),
              "KOS title is (113000, DCM, \"Of Interest\")")
        check(k.ContentTemplateSequence[0].TemplateIdentifier == "2010", "KOS declares TID 2010")
        images = [it for it in k.ContentSequence if it.ValueType == "IMAGE"]
        sops = [it.ReferencedSOPSequence[0].ReferencedSOPInstanceUID for it in images]
        check(sops == [l1["sop_instance_uid"], l3["sop_instance_uid"]],
              "KOS lists the key images in force, in marking order (the unmarked one is left out, the re-marked one once)")
        check(all(it.ReferencedSOPSequence[0].ReferencedSOPClassUID == "1.2.840.10008.5.1.4.1.1.2" for it in images),
              "KOS names each image's SOP class")
        ps_refs = {it.ReferencedSOPSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID for it in images}
        check(ps_refs == {p.SOPInstanceUID}, "each key image names the GSPS to show it with")
        note = [it for it in k.ContentSequence if it.ValueType == "TEXT"]
        check(len(note) == 1 and note[0].ConceptNameCodeSequence[0].CodeValue == "113012"
              and note[0].TextValue == "part-solid nodule RUL", "KOS Key Object Description is the reader's note")
        evidence = {r.ReferencedSOPInstanceUID for s in k.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence
                    for r in s.ReferencedSOPSequence}
        check(evidence == set(sops) | {p.SOPInstanceUID}, "KOS evidence lists the key images and the GSPS")

        check(p.SOPClassUID == GSPS_CLASS and p.Modality == "PR", "pydicom: GSPS SOP class, modality PR")
        refs = [r.ReferencedSOPInstanceUID for s in p.ReferencedSeriesSequence for r in s.ReferencedImageSequence]
        check(refs == sops, "GSPS applies to the key images")
        voi = {v.ReferencedImageSequence[0].ReferencedSOPInstanceUID: (float(v.WindowCenter), float(v.WindowWidth))
               for v in p.SoftcopyVOILUTSequence}
        check(voi.get(l1["sop_instance_uid"]) == (40, 400), f"key image 1 has the window it was last marked in (got {voi.get(l1['sop_instance_uid'])})")
        check(voi.get(l3["sop_instance_uid"]) == (-600, 1500), "key image 3 keeps its own first window")
        check(float(p.RescaleIntercept) == -1024 and float(p.RescaleSlope) == 1 and p.RescaleType == "HU",
              "Modality LUT: the images' rescale to HU")
        areas = {a.ReferencedImageSequence[0].ReferencedSOPInstanceUID: (list(a.DisplayedAreaTopLeftHandCorner),
                                                                          list(a.DisplayedAreaBottomRightHandCorner), a.PresentationSizeMode)
                 for a in p.DisplayedAreaSelectionSequence}
        check(areas.get(l1["sop_instance_uid"]) == ([20, 40], [147, 167], "SCALE TO FIT"), "key image 1: the zoomed area it was marked with")
        check(areas.get(l3["sop_instance_uid"]) == ([1, 1], [256, 256], "SCALE TO FIT"), "key image 3: the whole image")
        check(p.PresentationLUTShape == "IDENTITY" and p.ImageRotation == 0 and p.ImageHorizontalFlip == "N",
              "Presentation LUT IDENTITY, no rotation or flip")
        check([l.GraphicLayer for l in p.GraphicLayerSequence] == ["READER"], "one graphic layer: the reader's marks")
        ann = p.GraphicAnnotationSequence
        check(len(ann) == 1 and ann[0].ReferencedImageSequence[0].ReferencedSOPInstanceUID == l1["sop_instance_uid"],
              "annotations only on the image with a kept finding (the rejected AI finding is not drawn)")
        g = ann[0].GraphicObjectSequence[0]
        cx, cy = l1["center_px"]
        xs, ys = g.GraphicData[0::2], g.GraphicData[1::2]
        check(g.GraphicType == "POLYLINE" and g.GraphicAnnotationUnits == "PIXEL" and g.NumberOfGraphicPoints == 5
              and list(g.GraphicData[:2]) == list(g.GraphicData[-2:]) and g.GraphicFilled == "N",
              "the reader's box is a closed, unfilled POLYLINE in PIXEL units")
        check((min(xs), min(ys), max(xs), max(ys)) == (cx - 10 + 0.5, cy - 5 + 0.5, cx + 10 + 0.5, cy + 5 + 0.5),
              "its corners are the box in pixel-corner coordinates")
        t = ann[0].TextObjectSequence[0]
        check(t.UnformattedTextValue == "spiculated margin" and list(t.AnchorPoint) == [cx - 10 + 0.5, cy - 5 + 0.5],
              "the mark's label is text anchored at the box")
        dcmpschk(gsps)
        rendered_with_window(tmp, file_of(CT_DIR, l1["sop_instance_uid"]), gsps, 40, 400)

        back = run([LIGHTBOX, "review", "read-kos", kos, "--json"])
        got = json.loads(back.stdout) if back.returncode == 0 else {}
        check(got.get("kind") == "KOS" and [i["sop_instance_uid"] for i in got.get("images", [])] == sops
              and all(i["presentation_state"] == p.SOPInstanceUID for i in got["images"])
              and got.get("note") == "part-solid nodule RUL" and got.get("observer") == "dr.okafor",
              f"review read-kos reads our KOS back {back.stderr.strip()}")
        back = run([LIGHTBOX, "review", "read-kos", gsps, "--json"])
        got = json.loads(back.stdout) if back.returncode == 0 else {}
        first = (got.get("images") or [{}])[0]
        check(got.get("kind") == "GSPS" and first.get("sop_instance_uid") == l1["sop_instance_uid"]
              and first.get("window_center") == 40 and first.get("window_width") == 400
              and first.get("displayed_area") == [20, 40, 147, 167]
              and [gr["type"] for gr in first.get("graphics", [])] == ["POLYLINE"]
              and first["graphics"][0]["points"][:2] == [cx - 10, cy - 5]
              and [tx["text"] for tx in first.get("texts", [])] == ["spiculated margin"],
              f"review read-kos reads our GSPS back (window, area, box in pixel-centre coordinates) {back.stderr.strip()}")

        # --- MG: the GSPS alone, an inverted view, a reader's point mark with non-ASCII text ------------
        gsps2, kos2 = os.path.join(tmp, "mg-gsps.dcm"), os.path.join(tmp, "mg-kos.dcm")
        r = run([LIGHTBOX, "review", "export", MG_DIR, "--db", db_path, "--gsps", gsps2, "--kos", kos2])
        check(r.returncode == 0, f"review export (MG) succeeds: {r.stdout.strip()} {r.stderr.strip()}")
        dciodvfy(kos2, "KeyObjectSelectionDocument")
        dciodvfy(gsps2, "GrayscaleSoftcopyPresentationState")
        dcmpschk(gsps2)
        p2 = pydicom.dcmread(gsps2)
        check(p2.PresentationLUTShape == "INVERSE", "inverted MONOCHROME2 view: Presentation LUT INVERSE")
        mg = truth(MG_DIR)
        m2 = mg["lesions"][1]
        refs2 = [r.ReferencedSOPInstanceUID for s in p2.ReferencedSeriesSequence for r in s.ReferencedImageSequence]
        expected = list(dict.fromkeys([mg["lesions"][0]["appearances"][0]["sop_instance_uid"], m2["sop_instance_uid"]]))
        check(refs2 == expected, "GSPS covers the key image and the image with the reader's mark, each once")
        point = p2.GraphicAnnotationSequence[0].GraphicObjectSequence[0]
        check(point.GraphicType == "POINT" and list(point.GraphicData) == [m2["center_px"][0] + 0.5, m2["center_px"][1] + 0.5],
              "the reader's point mark is a POINT")
        check(p2.SpecificCharacterSet == "ISO_IR 192"
              and p2.GraphicAnnotationSequence[0].TextObjectSequence[0].UnformattedTextValue == "Mikroverkalkungen, gruppiert — prüfen",
              "non-ASCII text survives (UTF-8)")
        check(pydicom.dcmread(kos2).ContentSequence[3].TextValue == "Befund links — prüfen", "non-ASCII note survives in the KOS")

        # --- bad input ------------------------------------------------------------------------------------
        r = run([LIGHTBOX, "review", "export", CT_DIR, "--db", db_path, "--kos", os.path.join(tmp, "x.dcm"), "--reader", "nobody"])
        check(r.returncode == 2 and "no key images" in r.stderr and not os.path.exists(os.path.join(tmp, "x.dcm")),
              "a reader without key images gets exit 2 and no file")
        r = run([LIGHTBOX, "review", "read-kos", os.path.join(CT_DIR, "CT03_0001.dcm")])
        check(r.returncode == 2 and "not a key object selection" in r.stderr, "read-kos on an image says it is not a KOS")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("kos_gsps: all checks passed")


if __name__ == "__main__":
    main()
