#!/usr/bin/env python3
"""The complete SR (issue 20): the AI's measurements that the review store does not keep travel in
the TID 1500 report, and come back through pydicom and `lightbox review read-sr`.

For a low-dose CT (Lung-RADS, Brock probability, axes, volume), a mammogram (BI-RADS, axes) and a head
CT (haemorrhage volume and its ABC/2 estimate), `lightbox analyze --json --heatmaps` writes
analysis.json beside a copy of the study, a reader accepts one AI finding and rejects another with a
reason, and `lightbox review export --sr --json` writes the report. Then:

- dicom3tools `dciodvfy` reports 0 errors;
- pydicom finds in each decided finding's Measurement Group: Long Axis (103339001, SCT) and Short Axis
  (103340004, SCT) in mm, Volume (118565006, SCT) in ml, Assessment Category (111005, DCM) with the
  Lung-RADS (local LBX-LUNGRADS-…) or BI-RADS (SNOMED CT 3971… for 0–5, local for 4A/4B/4C) code,
  Probability of cancer (111047, DCM) = the Brock probability with Algorithm Name "Brock model 2b
  (PanCan)", Volume of ellipsoid (121221, DCM) = ABC/2 with Measurement Method (370129005, SCT), and
  the reader's decision (LBX-ACCEPTED / LBX-REJECTED) with the reason as Comment (121106, DCM); each
  value equal to the analysis JSON's;
- `lightbox review read-sr --json` returns the same values (long_axis_mm, short_axis_mm, volume_ml,
  category, malignancy_probability, volume_abc2_ml) as `review export --json`.

Needs: LIGHTBOX, dciodvfy, pydicom, highdicom (via seg_export), numpy.
"""
import json
import os
import shutil
import sys
import tempfile

import pydicom

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seg_export import CT_DIR, MG_DIR, ROOT, check, decide, failures, prepare, run  # noqa: E402

LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
HEAD_DIR = os.path.join(ROOT, "SampleStudies/10_CT_HEAD_HELENE_2026")
FIELDS = ["long_axis_mm", "short_axis_mm", "volume_ml", "category", "malignancy_probability", "volume_abc2_ml"]


def code(item, seq="ConceptNameCodeSequence"):
    c = getattr(item, seq)[0]
    return (c.CodeValue, c.CodingSchemeDesignator)


def groups(ds):
    out = {}
    for top in ds.ContentSequence:
        if code(top) != ("126010", "DCM"):
            continue
        for g in top.ContentSequence:
            key = next((c.TextValue for c in g.ContentSequence if code(c) == ("112039", "DCM")), None)
            out[key] = g
    return out


def num(g, concept):
    for c in g.ContentSequence:
        if c.ValueType == "NUM" and code(c) == concept:
            return float(c.MeasuredValueSequence[0].NumericValue), c
    return None, None


def expected_values(f):
    long_axis = f.get("long_axis_mm") if f.get("long_axis_mm") is not None else (f.get("diameter_mm") if f.get("slice_range") else None)
    return {"long_axis_mm": long_axis, "short_axis_mm": f.get("short_diameter_mm"), "volume_ml": f.get("volume_ml"),
            "category": f.get("category"), "malignancy_probability": f.get("malignancy_probability"),
            "volume_abc2_ml": f.get("volume_abc2_ml")}


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(a - b) <= 1e-6 * max(1, abs(a))


