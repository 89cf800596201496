#!/usr/bin/env python3
"""Evaluate an exported model (the committed .onnx, through onnxruntime) on a held-out generated
set and write the figures into its card.

  python Training/models/evaluate.py --task ldct|head_ct|mammo|cxr|mr_stroke [--shifted]

In-distribution set: generator cases train/50000.. (never used in training). Shifted set: cases
train/60000.. rendered with 1.5x the CT noise, lesion contrast scaled by 0.6 and 0.89x the pixel
spacing (see data.py). Figures: image-level AUC and sensitivity at 90% specificity, lesion-level
FROC sensitivity at 0.5 / 1 / 2 false positives per volume, and 95% bootstrap intervals of
FROC@1 and the AUC (`ci95`, beside the figures: the card's `metrics` are numbers only)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
from export import sha256  # noqa: E402
from tasks import MODELS, TASKS, auc, bootstrap_ci, froc, preprocess_volume, sens_at_spec, slice_input, target_volume  # noqa: E402

PEAK_MIN = 0.1        # candidates below this probability are not proposed
NMS_MM = 10.0
SLICE_MIN_VOXELS = 10
SUBGROUP_MM = 6.0      # LDCT: also report FROC for nodules >= 6 mm  # a slice is haemorrhage-positive when it holds >= this many native lesion voxels


def run_volume(sess, vol, cfg, has_score):
    xs = np.stack([slice_input(vol, k, cfg["context"]) for k in range(vol.shape[0])]).astype(np.float32)
    heat, score = [], []
    for i in range(0, len(xs), 8):
        out = sess.run(None, {"input": xs[i:i + 8]})   # [heatmap, (score), (features)]
        heat.append(out[0][:, 0])
        if has_score:
            score.append(out[1][:, 0])
    return np.concatenate(heat), (np.concatenate(score) if has_score else None)


def candidates(heat, spacing_mm):
    """3-D local maxima (3x7x7) with p >= PEAK_MIN, greedy suppression within NMS_MM."""
    t = torch.from_numpy(heat)[None, None]
    mx = F.max_pool3d(t, (3, 7, 7), stride=1, padding=(1, 3, 3))[0, 0].numpy()
    idx = np.argwhere((heat == mx) & (heat >= PEAK_MIN))
    sc = heat[tuple(idx.T)]
    order = np.argsort(-sc, kind="stable")
    kept = []
    for o in order:
        p = idx[o] * spacing_mm
        if all(np.linalg.norm(p - q[1]) > NMS_MM for q in kept):
            kept.append((float(sc[o]), p, idx[o]))
    return kept


def dilate(m, r=1):
    t = torch.from_numpy(m.astype(np.float32))[None, None]
    return F.max_pool3d(t, (1, 2 * r + 1, 2 * r + 1), stride=1, padding=(0, r, r))[0, 0].numpy() > 0


def onnx_session(task):
    """The committed model through onnxruntime (what the card's figures are measured on)."""
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    return ort.InferenceSession(os.path.join(MODELS, TASKS[task]["id"] + ".onnx"), so, providers=["CPUExecutionProvider"])


def evaluate(task, split, sess):
    """`split`: val (in distribution), shifted, or tune (recipe comparisons, never in a card);
    `sess`: anything with onnxruntime's `run(None, {"input": x})`."""
    cfg = TASKS[task]
    shifted = split == "shifted"
    n = cfg[f"n_{split}"]
    has_score = cfg["score_head"]
    vol_scores, vol_labels, sl_scores, sl_labels, cands = [], [], [], [], []
    small_hit, n_small = [], 0
    n_les = 0
    les_per_vol = []
    cand_pos, slices_per_vol = [], []     # raw records for trust.py (`_raw`, never in the card)
    t0 = time.time()
    for i in range(n):
        c = data.make_case(cfg["kind"], split, i)
        vol = preprocess_volume(c["hu"], cfg)
        heat, score = run_volume(sess, vol, cfg, has_score)
        slices_per_vol.append(vol.shape[0])
        f = c["hu"].shape[1] // cfg["size"][0]
        spacing = np.array([c["spacing"][0], c["spacing"][1] * f, c["spacing"][2] * f])
        tgt = target_volume(c["mask"], cfg) > 0
        near = dilate(tgt, 1)
        lesions = c["lesions"]
        n_les += len(lesions)
        les_per_vol.append(len(lesions))
        vol_labels.append(len(lesions) > 0)
        vol_scores.append(float(score.max()) if has_score else float(heat.max()))
        if has_score:
            sl_scores += list(score)
            sl_labels += list(c["mask"].reshape(c["mask"].shape[0], -1).sum(1) >= SLICE_MIN_VOXELS)
        for sc, p_mm, ijk in candidates(heat, spacing):
            hit = None
            for li, les in enumerate(lesions):
                g = np.array([les["k"], les["center_px"][1] / f, les["center_px"][0] / f]) * spacing
                rad = max(float(les["diameter_mm"]) / 2.0, 5.0)
                if task == "ldct" and np.linalg.norm(p_mm - g) <= rad:
                    hit = li
                    break
            if hit is None and near[tuple(ijk)] and lesions:
                # inside a lesion's mask: attribute to the nearest lesion centre
                d = [np.linalg.norm(p_mm - np.array([l["k"], l["center_px"][1] / f, l["center_px"][0] / f]) * spacing)
                     for l in lesions]
                hit = int(np.argmin(d))
            cands.append((sc, hit, i))
            cand_pos.append(tuple(int(v) for v in ijk))
            small_hit.append(hit is not None and float(lesions[hit]["diameter_mm"]) < SUBGROUP_MM)
        n_small += sum(float(l["diameter_mm"]) < SUBGROUP_MM for l in lesions)
        print(f"{task} {split} {i}: {len(lesions)} lesions, max p {heat.max():.3f}, {time.time() - t0:.0f} s",
              flush=True)
    fr, thr = froc(cands, n_les, n)
    figs = {}
    if has_score:
        figs["slice_auc"] = auc(sl_scores, sl_labels)
        figs["slice_sensitivity_at_90_specificity"], _ = sens_at_spec(sl_scores, sl_labels)
    figs["study_auc"] = auc(vol_scores, vol_labels)
    figs["study_sensitivity_at_90_specificity"], _ = sens_at_spec(vol_scores, vol_labels)
    for k, v in fr.items():
        figs[f"froc_sensitivity_at_{k:g}_fp"] = v
    if task == "ldct":
        # subgroup: nodules >= 6 mm (the Lung-RADS size threshold); hits on smaller ones are ignored
        fr6, _ = froc([c for c, sm in zip(cands, small_hit) if not sm], n_les - n_small, n)
        for k, v in fr6.items():
            figs[f"froc_sensitivity_at_{k:g}_fp_nodules_ge_6mm"] = v
    figs = {k: round(float(v), 4) for k, v in figs.items() if v == v}
    counts = {"volumes": n, "positive_volumes": int(sum(vol_labels)), "lesions": n_les,
              "candidates": len(cands)}
    if task == "ldct":
        counts["lesions_ge_6mm"] = n_les - n_small
    if has_score:
        counts.update(slices=len(sl_labels), positive_slices=int(sum(sl_labels)))
    ci = bootstrap_ci(cands, lambda img: img, les_per_vol, [1] * n, vol_scores, vol_labels, range(n))
    cond = {"cases": f"generator train_specs indices {data.SPLITS[split]}..{data.SPLITS[split] + n - 1} "
                     "(disjoint from training)",
            "noise": f"{data.SHIFT['noise'] if shifted else 1.0}x generator CT noise "
                     f"({'22' if task == 'ldct' else '3'} HU sigma nominal)",
            "lesion_contrast": f"{data.SHIFT['contrast'] if shifted else 1.0}x",
            "pixel_spacing_mm": round(float(c["spacing"][1]), 4), "slice_thickness_mm": float(c["spacing"][0])}
    raw = {"cands": cands, "pos": cand_pos, "small_hit": small_hit, "les_per_run": les_per_vol,
           "n_small": n_small, "units_per_run": slices_per_vol, "run_scores": vol_scores, "run_labels": vol_labels,
           "unit_scores": sl_scores, "unit_labels": sl_labels}
    return {"conditions": cond, "counts": counts, "figures": figs, "ci95": _ci_names(ci, "study_auc"),
            "froc_thresholds": {f"{k:g}": round(float(v), 4) for k, v in thr.items()},
            "eval_time_s": round(time.time() - t0, 1), "_raw": raw}


def evaluate_mr(split, sess, stroke_rules=None):
    """Brain-MR stroke: slice and study AUC, FROC (3-D candidates as for CT, hit = inside the
    infarct's mask dilated by one pixel), and, when the card's `stroke` rules are given, the
    reported-lesion figures (stroke.py): sensitivity for infarcts >= 1 mL, false lesions per study,
    volume error for infarcts >= 5 mL, DWI-FLAIR mismatch call accuracy."""
    import mr_data
    import stroke
    task = "mr_stroke"
    cfg = TASKS[task]
    shifted = split == "shifted"
    n = cfg[f"n_{split}"]
    vol_scores, vol_labels, sl_scores, sl_labels, cands = [], [], [], [], []
    les_per_vol, cand_pos, slices_per_vol, cases, per_study = [], [], [], [], []
    n_les = 0
    t0 = time.time()
    for i in range(n):
        c = mr_data.make_case(split, i)
        x = mr_data.model_input(c)
        heat, score = stroke.run_study(sess, x)
        slices_per_vol.append(len(x))
        spacing = np.asarray(c["spacing"], np.float64)
        near = dilate(c["near"] > 0, 1)
        lesions = c["lesions"]
        n_les += len(lesions)
        les_per_vol.append(len(lesions))
        vol_labels.append(len(lesions) > 0)
        vol_scores.append(float(score.max()))
        sl_scores += list(score)
        sl_labels += list(c["mask"].reshape(len(x), -1).sum(1) >= SLICE_MIN_VOXELS)
        for sc, p_mm, ijk in candidates(heat, spacing):
            hit = 0 if (lesions and near[tuple(ijk)]) else None      # one acute infarct at most
            cands.append((sc, hit, i))
            cand_pos.append(tuple(int(v) for v in ijk))
        if stroke_rules:
            f = stroke.study_lesion_figures(heat, x, c, stroke_rules["pixel_threshold"], stroke_rules["min_volume_ml"])
            per_study.append(f)
        cases.append({"lesions": lesions})
        print(f"{task} {split} {i}: {len(lesions)} infarcts, max p {heat.max():.3f}, {time.time() - t0:.0f} s", flush=True)
    fr, thr = froc(cands, n_les, n)
    figs = {"slice_auc": auc(sl_scores, sl_labels)}
    figs["slice_sensitivity_at_90_specificity"], _ = sens_at_spec(sl_scores, sl_labels)
    figs["study_auc"] = auc(vol_scores, vol_labels)
    figs["study_sensitivity_at_90_specificity"], _ = sens_at_spec(vol_scores, vol_labels)
    for k, v in fr.items():
        figs[f"froc_sensitivity_at_{k:g}_fp"] = v
    counts = {"volumes": n, "positive_volumes": int(sum(vol_labels)), "lesions": n_les, "candidates": len(cands),
              "slices": len(sl_labels), "positive_slices": int(sum(sl_labels))}
    stroke_res = None
    if stroke_rules:
        stroke.apply_call(per_study, stroke_rules["flair_rsi_threshold"])
        sf, sc_, errs = stroke.summarise(per_study, cases)
        figs.update(sf)
        counts.update(sc_)
        counts["mimics"] = "chronic infarcts and white-matter hyperintensities as in mr_data.case_spec"
        aims = {"lesion_sensitivity_ge_1ml >= 0.9": sf["lesion_sensitivity_ge_1ml"] >= 0.9,
                "false_lesions_per_study <= 0.5": sf["false_lesions_per_study"] <= 0.5,
                "volume within 20 % for infarcts >= 5 mL (every one)":
                    bool(sf.get("volume_abs_error_pct_max_ge_5ml", 1e9) <= 20),
                "mismatch call accuracy >= 0.9 (the calls made)": sf.get("mismatch_accuracy_detected", 0) >= 0.9,
                "mismatch call accuracy >= 0.9 for infarcts >= 1 mL (a missed one counts as wrong)":
                    sf.get("mismatch_accuracy_ge_1ml", 0) >= 0.9,
                "mismatch call accuracy >= 0.9 for every infarct (a missed one counts as wrong)":
                    sf.get("mismatch_accuracy", 0) >= 0.9}
        stroke_res = {"rules": {k: stroke_rules[k] for k in ("pixel_threshold", "min_volume_ml", "flair_rsi_threshold")},
                      "volume_errors_pct_ge_5ml": [round(float(e), 1) for e in errs],
                      "aims_met": aims,
                      "note": "infarct volume truth = the generator's (0.5 mm grid); mismatch_accuracy_detected: "
                              "the calls made (infarcts with a reported lesion); mismatch_accuracy_ge_1ml: infarcts "
                              ">= 1 mL (the sensitivity aim's scope), a missed one counting as a wrong call; "
                              "mismatch_accuracy: every infarct, a missed one counting as a wrong call"}
    figs = {k: round(float(v), 4) for k, v in figs.items() if v == v}
    ci = bootstrap_ci(cands, lambda img: img, les_per_vol, [1] * n, vol_scores, vol_labels, range(n))
    cond = {"cases": f"mr_data.case_spec indices {data.SPLITS[split]}..{data.SPLITS[split] + n - 1} "
                     "(disjoint from training)",
            "noise": f"{data.SHIFT['noise'] if shifted else 1.0}x generator Rician noise (spec noise "
                     f"{mr_data.NOISE * (data.SHIFT['noise'] if shifted else 1.0):g})",
            "lesion_contrast": f"{data.SHIFT['contrast'] if shifted else 1.0}x (acute infarct's change of every "
                               "tissue property, all sequences)",
            "pixel_spacing_mm": round(float(c["spacing"][1]), 4), "slice_thickness_mm": float(c["spacing"][0])}
    raw = {"cands": cands, "pos": cand_pos, "small_hit": [False] * len(cands), "les_per_run": les_per_vol,
           "n_small": 0, "units_per_run": slices_per_vol, "run_scores": vol_scores, "run_labels": vol_labels,
           "unit_scores": sl_scores, "unit_labels": sl_labels}
    out = {"conditions": cond, "counts": counts, "figures": figs, "ci95": _ci_names(ci, "study_auc"),
           "froc_thresholds": {f"{k:g}": round(float(v), 4) for k, v in thr.items()}}
    if stroke_res:
        out["stroke"] = stroke_res
    out["eval_time_s"] = round(time.time() - t0, 1)
    out["_raw"] = raw
    return out


def _ci_names(ci, auc_name):
    """Bootstrap intervals keyed like the figures they belong to (see tasks.bootstrap_ci)."""
    out = {"froc_sensitivity_at_1_fp": ci["froc_sensitivity_at_1_fp"]}
    if "auc" in ci:
        out[auc_name] = ci["auc"]
    out["method"] = ci["method"]
    return out


def evaluate_mammo(split, sess, solo=False):
    """View-level malignancy AUC / sensitivity, lesion-level (per appearance) FROC per image.
    `solo`: every view without the other breast's (its second channel repeats the view)."""
    import mammo_data
    cfg = TASKS["mammo"]
    shifted = split == "shifted"
    n = cfg[f"n_{split}"]
    scores, labels, any_labels, cands = [], [], [], []
    les_type = {}      # (image id, lesion index) -> lesion type, for the per-type breakdown
    n_les = n_img = 0
    les_per_exam = []
    cand_pos, view_names, les_per_view = [], [], []   # raw records for trust.py (`_raw`)
    t0 = time.time()
    H, W = cfg["size"]
    for i in range(n):
        views = mammo_data.make_exam(split, i)
        x = np.stack([mammo_data.paired_input(views, j, solo) for j in range(len(views))])
        les_per_exam.append(sum(len(v["lesions"]) for v in views))
        heat, score = sess.run(None, {"input": x})[:2]
        for j, v in enumerate(views):
            img_id = (i, j)
            view_names.append(v["view"])
            les_per_view.append(len(v["lesions"]))
            n_img += 1
            scores.append(float(score[j, 0]))
            labels.append(bool(v["malignant"]))
            any_labels.append(len(v["lesions"]) > 0)
            n_les += len(v["lesions"])
            les_type.update({(img_id, li): les["type"] for li, les in enumerate(v["lesions"])})
            sy, sx = H / mammo_data.mg.ROWS, W / mammo_data.mg.COLS
            h = heat[j, 0]
            t = torch.from_numpy(h)[None, None]
            mx = F.max_pool2d(t, 7, stride=1, padding=3)[0, 0].numpy()
            idx = np.argwhere((h == mx) & (h >= PEAK_MIN))
            sc = h[tuple(idx.T)]
            kept = []
            for o in np.argsort(-sc, kind="stable"):
                if all(np.linalg.norm(idx[o] - q[1]) > 8 for q in kept):
                    kept.append((float(sc[o]), idx[o]))
            near = F.max_pool2d(torch.from_numpy(v["mask"].astype(np.float32))[None, None], 5, stride=1,
                                padding=2)[0, 0].numpy() > 0
            for scv, (r, c) in kept:
                hit = None
                for li, les in enumerate(v["lesions"]):
                    b = les["box_px"]   # full-resolution [c0, r0, c1, r1]; shifted: before the shrink
                    if shifted:
                        continue
                    if b[0] * sx - 2 <= c <= b[2] * sx + 2 and b[1] * sy - 2 <= r <= b[3] * sy + 2:
                        hit = li
                        break
                if hit is None and near[r, c] and v["lesions"]:
                    d = []
                    for les in v["lesions"]:
                        cy, cx = les["center_px"][1] * sy, les["center_px"][0] * sx
                        d.append(np.hypot(r - cy, c - cx))
                    hit = int(np.argmin(d)) if not shifted else 0
                    if shifted:   # attribute to the appearance whose (shrunk) mask region contains it
                        hit = _nearest_shifted(v, r, c, H, W)
                cands.append((scv, hit, img_id))
                cand_pos.append((int(r), int(c)))
        print(f"mammo {split} {i}: {sum(len(v['lesions']) for v in views)} appearances, {time.time() - t0:.0f} s", flush=True)
    fr, thr = froc(cands, n_les, n_img)
    figs = {"image_auc": auc(scores, labels)}
    figs["image_sensitivity_at_90_specificity"], _ = sens_at_spec(scores, labels)
    figs["image_auc_any_finding"] = auc(scores, any_labels)
    for k, v in fr.items():
        figs[f"froc_sensitivity_at_{k:g}_fp"] = v
    # which appearances each lesion type contributes at the 1-FP operating point
    found = {(img, lid) for sc, lid, img in cands if lid is not None and sc >= thr[1.0]} if fr[1.0] > 0 else set()
    by_type = {}
    for key, t in les_type.items():
        by_type.setdefault(t, []).append(key in found)
    for t, hits in sorted(by_type.items()):
        figs[f"sensitivity_at_1_fp_{t}"] = sum(hits) / len(hits)
    figs = {k: round(float(v), 4) for k, v in figs.items() if v == v}
    cond = {"cases": f"generator train_specs indices {data.SPLITS[split]}..{data.SPLITS[split] + n - 1} "
                     "(disjoint from training), 4 views each",
            "noise": f"{data.SHIFT['noise'] if shifted else 1.0}x generator quantum noise",
            "lesion_contrast": f"{data.SHIFT['contrast'] if shifted else 1.0}x",
            "pixel_spacing_mm": round(0.2 / (data.SHIFT["spacing_factor"] if shifted else 1.0), 4)}
    counts = {"exams": n, "views": n_img, "malignant_views": int(sum(labels)),
              "appearances_by_type": {t: len(h) for t, h in sorted(by_type.items())},
              "views_with_findings": int(sum(any_labels)), "lesion_appearances": n_les, "candidates": len(cands)}
    ci = bootstrap_ci(cands, lambda img: img[0], les_per_exam, [len(mammo_data.mg.VIEWS)] * n, scores, labels,
                      [k // len(mammo_data.mg.VIEWS) for k in range(len(scores))])
    raw = {"cands": cands, "pos": cand_pos, "views": view_names, "les_per_unit": les_per_view,
           "unit_scores": scores, "unit_labels": labels, "unit_any": any_labels, "les_per_run": les_per_exam}
    return {"conditions": cond, "counts": counts, "figures": figs, "ci95": _ci_names(ci, "image_auc"),
            "froc_thresholds": {f"{k:g}": round(float(v), 4) for k, v in thr.items()},
            "eval_time_s": round(time.time() - t0, 1), "_raw": raw}


def evaluate_cxr(split, sess):
    """Image-level abnormality AUC / sensitivity, lesion-level FROC per image. A candidate hits a
    lesion when it lies within max(radius, 5 mm) of its centre or inside the lesion mask dilated
    by 2 heatmap pixels (then it is credited to the nearest lesion centre)."""
    import cxr_data
    cfg = TASKS["cxr"]
    shifted = split == "shifted"
    n = cfg[f"n_{split}"]
    H, W = cfg["size"]
    scores, labels, cands = [], [], []
    cand_pos = []        # raw records for trust.py (`_raw`)
    n_les = 0
    sizes_found = []     # (diameter_mm, found at the 1-FP threshold) filled after the FROC
    t0 = time.time()
    imgs = [cxr_data.make_image(split, i) for i in range(n)]
    for b in range(0, n, 8):
        batch = imgs[b:b + 8]
        x = np.stack([cxr_data.normalise(v["img"])[None] for v in batch])
        heat, score = sess.run(None, {"input": x})[:2]
        for j, v in enumerate(batch):
            i = b + j
            scores.append(float(score[j, 0]))
            labels.append(bool(v["abnormal"]))
            n_les += len(v["lesions"])
            fr, fc = v["full_size"]
            sy, sx = H / fr, W / fc
            px_mm = v["pixel_spacing_mm"] / sy          # heatmap pixel size
            h = heat[j, 0]
            t = torch.from_numpy(h)[None, None]
            mx = F.max_pool2d(t, 7, stride=1, padding=3)[0, 0].numpy()
            idx = np.argwhere((h == mx) & (h >= PEAK_MIN))
            sc = h[tuple(idx.T)]
            kept = []
            for o in np.argsort(-sc, kind="stable"):
                if all(np.linalg.norm(idx[o] - q[1]) * px_mm > NMS_MM for q in kept):
                    kept.append((float(sc[o]), idx[o]))
            near = F.max_pool2d(torch.from_numpy(v["mask"].astype(np.float32))[None, None], 5, stride=1,
                                padding=2)[0, 0].numpy() > 0
            centres = [np.array([les["center_px"][1] * sy, les["center_px"][0] * sx]) for les in v["lesions"]]
            for scv, rc in kept:
                hit = None
                d = [np.linalg.norm(rc - c) * px_mm for c in centres]
                for li, les in enumerate(v["lesions"]):
                    if d[li] <= max(les["diameter_mm"] / 2.0, 5.0):
                        hit = li
                        break
                if hit is None and near[rc[0], rc[1]] and centres:
                    hit = int(np.argmin(d))
                cands.append((scv, hit, i))
                cand_pos.append((int(rc[0]), int(rc[1])))
        print(f"cxr {split} {b}-{b + len(batch) - 1}: {time.time() - t0:.0f} s", flush=True)
    fr, thr = froc(cands, n_les, n)
    # which lesions are found at the 1-FP operating point (for the size breakdown)
    found = {(img, lid) for sc, lid, img in cands if lid is not None and sc >= thr[1.0]} if fr[1.0] > 0 else set()
    small = [(i, li) for i, v in enumerate(imgs) for li, les in enumerate(v["lesions"]) if les["diameter_mm"] < 15]
    figs = {"image_auc": auc(scores, labels)}
    figs["image_sensitivity_at_90_specificity"], _ = sens_at_spec(scores, labels)
    for k, v in fr.items():
        figs[f"froc_sensitivity_at_{k:g}_fp"] = v
    if small:
        figs["froc_sensitivity_at_1_fp_lesions_lt_15mm"] = sum(s in found for s in small) / len(small)
    figs = {k: round(float(v), 4) for k, v in figs.items() if v == v}
    cond = {"cases": f"generator train_specs indices {data.SPLITS[split]}..{data.SPLITS[split] + n - 1} "
                     "(disjoint from training), one PA image each",
            "noise": f"{data.SHIFT['noise'] if shifted else 1.0}x generator quantum noise",
            "lesion_contrast": f"{data.SHIFT['contrast'] if shifted else 1.0}x",
            "pixel_spacing_mm": round(imgs[0]["pixel_spacing_mm"], 4),
            "photometric_interpretation": "MONOCHROME2 (the generator's training images; MONOCHROME1 is the "
                                          "same image inverted)"}
    counts = {"images": n, "abnormal_images": int(sum(labels)), "lesions": n_les,
              "lesions_lt_15mm": len(small), "candidates": len(cands)}
    ci = bootstrap_ci(cands, lambda img: img, [len(v["lesions"]) for v in imgs], [1] * n, scores, labels, range(n))
    raw = {"cands": cands, "pos": cand_pos, "les_per_run": [len(v["lesions"]) for v in imgs],
           "unit_scores": scores, "unit_labels": labels}
    return {"conditions": cond, "counts": counts, "figures": figs, "ci95": _ci_names(ci, "image_auc"),
            "froc_thresholds": {f"{k:g}": round(float(v), 4) for k, v in thr.items()},
            "eval_time_s": round(time.time() - t0, 1), "_raw": raw}


def _nearest_shifted(v, r, c, H, W):
    """Shifted views: the lesion centres moved with the shrink about the chest wall; map them."""
    import mammo_data
    f = data.SHIFT["spacing_factor"]
    R, C = mammo_data.mg.ROWS, mammo_data.mg.COLS
    side = v["view"][0]
    best, bi = 1e9, 0
    for li, les in enumerate(v["lesions"]):
        cx, cy = les["center_px"]
        cy2 = (R - round(R * f)) // 2 + cy * f
        cx2 = (C - round(C * f)) + cx * f if side == "R" else cx * f
        d = np.hypot(r - cy2 * H / R, c - cx2 * W / C)
        if d < best:
            best, bi = d, li
    return bi


def evaluate_split(task, split, sess, raw=False):
    """The task's evaluation of `split` with `sess` (onnxruntime or tune.TorchSession). `raw`: keep
    the per-candidate records under `_raw` (trust.py); otherwise they are dropped."""
    res = _evaluate_split(task, split, sess)
    if not raw:
        res.pop("_raw", None)
    return res


def _evaluate_split(task, split, sess):
    if task == "mammo":
        res = evaluate_mammo(split, sess)
        if split != "shifted":   # what the workstation gives when the other breast's view is missing
            alone = evaluate_mammo(split, sess, solo=True)["figures"]
            res["without_other_breast"] = {
                "conditions": "the same views, each with its second channel repeating the view itself",
                "figures": {k: alone[k] for k in ("image_auc", "froc_sensitivity_at_1_fp", "sensitivity_at_1_fp_asymmetry")
                            if k in alone}}
        return res
    if task == "cxr":
        return evaluate_cxr(split, sess)
    if task == "mr_stroke":
        return evaluate_mr(split, sess, _stroke_rules())
    return evaluate(task, split, sess)


def _stroke_rules():
    """The card's `stroke` section (stroke.py, fitted on the tuning split), or None before it exists."""
    path = os.path.join(MODELS, TASKS["mr_stroke"]["id"] + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f).get("stroke")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", required=True, choices=list(TASKS))
    ap.add_argument("--shifted", action="store_true")
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    cfg = TASKS[a.task]
    split = "shifted" if a.shifted else "val"
    res = evaluate_split(a.task, split, onnx_session(a.task))
    card_path = os.path.join(MODELS, cfg["id"] + ".json")
    with open(card_path) as f:
        card = json.load(f)
    digest = sha256(os.path.join(MODELS, cfg["id"] + ".onnx"))
    assert card["sha256"] == digest, "card does not belong to this model; run export.py first"
    v = card.get("validation") or {}
    v["evaluated_model_sha256"] = digest
    v["evaluated_with"] = "onnxruntime on the exported .onnx (Training/models/evaluate.py)"
    # Other scripts add to the same section (calibration.py and trust.py: ECE figures, the
    # workstation's figures): keep what they wrote, replacing only what this evaluation measures.
    key = "shifted" if a.shifted else "in_distribution"
    old = v.get(key) or {}
    merged = {**old, **res}
    for part in ("figures", "counts"):
        if isinstance(old.get(part), dict):
            merged[part] = {**old[part], **res[part]}
    v[key] = merged
    ind, sh = v.get("in_distribution"), v.get("shifted")
    unit = {"mammo": "exams", "cxr": "images"}.get(a.task, "volumes")
    word = "studies" if a.task == "mr_stroke" else unit      # mr_stroke counts studies under "volumes"
    v["dataset"] = (f"held-out synthetic {cfg['kind']} phantoms rendered by Training/phantoms: "
                    + (f"{ind['counts'][unit]} {word} in distribution" if ind else "")
                    + (f", {sh['counts'][unit]} {word} shifted (noise x{data.SHIFT['noise']}, lesion "
                       f"contrast x{data.SHIFT['contrast']}, pixel spacing x{data.SHIFT['spacing_factor']})" if sh else ""))
    metrics = {}
    if ind:
        metrics.update(ind["figures"])
    if sh:
        metrics.update({f"shifted_{k}": x for k, x in sh["figures"].items()})
    if ind and sh:
        v["drop"] = {k: round(ind["figures"][k] - sh["figures"][k], 4) for k in ind["figures"] if k in sh["figures"]}
    v["metrics"] = metrics
    card["validation"] = v
    with open(card_path, "w") as f:
        json.dump(card, f, indent=1)
        f.write("\n")
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
