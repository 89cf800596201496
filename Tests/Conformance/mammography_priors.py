#!/usr/bin/env python3
"""Mammography with a prior (issue 19) on the sample pair 01_MG_ALICE_2024_PRIOR -> 02_MG_ALICE_2026:
`lightbox analyze 02 --prior 01 --json` reports, for every finding, whether it was already present on
the prior, and agrees with the sidecar's `present_on_prior` for every finding that hits a truth lesion
(hit rule as Analysis.LesionMatching); the run names the prior and the breasts carry their prior
summary; the stable-finding rule only lowers or withholds stable findings (reported + withheld =
the findings without the prior; new ones unchanged); --no-prior gives none of it, and the prior
exam itself has no earlier study to compare with.

Env: LIGHTBOX (binary). Run with the project venv. A few seconds per analysis (a temporary cache)."""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(REPO, ".build", "release", "lightbox"))
SAMPLES = os.path.join(REPO, "SampleStudies")
MODELS = os.path.join(REPO, "Models")
FAILS: list[str] = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        FAILS.append(msg)


def analyze(path, cache, *extra):
    p = subprocess.run([LIGHTBOX, "analyze", path, "--json", "--models", MODELS, "--cache-dir", cache, *extra],
                       capture_output=True, text=True, timeout=600)
    return p.returncode, (json.loads(p.stdout) if p.stdout.strip().startswith("{") else None), p.stderr


def hit(f, truth):
    sc = sr = 0.2
    fx, fy = f["center_px"]
    for l in truth["lesions"]:
        for a in l.get("appearances", []):
            if a["sop_instance_uid"] != f["sop_instance_uid"]:
                continue
            b, c = a["box_px"], a["center_px"]
            inside = min(b[0], b[2]) - 2 / sc <= fx <= max(b[0], b[2]) + 2 / sc and min(b[1], b[3]) - 2 / sr <= fy <= max(b[1], b[3]) + 2 / sr
            if inside or math.hypot((fx - c[0]) * sc, (fy - c[1]) * sr) <= max(l["diameter_mm"] / 2, 5):
                return l
    return None


def main():
    cur, pri = os.path.join(SAMPLES, "02_MG_ALICE_2026"), os.path.join(SAMPLES, "01_MG_ALICE_2024_PRIOR")
    truth = json.load(open(os.path.join(cur, "ground_truth.json")))
    cache = tempfile.mkdtemp(prefix="lbx-mgprior-")
    try:
        rc, base, err = analyze(cur, cache, "--no-prior")
        check(base is not None and rc in (0, 10), f"--no-prior: JSON, exit {rc} {err.strip()[:200]}")
        rc, out, err = analyze(cur, cache, "--prior", pri)
        check(out is not None and rc in (0, 10), f"--prior: JSON, exit {rc} {err.strip()[:200]}")
        if base is None or out is None:
            return
        check(all("prior" not in f for f in base["findings"]) and all("prior" not in b for b in base["breasts"]),
              "--no-prior: no finding or breast carries a prior")
        runs = [r for r in out["runs"] if r.get("model", {}).get("id", "").startswith("mammo")]
        check(len(runs) == 1 and runs[0].get("prior_comparison", {}).get("prior_study_instance_uid") == truth["prior"]["study_instance_uid"],
              "the mammography run names the prior study it was compared with")
        check(runs and abs(runs[0]["prior_comparison"].get("interval_days", -9) - truth["prior"]["interval_days"]) < 1,
              f"interval {runs[0]['prior_comparison'].get('interval_days') if runs else None} days = the sidecar's {truth['prior']['interval_days']}")
        withheld = [f for r in runs for f in (r.get("stable_on_prior") or [])]
        every = out["findings"] + withheld
        check(every and all(isinstance(f.get("prior", {}).get("present_on_prior"), bool) for f in every),
              f"every finding ({len(every)}) says whether it was present on the prior")
        check(all(f["prior"]["status"] in ("new", "stable", "growing", "shrinking") for f in every), "statuses are new/stable/growing/shrinking")
        on_lesions = [(f, hit(f, truth)) for f in every]
        on_lesions = [(f, l) for f, l in on_lesions if l is not None]
        check(len(on_lesions) >= 2, f"{len(on_lesions)} findings hit a truth lesion (the new mass and calcifications)")
        for f, l in on_lesions:
            check(f["prior"]["present_on_prior"] == l["present_on_prior"],
                  f"{l['lesion_id']} on {f.get('laterality')}{f.get('view')}: present_on_prior {f['prior']['present_on_prior']} "
                  f"= sidecar {l['present_on_prior']}")
            if l["status"] == "new":
                check(f["prior"]["status"] == "new" and "suspicion_factor" not in f["prior"],
                      f"{l['lesion_id']} is new and its suspicion is not lowered")
        check(len(every) == len(base["findings"]), f"reported {len(out['findings'])} + withheld {len(withheld)} = {len(base['findings'])} without the prior")
        by_id = {f["id"]: f for f in base["findings"]}
        for f in every:
            b = by_id.get(f["id"])
            if b is None:
                check(False, f"{f['id']} has a counterpart without the prior")
                continue
            lowered = "suspicion_factor" in f["prior"]
            check(lowered == (f["prior"]["status"] == "stable" and f["prior"].get("interval_days", 0) >= 335),
                  f"{f['id']}: lowered only when stable after a year ({f['prior']['status']})")
            if not lowered:
                check(f["probability"] == b["probability"], f"{f['id']}: probability unchanged")
        check(len(out["breasts"]) == 2 and all(b.get("prior", {}).get("study_instance_uid") == truth["prior"]["study_instance_uid"]
                                               for b in out["breasts"]), "both breasts carry their prior summary")
        rc, first, _ = analyze(pri, cache)
        check(first is not None and all("prior" not in f for f in first["findings"])
              and all("prior_comparison" not in r for r in first["runs"]), "the prior exam itself has nothing earlier to compare with")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
    print(f"{len(FAILS)} failure(s)")
    sys.exit(1 if FAILS else 0)
