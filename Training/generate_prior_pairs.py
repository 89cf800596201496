#!/usr/bin/env python3
"""Held-out baseline/follow-up pairs with the comparison truth, for benchmarking registration,
lesion matching, change status and volume doubling time (issue 19).

  .venv/bin/python Training/generate_prior_pairs.py OUT N [--seed 1901] [--kind ldct|mammography|both]
                                                   [--start 0] [--syntax explicit_le|jpeg_ls|...]

Writes OUT/ldct_<i>/{prior,current}/ and OUT/mammography_<i>/{prior,current}/ (each a study folder
with its DICOM files and ground_truth.json, linked as in SampleStudies: lesion_id, tracking_uid,
measured, present_on_prior, status; the current's `prior` block, the prior's `follow_up` block),
and OUT/index.json: one entry per pair with the study UIDs, the interval, the registration truth
(p_prior = R·p_current + t, patient mm) and the per-lesion truth (status, centres, diameters,
volumes, volume change, Schwartz volume doubling time) and the resolved lesion ids.

Random per pair (deterministic in (seed, kind, index); keys `heldout-pairs/<seed>/...`, never the
`sample/...` or `train/...` keys the samples and the models' training and validation sets use):
  * LDCT: pose rotation 1–3° about the patient z axis (either sign) and up to 0.75° about x and
    y, in-plane translation 1–4 mm (the LDCT model's OOD check abstains on larger shifts), z
    translation up to ±8 mm; interval 300–430 days; 2–5 nodules (70 % solid, 15 % part-solid,
    15 % ground-glass), 4–20 mm, statuses drawn from growing 30 %, stable 30 %, new 15 %,
    resolved 15 %, shrinking 10 % (growing: a volume doubling time of 100–600 days applied to the
    interval, kept when the mean diameter grows by more than 2 mm; shrinking by more than 2 mm);
    noise 18–26 HU. Each nodule keeps one shape at both time points (`persistent_shape`,
    phantoms/ldct.py NoduleShape), so its rendered volume changes only as its diameter does; each
    pair's `rendered_status_disagreements` in index.json lists any lesion whose rendered
    volume-equivalent diameters do not tell its status with 0.3 mm to spare (printed as warnings).
  * Mammography: the same breasts (anatomy seed) with the breast's depth, width and height varied
    by up to ±4 % between the exams (compression); lesion positions are fractions of the breast
    semi-axes, i.e. normalised to the nipple and chest wall; 1–3 findings: stable benign
    (circumscribed mass, calcifications, asymmetry), new (spiculated mass, distortion,
    calcifications; malignant), resolved (asymmetry), growing (mass); interval 330–760 days.

Statuses follow Training/phantoms/priors.py (±1.5 mm mean diameter). Lung-RADS categories are not
written for these pairs. About 10–20 s per LDCT pair and 5 s per mammography pair on one core.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from generate_samples import make_study, write_sidecar  # noqa: E402
from phantoms.catalog import T  # noqa: E402
from phantoms.common import rng  # noqa: E402
from phantoms.ldct import lung_contains  # noqa: E402
from phantoms.priors import STATUS_DELTA_MM, lesion_specs, link, pose_of  # noqa: E402
from phantoms.write_dicom import Patient  # noqa: E402

CURRENT_DATE = date(2026, 6, 15)
# A growing or shrinking nodule changes its mean diameter by more than this (the Lung-RADS threshold
# is 1.5 mm): a change a hair above 1.5 mm nominal could render below it after partial volume.
GROWTH_MARGIN_MM = 2.0
# A rendered nodule's volume-equivalent diameter must tell the same status as its nominal sizes,
# with this much room either side of the 1.5 mm threshold; pairs that do not are reported.
RENDERED_AGREEMENT_MM = 0.3


def _d(x: date) -> str:
    return x.strftime("%Y%m%d")


def _pick(r, weights: dict):
    keys = list(weights)
    p = [weights[k] for k in keys]
    return keys[int(r.choice(len(keys), p=[v / sum(p) for v in p]))]


def ldct_pair(seed: int, i: int) -> dict:
    base = f"heldout-pairs/{seed}/ldct/{i}"
    r = rng(base, "design")
    days = int(r.integers(300, 431))
    rz = float(r.choice([-1, 1]) * r.uniform(1.0, 3.0))
    rx, ry = (float(r.uniform(-0.75, 0.75)) for _ in range(2))
    ang, mag = r.uniform(0, 2 * math.pi), r.uniform(1.0, 4.0)
    t = [round(float(mag * math.cos(ang)), 2), round(float(mag * math.sin(ang)), 2), round(float(r.uniform(-8, 8)), 2)]
    lesions, placed = [], []
    for n in range(int(r.integers(2, 6))):
        status = _pick(r, {"growing": 0.3, "stable": 0.3, "new": 0.15, "resolved": 0.15, "shrinking": 0.1})
        typ = _pick(r, {"solid": 0.7, "part_solid": 0.15, "ggo": 0.15})
        while True:
            if status == "growing":
                d1 = r.uniform(4, 15)
                vdt = r.uniform(100, 600)
                d2 = d1 * 2 ** (days / vdt / 3)
                ok = d2 - d1 > GROWTH_MARGIN_MM and d2 <= 20
            elif status == "shrinking":
                d1 = r.uniform(7, 20)
                d2 = d1 * r.uniform(0.5, 0.8)
                ok = d1 - d2 > GROWTH_MARGIN_MM and d2 >= 3.5
            elif status == "stable":
                d1 = d2 = r.uniform(4, 20)
                ok = True
            elif status == "new":
                d1, d2 = None, r.uniform(4, 15)
                ok = True
            else:
                d1, d2 = r.uniform(4, 15), None
                ok = True
            if ok:
                break
        d1 = None if d1 is None else round(float(d1), 1)
        d2 = None if d2 is None else round(float(d2), 1)
        dmax = max(v for v in (d1, d2) if v is not None)
        for _ in range(2000):   # inside a lung (both time points: rigid), apart from the others
            c = [float(r.choice([-1, 1]) * r.uniform(35, 120)), float(r.uniform(-70, 80)), float(r.uniform(-190, -20))]
            if lung_contains(c, dmax / 2 + 3) and all(
                    math.dist(c, pc) > (dmax + pd) / 2 + 8 for pc, pd in placed):
                break
        else:
            continue
        placed.append((c, dmax))
        frac = float(r.uniform(0.3, 0.6))

        def tp(d):
            if d is None:
                return None
            out = {"diameter": d}
            if typ == "part_solid":
                out["solid_diameter"] = round(d * frac, 1)
            return out
        malignant = bool(status == "growing" or (status == "new" and d2 >= 8 and r.uniform() < 0.5))
        side = "L" if c[0] > 0 else "R"
        lesions.append({"lesion_id": f"{side}-{n + 1}", "type": typ, "center": [round(v, 1) for v in c],
                        "persistent_shape": True,
                        "malignant": malignant, "spiculated": bool(malignant and dmax > 12 and r.uniform() < 0.5),
                        "label": f"{status} {typ.replace('_', '-')} nodule", "prior": tp(d1), "current": tp(d2)})
    return {"key": base, "kind": "ldct", "interval_days": days,
            "pose": {"rotation_deg": [round(rx, 3), round(ry, 3), round(rz, 3)], "translation_mm": t},
            "noise": [float(r.uniform(18, 26)), float(r.uniform(18, 26))], "lesions": lesions,
            "sex": str(r.choice(["M", "F"]))}


def mammography_pair(seed: int, i: int) -> dict:
    base = f"heldout-pairs/{seed}/mammography/{i}"
    r = rng(base, "design")
    days = int(r.integers(330, 761))
    anatomy = {"density": float(r.uniform(0.2, 0.85)), "depth": float(r.uniform(90, 120)),
               "width": float(r.uniform(68, 84)), "height": float(r.uniform(62, 76))}
    prior_anatomy = {k: (v * float(r.uniform(0.96, 1.04)) if k != "density" else v) for k, v in anatomy.items()}
    lesions = []
    for n in range(int(r.integers(1, 4))):
        status = _pick(r, {"stable": 0.4, "new": 0.35, "resolved": 0.1, "growing": 0.15})
        if status == "stable":
            typ = str(r.choice(["circumscribed_mass", "calcifications", "asymmetry"]))
            d1 = d2 = round(float(r.uniform(6, 16)), 1)
            malignant = False
        elif status == "new":
            typ = str(r.choice(["spiculated_mass", "distortion", "calcifications", "circumscribed_mass"]))
            d1, d2 = None, round(float(r.uniform(6, 20)), 1)
            malignant = typ != "circumscribed_mass"
        elif status == "resolved":
            typ = "asymmetry"
            d1, d2 = round(float(r.uniform(8, 18)), 1), None
            malignant = False
        else:
            typ = str(r.choice(["circumscribed_mass", "spiculated_mass"]))
            d1 = round(float(r.uniform(6, 14)), 1)
            d2 = round(d1 + float(r.uniform(2.5, 6)), 1)
            malignant = typ == "spiculated_mass"
        side = str(r.choice(["L", "R"]))
        pos = [float(r.uniform(0.25, 0.75)), float(r.uniform(-0.6, 0.6)), float(r.uniform(-0.6, 0.6))]
        extra = {"count": int(r.integers(8, 20)), "pleomorphic": malignant} if typ == "calcifications" else {}
        tp = lambda d: None if d is None else {"diameter": d, **extra}
        lesions.append({"lesion_id": f"{side}-{n + 1}", "type": typ, "side": side, "laterality": side, "pos": pos,
                        "malignant": bool(malignant), "label": f"{status} {typ.replace('_', ' ')}",
                        "prior": tp(d1), "current": tp(d2)})
    return {"key": base, "kind": "mammography", "interval_days": days, "anatomy": anatomy,
            "prior_anatomy": prior_anatomy, "lesions": lesions, "sex": "F",
            "normalisation": "mammography: same view, position relative to the nipple and the chest wall "
                             "(lesion positions are fractions of the breast semi-axes; the breast's size varies "
                             "by up to 4 % between exams)"}


def rendered_status_disagreements(rows: list[dict]) -> list[str]:
    """Lesions whose rendered volumes (volume-equivalent diameters at the two time points) do not
    tell their status clearly: a stable one changing by more than STATUS_DELTA_MM − RENDERED_AGREEMENT_MM,
    a growing (shrinking) one by less than STATUS_DELTA_MM + RENDERED_AGREEMENT_MM. Empty for a sound pair."""
    out = []
    for row in rows:
        vp, vc = row["volume_ml"]["prior"], row["volume_ml"]["current"]
        if not vp or not vc:
            continue
        dp, dc = ((6 * v * 1000 / math.pi) ** (1 / 3) for v in (vp, vc))
        change = dc - dp
        sound = {"stable": abs(change) < STATUS_DELTA_MM - RENDERED_AGREEMENT_MM,
                 "growing": change > STATUS_DELTA_MM + RENDERED_AGREEMENT_MM,
                 "shrinking": -change > STATUS_DELTA_MM + RENDERED_AGREEMENT_MM}.get(row["status"], True)
        if not sound:
            out.append(f"{row['lesion_id']} {row['status']}: rendered {dp:.1f} -> {dc:.1f} mm ({change:+.1f})")
    return out


def write_pair(pair: dict, seed: int, i: int, out: str, syntax: str) -> dict:
    kind = pair["kind"]
    folder = f"{kind}_{i:04d}"
    patient = Patient(f"LBX-HO{seed}-{kind[0].upper()}{i:04d}", f"PHANTOM^HELDOUT{seed}^{kind.upper()}{i:04d}",
                      "19600101", pair["sex"])
    cur_date = CURRENT_DATE + timedelta(days=i % 200)
    dates = {"prior": cur_date - timedelta(days=pair["interval_days"]), "current": cur_date}
    gts = {}
    for n, timepoint in enumerate(("prior", "current")):
        spec = {"folder": f"{folder}/{timepoint}", "kind": kind, "key": f"{pair['key']}/{timepoint}",
                "patient_obj": patient, "date": _d(dates[timepoint]), "time": "100000",
                "description": "LOW DOSE CT CHEST SCREENING" if kind == "ldct" else "SCREENING MAMMOGRAM BILATERAL",
                "accession": f"HO{seed % 10000:04d}{kind[0].upper()}{i:04d}{'PC'[n]}", "syntax": syntax,
                "lesions": lesion_specs(pair, timepoint),
                "teaching": T("Held-out synthetic pair for benchmarking.", "See lesions and prior.",
                              "See lesions.", "Generated by Training/generate_prior_pairs.py.")}
        if kind == "ldct":
            spec["noise_hu"] = pair["noise"][n]
            if timepoint == "prior":
                spec["anatomy_key"] = f"{pair['key']}/current"
                spec["pose"] = pose_of(pair)
        else:
            spec["anatomy_key"] = f"{pair['key']}/anatomy"
            spec["anatomy"] = pair["prior_anatomy"] if timepoint == "prior" else pair["anatomy"]
        gts[timepoint] = make_study(spec, out)
    link(gts["prior"], gts["current"], pair)
    disagreements = rendered_status_disagreements(gts["current"]["prior"]["lesions"])
    for timepoint in ("prior", "current"):
        gts[timepoint]["generator"].update({"script": "Training/generate_prior_pairs.py", "pair": pair["key"]})
        write_sidecar(os.path.join(out, folder, timepoint), gts[timepoint])
    block = gts["current"]["prior"]
    entry = {"pair": folder, "kind": kind, "key": pair["key"],
             "prior": {"folder": f"{folder}/prior", "study_instance_uid": gts["prior"]["study_instance_uid"],
                       "study_date": gts["prior"]["study_date"]},
             "current": {"folder": f"{folder}/current", "study_instance_uid": gts["current"]["study_instance_uid"],
                         "study_date": gts["current"]["study_date"]},
             "interval_days": block["interval_days"], "lesions": block["lesions"], "resolved": block["resolved"]}
    if "registration" in block:
        entry["registration"] = block["registration"]
    entry["rendered_status_disagreements"] = disagreements
    if "normalisation" in block:
        entry["normalisation"] = block["normalisation"]
    return entry


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("n", type=int, help="pairs of each kind")
    ap.add_argument("--seed", type=int, default=1901)
    ap.add_argument("--kind", choices=["ldct", "mammography", "both"], default="both")
    ap.add_argument("--start", type=int, default=0, help="first pair index (pair i is the same whatever N is)")
    ap.add_argument("--syntax", default="explicit_le", help="explicit_le (fastest), rle, jpeg_ls, j2k")
    a = ap.parse_args(argv)
    kinds = ["ldct", "mammography"] if a.kind == "both" else [a.kind]
    os.makedirs(a.out, exist_ok=True)
    index_path = os.path.join(a.out, "index.json")
    index = {"generator": "Training/generate_prior_pairs.py", "seed": a.seed, "synthetic": True,
             "convention": "registration: p_prior = R·p_current + t (patient LPS mm of each study); "
                           "status by mean diameter ±1.5 mm; volume_doubling_days = interval_days·ln2/ln(V2/V1)",
             "pairs": []}
    if os.path.exists(index_path):   # growing a set with --start keeps the pairs already written
        with open(index_path) as f:
            old = json.load(f)
        if old.get("seed") == a.seed:
            index["pairs"] = old.get("pairs", [])
    for i in range(a.start, a.start + a.n):
        for kind in kinds:
            t = time.time()
            pair = ldct_pair(a.seed, i) if kind == "ldct" else mammography_pair(a.seed, i)
            entry = write_pair(pair, a.seed, i, a.out, a.syntax)
            index["pairs"] = [p for p in index["pairs"] if p["pair"] != entry["pair"]] + [entry]
            summary = ", ".join(f"{les['lesion_id']} {les['status']}" for les in entry["lesions"])
            print(f"{entry['pair']:18s} {len(entry['lesions'])} lesions ({summary}) {time.time() - t:5.1f} s", flush=True)
            for problem in entry["rendered_status_disagreements"]:
                print(f"  warning: {problem}", flush=True)
    index["pairs"].sort(key=lambda p: p["pair"])
    with open(index_path, "w", encoding="utf-8") as f:
        json.dump(index, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
