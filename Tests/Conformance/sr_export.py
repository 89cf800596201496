#!/usr/bin/env python3
"""Proof for `lightbox review export --sr`: reviewed findings leave as a TID 1500 Comprehensive 3D SR
that independent tools accept, and that our own reader reads back to the same findings.

Decisions are written into a real review database (SQLite, schema created by the release binary)
for two sample studies: a low-dose CT (findings become SCOORD3D in patient mm) and a mammogram
(findings become SCOORD in image pixels). Then, for each exported SR:

- DCMTK `dsrdump` reads it without error and its output holds the codes we expect;
- dicom3tools `dciodvfy` reports no errors (warnings are printed, not failed on);
- pydicom reads it and its content tree holds each finding's group, values and decision;
- `lightbox review read-sr` reads it back to the same findings as `review export --json`;
- the CSV has one row per finding;
- the reader's signed report (migration 6 `reports`) rides in the SR as TEXT Findings / Impression
  under Qualitative Evaluations, which dsrdump prints, and `--report` writes it as text; a study
  without a saved report gets the generated draft, labelled as such.

Needs: LIGHTBOX (release binary), dsrdump (dcmtk), dciodvfy (dicom3tools), pydicom.
"""
import csv
import json
import os
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
MODEL = ("lung-nodule-demo", "0.3.1", "9f2c4e1a7b3d5f60812a4c6e8f0b1d3e5a7c9e1f2b4d6f8a0c2e4f6a8b0d2e4f")
failures = []
REPORT_FINDINGS = "1. Solid nodule, 18.0 mm. Lung-RADS v2022 category 4B (very suspicious).\n2. Nodule, 9.0 mm — 山田 follow-up."
REPORT_IMPRESSION = "Lung-RADS v2022 category 4B: very suspicious (finding 1)."


def check(cond, message):
    print(("ok   " if cond else "FAIL ") + message)
    if not cond:
        failures.append(message)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)


def truth(folder):
    with open(os.path.join(folder, "ground_truth.json")) as f:
        return json.load(f)


def series_of(folder, sop):
    for name in sorted(os.listdir(folder)):
        if name.endswith(".dcm"):
            ds = pydicom.dcmread(os.path.join(folder, name), stop_before_pixels=True)
            if ds.SOPInstanceUID == sop:
                return ds.SeriesInstanceUID
    raise SystemExit(f"{sop} not in {folder}")


def insert_decision(db, **v):
    cols = ["reader", "at", "study_uid", "series_uid", "sop_uid", "finding_key", "source", "label", "probability", "risk",
            "center_x", "center_y", "slice", "width", "height", "diameter_mm", "model_id", "model_version",
            "model_sha256", "decision", "reason", "corrected_label", "corrected_risk", "corrected_diameter_mm", "undoes"]
    row = [v.get(c) for c in cols]
    cur = db.execute("INSERT INTO decisions (%s) VALUES (%s)" % (",".join(cols), ",".join("?" * len(cols))), row)
    return cur.lastrowid


