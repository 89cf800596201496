#!/usr/bin/env python3
"""Scores `lightbox analyze --prior` on generated LDCT pairs against the sidecars' `prior` block.

  score.py LIGHTBOX MODELS CACHE PAIR_DIR...     (each PAIR_DIR holds prior/ and current/)

For every truth lesion of a pair (current/ground_truth.json → prior.lesions):
- detected: a current finding within max(5 mm, its radius) of its current centre (resolved
  lesions: a prior finding near its prior centre, i.e. in the run's `resolved` or matched);
- match correct: a persisting lesion's finding is matched to the prior finding nearest the truth
  prior centre (within max(5 mm, radius)); a new lesion's finding is unmatched; a resolved lesion's
  prior finding is in `resolved`;
- status correct: the finding's `prior.status` equals the truth (resolved: in `resolved`).
Match accuracy counts lesions ≥ 4 mm (mean diameter at the larger time point) detected where the
truth needs it; VDT is checked on growing lesions ≥ 6 mm that grew ≥ 25 % in volume (within 25 %).
Prints one line per pair and the totals; also the registration error (mm, mean over the lungs'
truth lesion positions) and the registration + matching seconds from the JSON."""
import json
import math
import os
import subprocess
import sys
import time

lightbox, models, cache = sys.argv[1:4]
pairs = sys.argv[4:]


def dist(a, b):
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def apply(m, p):
    return [sum(m[r][k] * p[k] for k in range(3)) + m[r][3] for r in range(3)]


tot = dict(match_n=0, match_ok=0, status_n=0, status_ok=0, vdt_n=0, vdt_ok=0, lesions=0, missed=0)
reg_err, reg_secs, load_secs, walls = [], [], [], []
for pair in pairs:
    cur_dir, pri_dir = os.path.join(pair, "current"), os.path.join(pair, "prior")
    gt = json.load(open(os.path.join(cur_dir, "ground_truth.json")))
    truth = gt["prior"]
    t0 = time.time()
    p = subprocess.run([lightbox, "analyze", cur_dir, "--prior", pri_dir, "--json", "--models", models, "--cache-dir", cache],
                       capture_output=True, text=True)
    walls.append(time.time() - t0)
    if p.returncode not in (0, 10):
        print(f"{pair}: exit {p.returncode}: {p.stderr.strip()[-300:]}")
        continue
    doc = json.loads(p.stdout)
    runs = [r for r in doc["runs"] if r.get("registration")]
    if not runs:
        print(f"{pair}: no comparison in the output ({[r['status'] for r in doc['runs']]})")
        continue
    run = runs[0]
    reg = run["registration"]
    reg_secs.append(reg["seconds"]); load_secs.append(reg.get("load_seconds", 0))
    true_m = truth.get("registration", {}).get("matrix")
    findings = [f for f in doc["findings"] if f.get("series_instance_uid") == run["series_instance_uid"]]
    resolved = run.get("resolved") or []
    errs = []
    line = []
    for les in truth["lesions"]:
        status = les["status"]
        c_cur, c_pri = les["center_mm"]["current"], les["center_mm"]["prior"]
        d = les["mean_diameter_mm"]
        size = max(x for x in (d["prior"], d["current"]) if x is not None)
        radius = max(5.0, size / 2)
        if true_m and c_cur is not None:
            errs.append(dist(apply(reg["matrix"], c_cur), apply(true_m, c_cur)))
        tot["lesions"] += 1
        if status == "resolved":
            hit = [r for r in resolved if dist(r["center_mm"], c_pri) <= radius]
            ok = bool(hit)
            # A resolved lesion the prior run never detected cannot be scored.
            matched_elsewhere = [f for f in findings if f.get("prior", {}).get("center_mm") and dist(f["prior"]["center_mm"], c_pri) <= radius]
            if not hit and not matched_elsewhere:
                tot["missed"] += 1; line.append(f"{les['lesion_id']}:undetected-on-prior"); continue
            got = "resolved" if ok else "matched"
        else:
            near = sorted(findings, key=lambda f: dist(f["center_mm"], c_cur))
            if not near or dist(near[0]["center_mm"], c_cur) > radius:
                tot["missed"] += 1; line.append(f"{les['lesion_id']}:undetected"); continue
            f = near[0]
            pr = f.get("prior") or {}
            got = pr.get("status")
            if status == "new":
                ok = got == "new"
            else:
                ok = pr.get("center_mm") is not None and dist(pr["center_mm"], c_pri) <= radius
            if status == "growing" and size >= 6 and les["volume_ml"]["prior"] and les["volume_ml"]["current"] \
                    and les["volume_ml"]["current"] >= 1.25 * les["volume_ml"]["prior"] and les.get("volume_doubling_days"):
                tot["vdt_n"] += 1
                v = pr.get("volume_doubling_days")
                vok = v is not None and abs(v - les["volume_doubling_days"]) <= 0.25 * abs(les["volume_doubling_days"])
                tot["vdt_ok"] += vok
                line.append(f"{les['lesion_id']}:VDT {v} vs {les['volume_doubling_days']}{'' if vok else ' MISS'}")
        if size >= 4:
            tot["match_n"] += 1; tot["match_ok"] += ok
        tot["status_n"] += 1
        sok = got == status
        tot["status_ok"] += sok
        line.append(f"{les['lesion_id']}:{status}->{got}{'' if sok else ' WRONG'}{'' if ok else ' MISMATCH'}")
    if errs:
        reg_err.append(sum(errs) / len(errs))
    print(f"{os.path.basename(pair.rstrip('/'))}: reg err {reg_err[-1] if errs else float('nan'):.2f} mm, "
          f"{reg['seconds']:.2f} s (+{reg.get('load_seconds', 0):.2f} s load): " + ", ".join(line))


def frac(a, b):
    return f"{a}/{b} = {a / b:.3f}" if b else "n/a"


print(f"lesions {tot['lesions']}, undetected (not scored) {tot['missed']}")
print(f"match accuracy (>= 4 mm): {frac(tot['match_ok'], tot['match_n'])} (aim >= 0.95)")
print(f"status accuracy:          {frac(tot['status_ok'], tot['status_n'])} (aim >= 0.9)")
print(f"VDT within 25 % (>= 6 mm, >= 25 % growth): {frac(tot['vdt_ok'], tot['vdt_n'])}")
if reg_err:
    print(f"registration error at the lesions: mean {sum(reg_err) / len(reg_err):.2f} mm, max {max(reg_err):.2f} mm")
if reg_secs:
    print(f"registration + matching: mean {sum(reg_secs) / len(reg_secs):.2f} s, max {max(reg_secs):.2f} s; "
          f"loading the two volumes for it: mean {sum(load_secs) / len(load_secs):.2f} s")
