#!/usr/bin/env python3
"""The brain-MR stroke model's reporting rules (card section `stroke`), fitted on the tuning split:

  python Training/models/stroke.py           # fits pixel_threshold, min_volume_ml, flair_rsi_threshold

Rules (the Swift side implements the same; the card states them):
* Lesions: stack the slice heatmaps of one study to [Z, 128, 128] (one item per DWI b1000 slice, in
  slice order); lesion voxels are those with p >= pixel_threshold; lesions are their 26-connected
  3-D components; volume = voxel count x row spacing x column spacing (of the 128 grid) x spacing
  between DWI slices; a lesion is reported when its volume >= min_volume_ml.
* DWI-FLAIR mismatch (per study with at least one reported lesion): over ALL voxels with
  p >= pixel_threshold (the union, reported or not), rSI = mean(FLAIRn over them) / mean(FLAIRn over
  their mirrored voxels), FLAIRn = input channel 2 (normalised, clipped). A voxel at column c of a
  slice mirrors to column first + last - c of the same row and slice (= round(2m - c), exact,
  m = (first + last) / 2), first / last = the first / last column whose max over rows of FLAIRn is
  > 0.3 on that slice; a slice with no such column mirrors to 127 - c; the mirrored column is
  clamped to 0..127. Mismatch = rSI < flair_rsi_threshold (an empty or zero denominator gives no
  mismatch).

Choices on the tuning split (tune/45000..), never on the held-out or shifted sets:
* pixel_threshold: the value in 0.20..0.80 (step 0.05) with the smallest median absolute volume
  error over tuning infarcts >= 5 mL (volume = the reported lesions touching the infarct; truth =
  the generator's volume on its 0.5 mm grid); ties to the one nearest 0.5.
* min_volume_ml: among {0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5} those with <= 0.5 false lesions per
  study (issue 22's aim): the highest sensitivity for infarcts >= 1 mL, then for all infarcts, then
  the fewest false lesions, then the largest value (a margin against small noise blobs).
* flair_rsi_threshold: the midpoint of the widest-accuracy plateau of thresholds between the sorted
  rSI values of the tuning infarcts that have a reported lesion (label: onset < 4.5 h, the
  generator's dwi_flair_mismatch), maximising mismatch-call accuracy.
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tasks import MODELS, TASKS  # noqa: E402

PIXEL_GRID = [round(v, 2) for v in np.arange(0.20, 0.801, 0.05)]
MIN_VOLUME_GRID = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5]
FP_AIM = 0.5            # false lesions per study (issue 22)
FLAIR_BRAIN = 0.3       # a column belongs to the head when its max FLAIRn exceeds this
VOLUME_MIN_ML = 5.0     # volume error is reported for infarcts >= this
SENS_MIN_ML = 1.0       # lesion sensitivity is reported for infarcts >= this


def run_study(sess, x, batch=8):
    """x [Z, 3, H, W] -> heatmap [Z, H, W], slice scores [Z] (onnxruntime-like `sess`)."""
    heat, score = [], []
    for i in range(0, len(x), batch):
        out = sess.run(None, {"input": np.ascontiguousarray(x[i:i + batch])})
        heat.append(out[0][:, 0])
        score.append(out[1][:, 0])
    return np.concatenate(heat), np.concatenate(score)


def components(mask):
    """26-connected components of a bool [Z, H, W]: int32 labels (0 = background, 1..n in the
    order of their first voxel in C order), n."""
    lab = np.zeros(mask.shape, np.int32)
    Z, H, W = mask.shape
    offs = [(a, b, c) for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1) if (a, b, c) != (0, 0, 0)]
    n = 0
    for z, y, x in zip(*np.nonzero(mask)):
        if lab[z, y, x]:
            continue
        n += 1
        lab[z, y, x] = n
        stack = [(z, y, x)]
        while stack:
            cz, cy, cx = stack.pop()
            for a, b, c in offs:
                q, r, s = cz + a, cy + b, cx + c
                if 0 <= q < Z and 0 <= r < H and 0 <= s < W and mask[q, r, s] and not lab[q, r, s]:
                    lab[q, r, s] = n
                    stack.append((q, r, s))
    return lab, n


def voxel_ml(spacing):
    return float(np.prod(np.asarray(spacing, np.float64))) / 1000.0


def reported_lesions(heat, spacing, pixel_threshold, min_volume_ml):
    """[(bool mask [Z,H,W], volume mL)] of the reported lesions, largest first."""
    lab, n = components(heat >= pixel_threshold)
    if n == 0:
        return []
    counts = np.bincount(lab.ravel(), minlength=n + 1)
    v = voxel_ml(spacing)
    out = [(lab == j, counts[j] * v) for j in range(1, n + 1) if counts[j] * v >= min_volume_ml]
    return sorted(out, key=lambda t: -t[1])


def mirror_rsi(flair_n, lesion):
    """rSI of the lesion voxels against their mirrored voxels (see the module doc); inf when the
    mirrored mean is not positive, None when there are no lesion voxels."""
    if not lesion.any():
        return None
    Z, H, W = flair_n.shape
    zz, rr, cc = np.nonzero(lesion)
    mc = np.empty_like(cc)
    colmax = flair_n.max(axis=1)            # [Z, W]: max over rows
    for z in np.unique(zz):
        cols = np.flatnonzero(colmax[z] > FLAIR_BRAIN)
        sel = zz == z
        mc[sel] = (cols[0] + cols[-1] - cc[sel]) if len(cols) else (W - 1 - cc[sel])
    mc = np.clip(mc, 0, W - 1)
    num = float(flair_n[zz, rr, cc].astype(np.float64).mean())
    den = float(flair_n[zz, rr, mc].astype(np.float64).mean())
    return num / den if den > 0 else float("inf")


def dilate2d(m, r=1):
    t = torch.from_numpy(m.astype(np.float32))[None, None]
    return F.max_pool3d(t, (1, 2 * r + 1, 2 * r + 1), stride=1, padding=(0, r, r))[0, 0].numpy() > 0


def study_lesion_figures(heat, x, c, pixel_threshold, min_volume_ml):
    """Reported lesions of one study against its acute infarct (0 or 1): dict with `found` (per
    infarct), `pred_ml` (per infarct: volume of the reported lesions touching it), `false` (count),
    `rsi` (None when nothing is reported) and `reported` (count)."""
    rep = reported_lesions(heat, c["spacing"], pixel_threshold, min_volume_ml)
    near = dilate2d(c["near"] > 0, 1)
    touching = [bool((m & near).any()) for m, _ in rep]
    out = {"reported": len(rep), "false": int(sum(not t for t in touching)),
           "found": [], "pred_ml": []}
    for _ in c["lesions"]:             # at most one acute infarct per study: its mask is `near`
        out["found"].append(any(touching))
        out["pred_ml"].append(float(sum(v for (m, v), t in zip(rep, touching) if t)))
    out["rsi"] = mirror_rsi(x[:, 2], heat >= pixel_threshold) if rep else None
    return out


def summarise(per_study, cases):
    """Stroke figures over studies: per_study[i] = study_lesion_figures(...), cases[i] its case."""
    sens_n = sens_k = 0
    sens_all_n = sens_all_k = 0
    errs = []
    mm_n = mm_ok = mm_called = mm_called_ok = 0
    mm_ge1_n = mm_ge1_ok = 0
    false = 0
    for f, c in zip(per_study, cases):
        false += f["false"]
        for les, found, pred in zip(c["lesions"], f["found"], f["pred_ml"]):
            v = float(les["volume_ml"])
            sens_all_n += 1
            sens_all_k += found
            if v >= SENS_MIN_ML:
                sens_n += 1
                sens_k += found
            if v >= VOLUME_MIN_ML:
                errs.append(100.0 * (pred - v) / v)
            mm_n += 1
            mm_ge1_n += v >= SENS_MIN_ML
            if f.get("call") is not None:
                mm_called += 1
                ok = f["call"] == bool(les["dwi_flair_mismatch"])
                mm_called_ok += ok
                mm_ok += ok
                mm_ge1_ok += ok and v >= SENS_MIN_ML
    e = np.abs(errs)
    figs = {"lesion_sensitivity_ge_1ml": sens_k / max(sens_n, 1),
            "lesion_sensitivity_all": sens_all_k / max(sens_all_n, 1),
            "false_lesions_per_study": false / max(len(cases), 1)}
    if len(e):
        figs.update(volume_abs_error_pct_median_ge_5ml=float(np.median(e)), volume_abs_error_pct_max_ge_5ml=float(e.max()),
                    volume_within_20pct_fraction_ge_5ml=float((e <= 20).mean()),
                    volume_error_pct_median_signed_ge_5ml=float(np.median(errs)))
    if mm_n:
        figs["mismatch_accuracy"] = mm_ok / mm_n
    if mm_called:
        figs["mismatch_accuracy_detected"] = mm_called_ok / mm_called
    if mm_ge1_n:   # the infarcts the sensitivity aim covers; a missed one still counts as a wrong call
        figs["mismatch_accuracy_ge_1ml"] = mm_ge1_ok / mm_ge1_n
    counts = {"infarcts": sens_all_n, "infarcts_ge_1ml": sens_n, "infarcts_ge_5ml": len(errs),
              "infarcts_with_mismatch_call": mm_called,
              "infarcts_mismatch_true": int(sum(bool(l["dwi_flair_mismatch"]) for c in cases for l in c["lesions"]))}
    return figs, counts, errs


def apply_call(per_study, rsi_threshold):
    for f in per_study:
        f["call"] = None if f["rsi"] is None else bool(f["rsi"] < rsi_threshold)
    return per_study


def fit(split="tune"):
    import mr_data
    import onnxruntime as ort
    cfg = TASKS["mr_stroke"]
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    sess = ort.InferenceSession(os.path.join(MODELS, cfg["id"] + ".onnx"), so, providers=["CPUExecutionProvider"])
    n = cfg[f"n_{split}"]
    cases, heats, xs = [], [], []
    for i in range(n):
        c = mr_data.make_case(split, i)
        x = mr_data.model_input(c)
        h, _ = run_study(sess, x)
        cases.append(c)
        heats.append(h)
        xs.append(x)
    # 1. pixel threshold: volumes of infarcts >= 5 mL
    table = {}
    for t in PIXEL_GRID:
        per = [study_lesion_figures(h, x, c, t, 0.0) for h, x, c in zip(heats, xs, cases)]
        figs, counts, errs = summarise(per, cases)
        table[t] = (figs.get("volume_abs_error_pct_median_ge_5ml", 1e9), figs.get("volume_error_pct_median_signed_ge_5ml"))
    pt = min(PIXEL_GRID, key=lambda t: (round(table[t][0], 6), abs(t - 0.5)))
    # 2. minimum volume
    mv_table = {}
    for mv in MIN_VOLUME_GRID:
        per = [study_lesion_figures(h, x, c, pt, mv) for h, x, c in zip(heats, xs, cases)]
        figs, _, _ = summarise(per, cases)
        mv_table[mv] = (figs["lesion_sensitivity_ge_1ml"], figs["false_lesions_per_study"], figs["lesion_sensitivity_all"])
    feas = [mv for mv in MIN_VOLUME_GRID if mv_table[mv][1] <= FP_AIM] or [max(MIN_VOLUME_GRID)]
    mv = max(feas, key=lambda m: (mv_table[m][0], mv_table[m][2], -mv_table[m][1], m))
    # 3. FLAIR rSI threshold
    per = [study_lesion_figures(h, x, c, pt, mv) for h, x, c in zip(heats, xs, cases)]
    pairs = [(f["rsi"], bool(c["lesions"][0]["dwi_flair_mismatch"])) for f, c in zip(per, cases)
             if c["lesions"] and f["rsi"] is not None and np.isfinite(f["rsi"])]
    r = np.array(sorted(p[0] for p in pairs))
    cand = np.concatenate([[r[0] - 0.01], (r[:-1] + r[1:]) / 2, [r[-1] + 0.01]]) if len(r) else np.array([1.1])
    acc = np.array([np.mean([(p[0] < t) == p[1] for p in pairs]) if pairs else 0 for t in cand])
    top = cand[acc == acc.max()]
    # the plateau containing the first best threshold: contiguous run of best candidates
    i0 = int(np.flatnonzero(acc == acc.max())[0])
    i1 = i0
    while i1 + 1 < len(acc) and acc[i1 + 1] == acc.max():
        i1 += 1
    rt = float((cand[i0] + cand[i1]) / 2)
    apply_call(per, rt)
    figs, counts, errs = summarise(per, cases)
    res = {
        "pixel_threshold": pt, "min_volume_ml": mv, "flair_rsi_threshold": round(rt, 4),
        "lesion_rule": "stack the slice heatmaps of one study in DWI slice order to [Z,128,128]; lesion voxels: p >= "
                       "pixel_threshold; lesions: their 26-connected 3-D components; volume = voxel count x row "
                       "spacing x column spacing (of the 128x128 grid, mm) x spacing between the DWI b1000 slices "
                       "(mm) / 1000; reported when volume >= min_volume_ml (Training/models/stroke.py)",
        "mismatch_rule": "per study with at least one reported lesion: L = all voxels with p >= pixel_threshold (the "
                         "union over the study, reported or not); FLAIRn = input channel 2 (normalised and clipped); "
                         "for each slice z, first / last = the first / last column whose max over rows of FLAIRn is "
                         "> 0.3 (no such column: mirror to 127 - c); voxel (z, r, c) mirrors to (z, r, first + last - "
                         "c) (= round(2m - c), m = (first + last) / 2), clamped to 0..127; rSI = mean FLAIRn over L / "
                         "mean FLAIRn over the mirrored voxels (one per voxel of L, repeats counted); mismatch "
                         "(DWI-FLAIR mismatch: likely < 4.5 h) when rSI < flair_rsi_threshold; a mirrored mean <= 0 "
                         "gives no mismatch",
        "chosen_on": (f"tuning split ({n} studies, generator cases {45000}..{45000 + n - 1}; {counts['infarcts']} acute "
                      f"infarcts, {counts['infarcts_ge_5ml']} >= 5 mL). pixel_threshold: smallest median |volume error| "
                      "over infarcts >= 5 mL (grid 0.20..0.80 step 0.05; median |error| % "
                      + ", ".join(f"{t:g}: {table[t][0]:.1f}" for t in PIXEL_GRID) + "). min_volume_ml: among "
                      + ", ".join(f"{m:g}" for m in MIN_VOLUME_GRID) + f" mL those with <= {FP_AIM} false lesions per "
                      "study: highest sensitivity for infarcts >= 1 mL, then for all infarcts, then fewest false lesions, then the "
                      "largest value (sensitivity >= 1 mL / all / false per study: "
                      + ", ".join(f"{m:g}: {mv_table[m][0]:.3f} / {mv_table[m][2]:.3f} / {mv_table[m][1]:.3f}"
                                  for m in MIN_VOLUME_GRID)
                      + f"). flair_rsi_threshold: midpoint of the best-accuracy plateau over {len(pairs)} tuning infarcts "
                      "with a reported lesion (label: onset < 4.5 h)"),
        "tuning": {k: round(float(v), 4) for k, v in figs.items()},
    }
    return res


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.parse_args()
    torch.set_num_threads(2)
    cfg = TASKS["mr_stroke"]
    res = fit()
    path = os.path.join(MODELS, cfg["id"] + ".json")
    with open(path) as f:
        card = json.load(f)
    card["stroke"] = res
    with open(path, "w") as f:
        json.dump(card, f, indent=1)
        f.write("\n")
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