def populate(db_path):
    """Decisions as the workstation records them, for reader 'dr.okafor'."""
    db = sqlite3.connect(db_path)
    ct, mg = truth(CT_DIR), truth(MG_DIR)
    ct_series = ct["series"][0]["series_instance_uid"]
    l1, l2, l3 = ct["lesions"]
    common = dict(reader="dr.okafor", study_uid=ct["study_instance_uid"], series_uid=ct_series, source="ai",
                  model_id=MODEL[0], model_version=MODEL[1], model_sha256=MODEL[2])
    # 1: accepted point finding. 2: accepted, undone, then rejected with a reason. 3: corrected.
    insert_decision(db, at="2026-11-28T00:10:00.000Z", sop_uid=l1["sop_instance_uid"], finding_key=f"{MODEL[0]}:1",
                    label=l1["label"], probability=0.93, risk="high", center_x=l1["center_px"][0],
                    center_y=l1["center_px"][1], slice=l1["instance_number"] - 1, width=0, height=0,
                    diameter_mm=18.0, decision="accept", **common)
    wrong = insert_decision(db, at="2026-11-28T00:11:00.000Z", sop_uid=l2["sop_instance_uid"],
                            finding_key=f"{MODEL[0]}:2", label=l2["label"], probability=0.41, risk="low",
                            center_x=l2["center_px"][0], center_y=l2["center_px"][1], width=6, height=6,
                            diameter_mm=5.0, decision="accept", **common)
    insert_decision(db, at="2026-11-28T00:11:30.000Z", sop_uid=l2["sop_instance_uid"], finding_key=f"{MODEL[0]}:2",
                    label=l2["label"], decision="undo", undoes=wrong, **common)
    insert_decision(db, at="2026-11-28T00:12:00.000Z", sop_uid=l2["sop_instance_uid"], finding_key=f"{MODEL[0]}:2",
                    label=l2["label"], probability=0.41, risk="low", center_x=l2["center_px"][0],
                    center_y=l2["center_px"][1], width=6, height=6, diameter_mm=5.0, decision="reject",
                    reason="calcified granuloma, benign", **common)
    insert_decision(db, at="2026-11-28T00:13:00.000Z", sop_uid=l3["sop_instance_uid"], finding_key=f"{MODEL[0]}:3",
                    label="nodule", probability=0.77, risk="intermediate", center_x=l3["center_px"][0],
                    center_y=l3["center_px"][1], width=8, height=8, diameter_mm=7.0, decision="correct",
                    corrected_label=l3["label"], corrected_diameter_mm=9.0, **common)
    db.execute("""INSERT INTO reader_findings (finding_key, reader, at, study_uid, series_uid, sop_uid, label, kind,
                  x, y, width, height, slice) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
               ("reader:ct-1", "dr.okafor", "2026-11-28T00:14:00.000Z", ct["study_instance_uid"], ct_series,
                l1["sop_instance_uid"], "pleural thickening", "box", 120, 140, 20, 10, l1["instance_number"] - 1))

    m1, m2 = mg["lesions"][0], mg["lesions"][1]
    app = m1["appearances"][0]
    bx, by, bx2, by2 = app["box_px"]
    mg_series = series_of(MG_DIR, app["sop_instance_uid"])
    insert_decision(db, reader="dr.okafor", at="2026-11-28T00:20:00.000Z", study_uid=mg["study_instance_uid"],
                    series_uid=mg_series, sop_uid=app["sop_instance_uid"], finding_key="breast-demo:1", source="ai",
                    label=m1["label"], probability=0.88, risk="critical", center_x=(bx + bx2) / 2,
                    center_y=(by + by2) / 2, width=bx2 - bx, height=by2 - by, diameter_mm=14.0,
                    model_id="breast-demo", model_version="1.0", model_sha256="ab" * 32, decision="accept")
    # A reader's own mark with non-ASCII text (written as ISO_IR 192).
    db.execute("""INSERT INTO reader_findings (finding_key, reader, at, study_uid, series_uid, sop_uid, label, kind,
                  x, y, width, height, slice) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
               ("reader:mg-1", "dr.okafor", "2026-11-28T00:21:00.000Z", mg["study_instance_uid"], mg_series,
                m2["sop_instance_uid"], "Mikroverkalkungen, gruppiert — prüfen", "point", m2["center_px"][0],
                m2["center_px"][1], 0, 0, 0))
    # The reader signed the CT off: that report is VERIFIED with the reader as verifying observer.
    signoff = db.execute("INSERT INTO signoffs (reader, at, study_uid, assessment, undecided, forced) VALUES (?,?,?,?,?,?)",
                         ("dr.okafor", "2026-11-28T00:15:00.000Z", ct["study_instance_uid"], "Lung-RADS 4B", 0, 0)).lastrowid
    # ... with its report text, saved with the sign-off (a kept draft before it, superseded).
    db.execute("INSERT INTO reports (reader, at, study_uid, findings, impression, signoff_id) VALUES (?,?,?,?,?,?)",
               ("dr.okafor", "2026-11-28T00:14:30.000Z", ct["study_instance_uid"], "draft", "draft", None))
    db.execute("INSERT INTO reports (reader, at, study_uid, findings, impression, signoff_id) VALUES (?,?,?,?,?,?)",
               ("dr.okafor", "2026-11-28T00:15:00.000Z", ct["study_instance_uid"], REPORT_FINDINGS, REPORT_IMPRESSION, signoff))
    db.commit()
    db.close()


def walk(items, depth=0):
    for it in items:
        yield it, depth
        yield from walk(it.get("ContentSequence", []), depth + 1)


