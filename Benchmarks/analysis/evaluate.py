#!/usr/bin/env python3
"""Lesion-level evaluation of `lightbox analyze` against ground-truth sidecars.

  [MODELS=DIR] evaluate.py LIGHTBOX STUDY_ROOT [STUDY_ROOT ...]

Every folder with a ground_truth.json under the roots is analysed (`analyze --json --no-cache`).
A ground-truth lesion is found when a finding on the same image (2-D: the same SOP instance as one
of its appearances) has its centre within the lesion's radius (CT: 3-D distance of center_mm; 2-D:
distance of center_px in pixels, radius = diameter_mm / 2 / pixel spacing); it is found "with size"
when that finding's diameter_mm is also within 20 % of the lesion's. A finding that matches no
lesion is a false positive. Prints per study kind: lesions, sensitivity (centre), sensitivity
(centre + size), false positives per study, and for each study its counts. Exit 0 (figures are
reported, not asserted)."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time


def studies(roots):
    for root in roots:
        for dirpath, _, files in sorted(os.walk(root)):
            if "ground_truth.json" in files:
                yield dirpath


def analyse(lightbox, folder):
    t = time.time()
    p = subprocess.run([lightbox, "analyze", folder, "--json", "--no-cache", "--models", os.environ.get("MODELS", "Models")],
                       capture_output=True, text=True)
    if p.returncode == 20:
        return None, time.time() - t, "no applicable model installed"
    if p.returncode not in (0, 10):
        return None, time.time() - t, "error: " + p.stderr.strip()[-300:]
    return json.loads(p.stdout), time.time() - t, ""


def spacing_of(gt):
    s = gt["series"][0].get("pixel_spacing_mm") or [1.0, 1.0]
    return float(s[0])


def appearances(les):
    apps = les.get("appearances") or []
    if apps:
        return [(a["sop_instance_uid"], a["center_px"]) for a in apps]
    return [(les["sop_instance_uid"], les["center_px"])]


TYPE_OF_LABEL = {"solid nodule": "solid", "part-solid nodule": "part_solid", "ground-glass nodule": "ggo"}


def match(gt, findings, typing=None):
    """(found, found_with_size, false_positives) for one study. LDCT: `typing` collects
    (true type, AI type) for every found nodule."""
    kind = gt["kind"]
    lesions = gt["lesions"]
    sp = spacing_of(gt)
    matched_findings = set()
    found = found_size = 0
    for les in lesions:
        r_mm = float(les["diameter_mm"]) / 2
        hit = hit_size = False
        for i, f in enumerate(findings):
            if kind in ("ldct", "head_ct"):
                if len(f.get("center_mm", [])) != 3:
                    continue
                ok = math.dist(f["center_mm"], les["center_mm"]) <= r_mm
            else:
                ok = any(f["sop_instance_uid"] == uid and math.dist(f["center_px"], c) <= r_mm / sp
                         for uid, c in appearances(les))
            if ok:
                matched_findings.add(i)
                if typing is not None and not hit and kind == "ldct":
                    typing.append((les.get("type"), TYPE_OF_LABEL.get(f["label"], f["label"])))
                hit = True
                if abs(float(f["diameter_mm"]) - float(les["diameter_mm"])) <= 0.2 * float(les["diameter_mm"]):
                    hit_size = True
        found += hit
        found_size += hit_size
    fps = len(findings) - len(matched_findings)
    return found, found_size, fps


def main(argv):
    lightbox, roots = argv[1], argv[2:]
    by_kind = {}
    rows = []
    typing = []
    for folder in studies(roots):
        gt = json.load(open(os.path.join(folder, "ground_truth.json")))
        out, secs, err = analyse(lightbox, folder)
        if out is None:
            rows.append((gt["kind"], os.path.basename(folder), len(gt["lesions"]), "-", "-", "-", f"{secs:.1f}", err))
            continue
        found, found_size, fps = match(gt, out["findings"], typing)
        k = by_kind.setdefault(gt["kind"], dict(studies=0, lesions=0, found=0, found_size=0, fps=0))
        k["studies"] += 1
        k["lesions"] += len(gt["lesions"])
        k["found"] += found
        k["found_size"] += found_size
        k["fps"] += fps
        rows.append((gt["kind"], os.path.basename(folder), len(gt["lesions"]), found, found_size, fps, f"{secs:.1f}", ""))
    print(f"{'kind':17s} {'study':30s} {'lesions':>7s} {'found':>6s} {'+size':>6s} {'FPs':>4s} {'s':>6s}")
    for r in rows:
        print(f"{r[0]:17s} {r[1]:30s} {r[2]:7d} {str(r[3]):>6s} {str(r[4]):>6s} {str(r[5]):>4s} {r[6]:>6s} {r[7]}")
    print()
    print(f"{'kind':17s} {'studies':>7s} {'lesions':>7s} {'sens(centre)':>12s} {'sens(+size)':>11s} {'FPs/study':>9s}")
    for kind, k in sorted(by_kind.items()):
        sens = k["found"] / k["lesions"] if k["lesions"] else float("nan")
        sens_s = k["found_size"] / k["lesions"] if k["lesions"] else float("nan")
        print(f"{kind:17s} {k['studies']:7d} {k['lesions']:7d} {sens:12.2f} {sens_s:11.2f} {k['fps'] / k['studies']:9.2f}")
    if typing:
        agree = sum(t == a for t, a in typing)
        print(f"LDCT nodule type (solid / part_solid / ggo) of the found nodules: {agree}/{len(typing)} agree "
              f"({', '.join(f'{t}->{a}' for t, a in typing)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
