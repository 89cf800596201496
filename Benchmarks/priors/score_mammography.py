#!/usr/bin/env python3
"""Scores `lightbox analyze` on generated mammography pairs with and without the prior (issue 19).

  score_mammography.py OUT_DIR PAIR_DIR...
      each PAIR_DIR holds prior/, current/ (with ground_truth.json) and the two analyses
      OUT_DIR/<pair>.noprior.json and OUT_DIR/<pair>.prior.json (`lightbox analyze current --json`
      with --no-prior and with --prior PAIR_DIR/prior).

A mark hits a truth lesion by `Analysis.LesionMatching`'s rule for projection images: on the same
image, its centre inside the lesion's box widened by 2 mm, or within max(diameter / 2, 5 mm) of the
lesion's centre there. Each (lesion, view) appearance is a target, as in the card's per-view FROC.
  * false marks per exam: reported findings that hit no lesion, per current exam;
  * sensitivity: targets hit by a reported finding / targets, for all lesions and split into
    new or growing (what must not be lost) and stable (benign, present on the prior);
  * present_on_prior accuracy: over marks that hit a lesion (reported, or withheld by the stable
    rule in the run's stable_on_prior), the finding's prior.present_on_prior against the sidecar's
    present_on_prior; status accuracy likewise (new / stable / growing);
  * false marks present on the prior: false marks the comparison matched to a prior mark (the
    model marks the same normal tissue in both exams), and how many the rule withheld.
"""
import json
import math
import os
import sys

out_dir = sys.argv[1]
pairs = sys.argv[2:]


def hit(f, truth):
    """(lesion index, view sop) the finding hits, or None."""
    if len(f.get("center_px") or []) != 2:
        return None
    spacing = truth["series"][0].get("pixel_spacing_mm") or [0.2, 0.2]
    sr, sc = spacing[0], spacing[1]
    fx, fy = f["center_px"]
    best = None
    for i, l in enumerate(truth["lesions"]):
        for a in l.get("appearances", []):
            if a["sop_instance_uid"] != f["sop_instance_uid"]:
                continue
            c = a.get("center_px")
            d = math.hypot((fx - c[0]) * sc, (fy - c[1]) * sr) if c else math.inf
            b = a.get("box_px")
            inside = bool(b) and min(b[0], b[2]) - 2 / sc <= fx <= max(b[0], b[2]) + 2 / sc and \
                min(b[1], b[3]) - 2 / sr <= fy <= max(b[1], b[3]) + 2 / sr
            if not (inside or d <= max((l.get("diameter_mm") or 0) / 2, 5)):
                continue
            rank = (d if math.isfinite(d) else 0) - 1e9 if inside else d
            if best is None or rank < best[1]:
                best = ((i, a["sop_instance_uid"]), rank)
    return best[0] if best else None


T = {k: dict(exams=0, false=0, targets=0, hits=0, t_ng=0, h_ng=0, t_st=0, h_st=0, marks=0)
     for k in ("noprior", "prior")}
pop_n = pop_ok = st_n = st_ok = 0
fp_present = fp_withheld = 0
confusion = {}
secs = {"noprior": [], "prior": []}
for pair in pairs:
    name = os.path.basename(pair.rstrip("/"))
    truth = json.load(open(os.path.join(pair, "current", "ground_truth.json")))
    line = [name]
    for mode in ("noprior", "prior"):
        path = os.path.join(out_dir, f"{name}.{mode}.json")
        doc = json.load(open(path))
        secs[mode].append(doc.get("seconds", 0))
        t = T[mode]
        t["exams"] += 1
        fs = doc.get("findings", [])
        t["marks"] += len(fs)
        hits = {hit(f, truth) for f in fs} - {None}
        false = sum(1 for f in fs if hit(f, truth) is None)
        t["false"] += false
        for i, l in enumerate(truth["lesions"]):
            ng = l.get("status") in ("new", "growing")
            for a in l.get("appearances", []):
                k = (i, a["sop_instance_uid"])
                h = k in hits
                t["targets"] += 1; t["hits"] += h
                if ng:
                    t["t_ng"] += 1; t["h_ng"] += h
                else:
                    t["t_st"] += 1; t["h_st"] += h
        line.append(f"{mode}: {len(fs)} marks, {false} false")
        if mode == "prior":
            withheld = [f for r in doc.get("runs", []) for f in (r.get("stable_on_prior") or [])]
            for f in fs + withheld:
                p = f.get("prior")
                if p is None:
                    continue
                k = hit(f, truth)
                if k is None:
                    if p.get("present_on_prior"):
                        fp_present += 1
                        fp_withheld += f in withheld
                    continue
                l = truth["lesions"][k[0]]
                pop_n += 1; pop_ok += bool(p.get("present_on_prior")) == bool(l.get("present_on_prior"))
                st_n += 1; st_ok += p.get("status") == l.get("status")
                confusion[(l.get("status"), p.get("status"))] = confusion.get((l.get("status"), p.get("status")), 0) + 1
            line.append(f"withheld {len(withheld)}")
    print("  " + "; ".join(line))


def r(a, b):
    return f"{a}/{b} = {a / b:.3f}" if b else "n/a"


print()
for mode in ("noprior", "prior"):
    t = T[mode]
    print(f"{'without prior' if mode == 'noprior' else 'with prior   '}: false marks/exam {t['false'] / max(t['exams'], 1):.2f} "
          f"({t['false']} in {t['exams']} exams; {t['marks']} marks); sensitivity all {r(t['hits'], t['targets'])}, "
          f"new+growing {r(t['h_ng'], t['t_ng'])}, stable {r(t['h_st'], t['t_st'])}; "
          f"mean {sum(secs[mode]) / max(len(secs[mode]), 1):.1f} s/exam")
print(f"present_on_prior accuracy (marks on lesions, incl. withheld): {r(pop_ok, pop_n)}; status accuracy {r(st_ok, st_n)}")
print("status truth -> reported: " + ", ".join(f"{a}->{b}: {n}" for (a, b), n in sorted(confusion.items())))
print(f"false marks matched to a prior mark: {fp_present} ({fp_withheld} withheld by the stable rule)")