def concept(it):
    seq = it.get("ConceptNameCodeSequence")
    return (seq[0].CodeValue, seq[0].CodingSchemeDesignator) if seq else None


def groups(ds):
    return [it for it, _ in walk(ds.ContentSequence) if concept(it) == ("125007", "DCM")]


def child(group, code):
    return next((c for c in group.get("ContentSequence", []) if concept(c) == code), None)


def validate(sr_path, expected_codes):
    d = run(["dsrdump", "+Pc", "+Pt", sr_path])
    errors = [l for l in d.stderr.splitlines() if l.startswith("E:")]
    check(d.returncode == 0 and not errors, f"dsrdump reads {os.path.basename(sr_path)} "
          f"(rc {d.returncode}{'; ' + ' '.join(errors)[:400] if errors else ''})")
    for w in sorted(set(l for l in d.stderr.splitlines() if l.startswith("W:"))):
        print("       dsrdump " + w)
    missing = [c for c in expected_codes if c not in d.stdout]
    check(not missing, f"dsrdump output holds codes {', '.join(expected_codes)}" + (f" (missing {missing})" if missing else ""))
    x = run(["dsr2xml", sr_path])
    check(x.returncode == 0 and "<report" in x.stdout, "dsr2xml converts it to XML")
    if shutil.which("dciodvfy"):
        v = run(["dciodvfy", "-new", sr_path])  # -new: messages name the full attribute path
        if "unrecognized option" in v.stdout + v.stderr:
            v = run(["dciodvfy", sr_path])
        lines = (v.stdout + v.stderr).splitlines()
        check("Comprehensive3DSR" in lines, "dciodvfy recognises the Comprehensive 3D SR IOD")
        errors = [l for l in lines if l.startswith("Error")]
        warnings = [l for l in lines if l.startswith("Warning")]
        check(not errors, f"dciodvfy: no errors for the Comprehensive 3D SR IOD ({len(warnings)} warnings)"
              + ("".join("\n       " + e for e in errors[:20])))
        for w in sorted(set(warnings)):
            print("       " + w)
    else:
        check(False, "dciodvfy (dicom3tools) is installed")