def study_case(name, study, tmp, db_path, mammography):
    folder, analysis, headers = prepare(study, tmp, name)
    findings = [f for f in analysis["findings"] if f.get("id")]
    if len(findings) < 2:
        check(False, f"{name}: the analysis has two findings to decide ({len(findings)})")
        return
    accepted, rejected = findings[0], findings[1]
    decide(db_path, analysis, headers, accepted, rejected)
    sr, js = os.path.join(tmp, f"{name}.sr.dcm"), os.path.join(tmp, f"{name}.json")
    r = run([LIGHTBOX, "review", "export", folder, "--db", db_path, "--sr", sr, "--json", js])
    check(r.returncode == 0, f"{name}: review export --sr --json succeeds: {r.stdout.strip()} {r.stderr.strip()}")
    if r.returncode != 0:
        return
    v = run(["dciodvfy", "-new", sr])
    errors = [l for l in (v.stdout + v.stderr).splitlines() if l.startswith("Error")]
    check(not errors, f"{name}: dciodvfy reports 0 errors on the SR" + ("" if not errors else ": " + "; ".join(errors[:6])))

    ds = pydicom.dcmread(sr)
    g = groups(ds)
    for f, decision in ((accepted, "LBX-ACCEPTED"), (rejected, "LBX-REJECTED")):
        grp = g.get(f["id"])
        check(grp is not None, f"{name}: the SR has a Measurement Group for {f['id']}")
        if grp is None:
            continue
        want = expected_values(f)
        got = {
            "long_axis_mm": num(grp, ("103339001", "SCT"))[0], "short_axis_mm": num(grp, ("103340004", "SCT"))[0],
            "volume_ml": num(grp, ("118565006", "SCT"))[0],
        }
        brock, brock_item = num(grp, ("111047", "DCM"))
        got["malignancy_probability"] = brock
        abc2, abc2_item = num(grp, ("121221", "DCM"))
        got["volume_abc2_ml"] = abc2
        cat = next((c for c in grp.ContentSequence if code(c) == ("111005", "DCM")), None)
        cat_code = code(cat, "ConceptCodeSequence") if cat is not None else None
        if want["category"] is None:
            got["category"] = None
        elif cat_code is None:
            got["category"] = "missing"
        elif cat_code[1] == "SCT":
            got["category"] = {"397138000": "0", "397140005": "1", "397141009": "2", "397143007": "3", "397144001": "4",
                               "397145000": "5"}.get(cat_code[0])
        else:
            got["category"] = cat_code[0].split("-")[-1]
        diffs = [f"{k}: {want[k]!r} vs {got[k]!r}" for k in FIELDS if not close(want[k], got[k])]
        check(not diffs, f"{name}: {f['label']} ({decision}): axes, volume, category, Brock, ABC/2 as the analysis says"
              + ("" if not diffs else " — " + "; ".join(diffs)))
        if want["category"] is not None and cat_code is not None:
            scheme_ok = (cat_code[1] == "SCT" or cat_code[0].startswith("LBX-BIRADS-")) if mammography else cat_code[0].startswith("LBX-LUNGRADS-")
            check(scheme_ok, f"{name}: category {want['category']} coded as {'BI-RADS' if mammography else 'Lung-RADS'} ({cat_code})")
        if brock_item is not None:
            names = [c.TextValue for c in getattr(brock_item, "ContentSequence", []) if code(c) == ("111001", "DCM")]
            check(names == ["Brock model 2b (PanCan)"], f"{name}: Probability of cancer names the Brock model")
        if abc2_item is not None:
            methods = [code(c, "ConceptCodeSequence") for c in getattr(abc2_item, "ContentSequence", []) if code(c) == ("370129005", "SCT")]
            check(methods == [("LBX-ABC2", "99LBX")], f"{name}: Volume of ellipsoid carries its ABC/2 Measurement Method")
        dec = next((c for c in grp.ContentSequence if code(c) == ("LBX-DECISION", "99LBX")), None)
        reasons = [c.TextValue for c in getattr(dec, "ContentSequence", []) if code(c) == ("121106", "DCM")] if dec is not None else []
        check(dec is not None and code(dec, "ConceptCodeSequence")[0] == decision
              and (reasons == ["benign appearance"] if decision == "LBX-REJECTED" else reasons == []),
              f"{name}: the reader's decision {decision}" + (" with its reason" if decision == "LBX-REJECTED" else ""))

    back = run([LIGHTBOX, "review", "read-sr", sr, "--study", folder, "--json"])
    check(back.returncode == 0, f"{name}: review read-sr reads the SR")
    if back.returncode == 0:
        exported = {f["finding_key"]: f for f in json.load(open(js))["findings"]}
        read = {f["finding_key"]: f for f in json.loads(back.stdout)["findings"]}
        diffs = [f"{k} {field}: {exported[k].get(field)!r} vs {read.get(k, {}).get(field)!r}"
                 for k in exported for field in FIELDS
                 if not (exported[k].get(field) is None and read.get(k, {}).get(field) is None)
                 and not (exported[k].get(field) is not None and read.get(k, {}).get(field) is not None
                          and (exported[k][field] == read[k][field] if isinstance(exported[k][field], str)
                               else abs(exported[k][field] - read[k][field]) <= 1e-4 * max(1, abs(exported[k][field]))))]
        check(not diffs and any(exported[k].get("long_axis_mm") is not None for k in exported),
              f"{name}: read-sr --json returns the measurements export --json has" + ("" if not diffs else " — " + "; ".join(diffs[:6])))


def main():
    tmp = tempfile.mkdtemp(prefix="lightbox-srm-")
    try:
        db_path = os.path.join(tmp, "review.sqlite")
        check(run([LIGHTBOX, "review", "list", "--db", db_path]).returncode == 0, "the binary creates the review database")
        study_case("CT", CT_DIR, tmp, db_path, mammography=False)
        study_case("MG", MG_DIR, tmp, db_path, mammography=True)
        study_case("HEAD", HEAD_DIR, tmp, db_path, mammography=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"sr_measurements: {len(failures)} failure(s)" if failures else "sr_measurements: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