def main():
    for tool in ("dsrdump", "dsr2xml"):
        if not shutil.which(tool):
            check(False, f"{tool} (dcmtk) is installed")
    tmp = tempfile.mkdtemp(prefix="lightbox-sr-")
    try:
        db_path = os.path.join(tmp, "review.sqlite")
        r = run([LIGHTBOX, "review", "list", "--db", db_path])
        check(r.returncode == 0, "release binary creates the review database")
        populate(db_path)

        # --- CT: SCOORD3D in patient coordinates -------------------------------------------------
        ct = truth(CT_DIR)
        sr, js, cs, txt = (os.path.join(tmp, n) for n in ("ct.dcm", "ct.json", "ct.csv", "ct.txt"))
        r = run([LIGHTBOX, "review", "export", CT_DIR, "--db", db_path, "--sr", sr, "--json", js, "--csv", cs, "--report", txt])
        check(r.returncode == 0, f"review export (CT) succeeds: {r.stdout.strip()} {r.stderr.strip()}")
        validate(sr, ["126000", "125007", "112039", "111030", "SCOORD3D", "81827009", "122157", "27925004",
                      "39607008", "LBX-ACCEPTED", "LBX-REJECTED", "LBX-CORRECTED", "LBX-ADDED", "111001", "121106",
                      "C0034375", "121070", "121073"])
        d = run(["dsrdump", "+Pc", "+Pl", sr])  # +Pl: long text values in full
        check("Impression" in d.stdout and "Lung-RADS v2022 category 4B: very suspicious" in d.stdout,
              "dsrdump prints the signed report's impression")
        ds_report = pydicom.dcmread(sr)
        qual = [c for c in ds_report.ContentSequence if concept(c) == ("C0034375", "UMLS")]
        texts = {concept(t): t.TextValue for t in qual[0].ContentSequence} if qual else {}
        check(len(qual) == 1 and qual[0].ValueType == "CONTAINER"
              and texts == {("121070", "DCM"): REPORT_FINDINGS, ("121073", "DCM"): REPORT_IMPRESSION},
              "pydicom: Qualitative Evaluations holds TEXT Findings and Impression, the newest (signed) report")
        report_text = open(txt, encoding="utf-8").read()
        check("Status signed 2026-11-28T00:15:00.000Z (assessment: Lung-RADS 4B)" in report_text
              and "FINDINGS:\n" + REPORT_FINDINGS + "\n\nIMPRESSION:\n" + REPORT_IMPRESSION in report_text,
              "--report writes the signed report as text")
        ds = pydicom.dcmread(sr)
        check(ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.34", "pydicom: Comprehensive 3D SR SOP class")
        check(ds.StudyInstanceUID == ct["study_instance_uid"], "pydicom: references the source study")
        check(ds.ContentTemplateSequence[0].TemplateIdentifier == "1500", "pydicom: TID 1500 declared")
        check(ds.SpecificCharacterSet == "ISO_IR 192" and "山田" in str(ds.PatientName),
              "patient name (ISO 2022 IR 87 in the source) is carried over as UTF-8")
        evidence = {r.ReferencedSOPInstanceUID for s in ds.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence
                    for r in s.ReferencedSOPSequence}
        check(evidence == {l["sop_instance_uid"] for l in ct["lesions"]}, "evidence sequence lists the images with findings")
        gs = groups(ds)
        check(len(gs) == 4, f"pydicom: 4 measurement groups (got {len(gs)})")
        by_key = {child(g, ("112039", "DCM")).TextValue: g for g in gs}
        check(set(by_key) == {f"{MODEL[0]}:1", f"{MODEL[0]}:2", f"{MODEL[0]}:3", "reader:ct-1"}, "tracking identifiers are the finding keys")
        g1 = by_key[f"{MODEL[0]}:1"]
        region = child(g1, ("111030", "DCM"))
        l1 = ct["lesions"][0]
        check(region.ValueType == "SCOORD3D" and region.GraphicType == "POINT", "CT point finding is a SCOORD3D POINT")
        err = max(abs(a - b) for a, b in zip(region.GraphicData, l1["center_mm"]))
        check(err < 0.01, f"SCOORD3D point equals the ground truth centre in patient mm (max error {err:.4f} mm)")
        check(region.ReferencedFrameOfReferenceUID == ct["series"][0]["frame_of_reference_uid"], "SCOORD3D names the frame of reference")
        prob = child(g1, ("122157", "DCM")).MeasuredValueSequence[0]
        check(float(prob.NumericValue) == 0.93 and prob.MeasurementUnitsCodeSequence[0].CodeValue == "1", "probability 0.93, unit '1'")
        diam = child(g1, ("81827009", "SCT")).MeasuredValueSequence[0]
        check(float(diam.NumericValue) == 18 and diam.MeasurementUnitsCodeSequence[0].CodeValue == "mm", "diameter 18 mm")
        check(child(g1, ("111001", "DCM")).TextValue == MODEL[0] and child(g1, ("111003", "DCM")).TextValue == MODEL[1]
              and child(g1, ("111002", "DCM")).TextValue == "sha256:" + MODEL[2], "model id, version and sha256 in the group")
        dec2 = child(by_key[f"{MODEL[0]}:2"], ("LBX-DECISION", "99LBX"))
        check(dec2.ConceptCodeSequence[0].CodeValue == "LBX-REJECTED"
              and child(dec2, ("121106", "DCM")).TextValue == "calcified granuloma, benign",
              "undone accept, then reject: rejected with its reason")
        dec3 = child(by_key[f"{MODEL[0]}:3"], ("LBX-DECISION", "99LBX"))
        check(dec3.ConceptCodeSequence[0].CodeValue == "LBX-CORRECTED" and child(dec3, ("LBX-AI-LABEL", "99LBX")).TextValue == "nodule",
              "corrected finding keeps what the AI proposed")
        check(ds.VerificationFlag == "VERIFIED" and str(ds.VerifyingObserverSequence[0].VerifyingObserverName) == "dr.okafor"
              and ds.VerifyingObserverSequence[0].VerificationDateTime.startswith("20261128001500"),
              "signed-off study: VERIFIED by the reader at the sign-off time")
        obs = [c for c in ds.ContentSequence if concept(c) == ("121008", "DCM")]
        check(len(obs) == 1 and str(obs[0].PersonName) == "dr.okafor", "person observer is the reader")
        devs = [c for c in ds.ContentSequence if concept(c) == ("121013", "DCM")]
        check([d.TextValue for d in devs] == [MODEL[0]], "device observer is the model")

        exported = json.load(open(js))["findings"]
        back = run([LIGHTBOX, "review", "read-sr", sr, "--study", CT_DIR, "--json"])
        check(back.returncode == 0, "review read-sr reads our SR")
        same(exported, json.loads(back.stdout)["findings"], "CT")
        with open(cs, newline="") as f:
            rows = list(csv.DictReader(f))
        check(len(rows) == 4 and {r["decision"] for r in rows} == {"accepted", "rejected", "corrected", "added by reader"},
              "CSV: one row per finding with its decision")

        # --- MG: SCOORD in image pixels ------------------------------------------------------------
        sr2, js2, txt2 = os.path.join(tmp, "mg.dcm"), os.path.join(tmp, "mg.json"), os.path.join(tmp, "mg.txt")
        r = run([LIGHTBOX, "review", "export", MG_DIR, "--db", db_path, "--sr", sr2, "--json", js2, "--report", txt2])
        check(r.returncode == 0, f"review export (MG) succeeds: {r.stdout.strip()} {r.stderr.strip()}")
        validate(sr2, ["125007", "111030", "111010", "POLYLINE", "POINT", "76752008", "7771000", "4147007", "LBX-ADDED"])
        ds2 = pydicom.dcmread(sr2)
        check(ds2.VerificationFlag == "UNVERIFIED" and "VerifyingObserverSequence" not in ds2, "study not signed off: UNVERIFIED")
        check(not [c for c in ds2.ContentSequence if concept(c) == ("C0034375", "UMLS")], "no saved report: no report text in the SR")
        draft = open(txt2, encoding="utf-8").read()
        check("Status DRAFT generated" in draft and "BI-RADS" in draft and "IMPRESSION:" in draft,
              "no saved report: --report writes the generated draft (BI-RADS wording), labelled as a draft")
        gs2 = groups(ds2)
        box = child(gs2[0], ("111030", "DCM"))
        bx, by, bx2, by2 = truth(MG_DIR)["lesions"][0]["appearances"][0]["box_px"]
        check(box.ValueType == "SCOORD" and box.GraphicType == "POLYLINE" and len(box.GraphicData) == 10
              and list(box.GraphicData[:2]) == list(box.GraphicData[-2:]), "MG box is a closed SCOORD POLYLINE")
        xs, ys = box.GraphicData[0::2], box.GraphicData[1::2]
        check((min(xs), min(ys), max(xs), max(ys)) == (bx + 0.5, by + 0.5, bx2 + 0.5, by2 + 0.5),
              "polyline corners are the box in pixel-corner coordinates")
        img = box.ContentSequence[0]
        check(img.RelationshipType == "SELECTED FROM"
              and img.ReferencedSOPSequence[0].ReferencedSOPInstanceUID == truth(MG_DIR)["lesions"][0]["appearances"][0]["sop_instance_uid"],
              "SCOORD is SELECTED FROM the image it was drawn on")
        label = child(gs2[1], ("LBX-LABEL", "99LBX")).TextValue
        check(label == "Mikroverkalkungen, gruppiert — prüfen", "non-ASCII reader label survives (UTF-8)")
        back2 = run([LIGHTBOX, "review", "read-sr", sr2, "--json"])
        same(json.load(open(js2))["findings"], json.loads(back2.stdout)["findings"], "MG")

        # --- another tool's report: written by pydicom, read by us -----------------------------------
        foreign = os.path.join(tmp, "foreign.dcm")
        lcc = truth(MG_DIR)["lesions"][0]["appearances"][0]["sop_instance_uid"]
        write_foreign_sr(foreign, lcc)
        r = run([LIGHTBOX, "review", "read-sr", foreign, "--json"])
        got = json.loads(r.stdout)["findings"] if r.returncode == 0 else []
        check(len(got) == 1 and got[0]["label"] == "Mass" and got[0]["finding_key"] == "lesion 7"
              and got[0]["sop_instance_uid"] == lcc and abs(got[0]["center_x"] - 300) < 1e-3
              and abs(got[0]["center_y"] - 400) < 1e-3 and abs(got[0]["width"] - 40) < 1e-3
              and abs(got[0]["height"] - 20) < 1e-3 and abs(got[0]["diameter_mm"] - 20) < 1e-3
              and got[0]["decision"] == "accepted",
              "a pydicom-written TID 1500 with an ELLIPSE region reads as its finding"
              + ("" if len(got) == 1 and got[0]["label"] == "Mass" else f": {got} {r.stderr}"))

        # --- bad input ------------------------------------------------------------------------------
        r = run([LIGHTBOX, "review", "export", CT_DIR, "--db", db_path, "--sr", os.path.join(tmp, "x.dcm"), "--reader", "nobody"])
        check(r.returncode == 0, "a reader with no decisions gets an empty report, not a crash")
        r = run([LIGHTBOX, "review", "read-sr", os.path.join(CT_DIR, "CT03_0001.dcm")])
        check(r.returncode == 2 and "not a structured report" in r.stderr, "read-sr on an image says it is not an SR")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("sr_export: all checks passed")


def write_foreign_sr(path, sop):
    """A minimal TID 1500 Enhanced SR as another tool writes it: standard codes only, an ELLIPSE in pixels."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    def code(v, s, m):
        c = Dataset()
        c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning = v, s, m
        return c

    def item(rel, vt, name, **kw):
        it = Dataset()
        it.RelationshipType, it.ValueType = rel, vt
        if name:
            it.ConceptNameCodeSequence = [code(*name)]
        for k, v in kw.items():
            setattr(it, k, v)
        return it

    img = Dataset()
    img.ReferencedSOPClassUID, img.ReferencedSOPInstanceUID = "1.2.840.10008.5.1.4.1.1.1.2", sop
    region = item("CONTAINS", "SCOORD", ("111030", "DCM", "Image Region"), GraphicType="ELLIPSE",
                  GraphicData=[280.5, 400.5, 320.5, 400.5, 300.5, 390.5, 300.5, 410.5])
    region.ContentSequence = [item("SELECTED FROM", "IMAGE", None, ReferencedSOPSequence=[img])]
    mv = Dataset()
    mv.NumericValue, mv.MeasurementUnitsCodeSequence = "2", [code("cm", "UCUM", "centimeter")]
    group = item("CONTAINS", "CONTAINER", ("125007", "DCM", "Measurement Group"), ContinuityOfContent="SEPARATE")
    group.ContentSequence = [
        item("HAS OBS CONTEXT", "TEXT", ("112039", "DCM", "Tracking Identifier"), TextValue="lesion 7"),
        item("CONTAINS", "CODE", ("121071", "DCM", "Finding"), ConceptCodeSequence=[code("4147007", "SCT", "Mass")]),
        region,
        item("CONTAINS", "NUM", ("103339001", "SCT", "Long Axis"), MeasuredValueSequence=[mv]),
    ]
    meas = item("CONTAINS", "CONTAINER", ("126010", "DCM", "Imaging Measurements"), ContinuityOfContent="SEPARATE")
    meas.ContentSequence = [group]
    ds = Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID = "1.2.840.10008.5.1.4.1.1.88.22", generate_uid()
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.Modality = generate_uid(), generate_uid(), "SR"
    ds.ValueType, ds.ContinuityOfContent = "CONTAINER", "SEPARATE"
    ds.ConceptNameCodeSequence = [code("126000", "DCM", "Imaging Measurement Report")]
    ds.ContentSequence = [meas]
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPClassUID, ds.SOPInstanceUID
    ds.save_as(path, enforce_file_format=True)


def same(exported, read_back, name):
    """Our reader returns the findings we exported: same keys, labels, decisions, values, geometry."""
    check(len(exported) == len(read_back), f"{name}: read-sr returns {len(read_back)} of {len(exported)} findings")
    a = {f["finding_key"]: f for f in exported}
    b = {f["finding_key"]: f for f in read_back}
    check(set(a) == set(b), f"{name}: same finding keys")
    for k in sorted(set(a) & set(b)):
        diffs = []
        for field, va in a[k].items():
            vb = b[k].get(field)
            if isinstance(va, float) or isinstance(vb, float):
                if va is None or vb is None or abs(va - vb) > 1e-3:
                    diffs.append(f"{field}: {va!r} vs {vb!r}")
            elif va != vb:
                diffs.append(f"{field}: {va!r} vs {vb!r}")
        check(not diffs, f"{name}: {k} round-trips" + (" — " + "; ".join(diffs) if diffs else ""))


if __name__ == "__main__":
    main()
