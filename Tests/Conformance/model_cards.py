#!/usr/bin/env python3
"""Checks every model card in Models/ (MODEL.json beside MODEL.onnx, the layout
Sources/Inference/ModelCard.swift reads): required fields and types, sha256 of the .onnx, the
not-for-clinical-use flag and disclaimer, file size <= 10 MB, and that onnxruntime loads the model
and, on a zero input of the declared shape, returns outputs of the declared shapes.

Most cards describe Lightbox's own demo models, trained on synthetic phantoms. A card with a
`provenance` section describes real pretrained weights from elsewhere (deepbet): it must name the
package, version, wheel and its sha256, the file inside the wheel and its sha256, the licence (name
and full text), the authors and what the weights were trained on, and its disclaimer must say
that it is not validated here for clinical use (instead of "synthetic").

Prints `model cards: N passed, M failed`; exits non-zero on any failure. MODELS=dir to point
elsewhere."""
from __future__ import annotations

import glob
import hashlib
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.environ.get("MODELS", os.path.join(REPO, "Models"))
TASKS = {"classification", "heatmap", "segmentation", "detection"}
SHA256_HEX = set("0123456789abcdef")
MAX_BYTES = 10 * 1024 * 1024


def _num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x


def check(card_path: str) -> list[str]:
    errs = []
    try:
        with open(card_path, encoding="utf-8") as f:
            card = json.load(f)
    except Exception as e:  # noqa: BLE001
        return [f"cannot parse: {e}"]
    onnx_path = card_path[:-len(".json")] + ".onnx"
    if not os.path.exists(onnx_path):
        return [f"no model beside the card ({os.path.basename(onnx_path)})"]

    def need(obj, key, typ, where):
        if not isinstance(obj, dict) or key not in obj:
            errs.append(f"missing {where}{key}")
            return None
        v = obj[key]
        if typ is not None and not isinstance(v, typ):
            errs.append(f"{where}{key} should be {typ.__name__ if isinstance(typ, type) else typ}")
            return None
        return v

    for k in ("id", "version", "sha256", "disclaimer"):
        need(card, k, str, "")
    task = need(card, "task", str, "")
    if task is not None and task not in TASKS:
        errs.append(f"task '{task}' not one of {sorted(TASKS)}")
    iu = need(card, "intended_use", dict, "") or {}
    need(iu, "modality", str, "intended_use.")
    need(iu, "body_part", str, "intended_use.")
    psr = iu.get("pixel_spacing_range")
    if psr is not None and not (isinstance(psr, list) and len(psr) == 2 and all(map(_num, psr))):
        errs.append("intended_use.pixel_spacing_range should be [min, max]")
    pp = need(card, "preprocessing", dict, "") or {}
    rs = need(pp, "resample_size", list, "preprocessing.")
    if rs is not None and not (len(rs) in (2, 3) and all(isinstance(v, int) for v in rs)):
        errs.append("preprocessing.resample_size should be [height, width] (or [depth, height, width])")
    if rs is not None and len(rs) == 3 and card.get("runs_in_analysis") is not False:
        errs.append("a 3-D model needs runs_in_analysis: false (the analysis pipeline runs 2-D slices and images)")
    need(pp, "channel_layout", str, "preprocessing.")
    w = pp.get("window_hu")
    if w is not None and not (isinstance(w, dict) and _num(w.get("center")) and _num(w.get("width"))):
        errs.append("preprocessing.window_hu should be {center, width}")
    ref = pp.get("reference_normalisation")   # MR (mr-stroke-dwi-v1): per-channel divisors, then a clip
    if ref is not None and not (isinstance(ref, dict) and isinstance(ref.get("channel_divisors"), list)
                                and len(ref["channel_divisors"]) == pp.get("channels")
                                and isinstance(ref.get("clip"), list) and len(ref["clip"]) == 2
                                and all(map(_num, ref["clip"]))):
        errs.append("preprocessing.reference_normalisation should be {channel_divisors (one per channel), clip [lo, hi]}")
    if w is None and pp.get("percentile_normalization") is None and ref is None:
        errs.append("preprocessing needs window_hu, percentile_normalization or reference_normalisation")
    post = need(card, "postprocessing", dict, "") or {}
    # Candidates are what heatmap and detection models mark; a segmentation mask has none.
    rule = need(post, "candidate_rule", dict, "postprocessing.") if task != "segmentation" else None
    if rule is not None:
        # The fields Lightbox reads must say what the prose (what the evaluation did) says.
        prose = str(post.get("candidates", "")).lower()
        if f"p >= {rule.get('minimum_peak')}" not in prose:
            errs.append("postprocessing.candidate_rule.minimum_peak disagrees with postprocessing.candidates")
        window = f"{rule.get('slice_window')}x{rule.get('window')}x{rule.get('window')}" if "slice_window" in rule \
            else f"({rule.get('window')}x{rule.get('window')})"
        if window not in prose:
            errs.append(f"postprocessing.candidate_rule window {window} disagrees with postprocessing.candidates")
        radius = f"within {rule['suppression_mm']} mm" if "suppression_mm" in rule else f"within {rule.get('suppression_px')} px"
        if radius not in prose:
            errs.append(f"postprocessing.candidate_rule '{radius}' disagrees with postprocessing.candidates")
    outs = need(card, "outputs", dict, "") or {}
    for lvls in (outs.get("risk_levels") or {}).values():
        th = [l.get("threshold") for l in lvls]
        if not all(map(_num, th)) or th != sorted(th):
            errs.append("outputs.risk_levels thresholds must be numbers in ascending order")
    if card.get("not_for_clinical_use") is not True:
        errs.append("not_for_clinical_use must be true")
    disc = card.get("disclaimer", "")
    if "provenance" in card:
        errs += check_real_weights(card)
    elif "synthetic" not in disc.lower() or "not a medical device" not in disc.lower():
        errs.append("disclaimer must say it is trained on synthetic data and is not a medical device")
    val = card.get("validation")
    if val is not None:
        m = val.get("metrics", {})
        if not isinstance(m, dict) or not all(_num(v) for v in m.values()):
            errs.append("validation.metrics must map names to numbers")
    # the model file
    size = os.path.getsize(onnx_path)
    if size > MAX_BYTES:
        errs.append(f"model is {size} bytes (> 10 MB)")
    with open(onnx_path, "rb") as f:
        blob = f.read()
    digest = hashlib.sha256(blob).hexdigest()
    if card.get("sha256", "").lower() != digest:
        errs.append(f"sha256 mismatch: card {card.get('sha256')}, file {digest}")
    inputs = card.get("inputs") or []
    tensors = outs.get("tensors") or []
    if not inputs or not tensors:
        errs.append("card must declare inputs and outputs.tensors (names and shapes)")
        return errs
    try:
        import numpy as np
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        sess = ort.InferenceSession(blob, so, providers=["CPUExecutionProvider"])
    except Exception as e:  # noqa: BLE001
        errs.append(f"onnxruntime cannot load the model: {e}")
        return errs
    feed = {}
    names = {i.name for i in sess.get_inputs()}
    for i in inputs:
        if i.get("name") not in names:
            errs.append(f"declared input '{i.get('name')}' not in the model ({sorted(names)})")
            return errs
        feed[i["name"]] = np.zeros(i["shape"], dtype=np.float32)
    if set(feed) != names:
        errs.append(f"model inputs {sorted(names)} differ from declared {sorted(feed)}")
        return errs
    try:
        res = sess.run([t["name"] for t in tensors], feed)
    except Exception as e:  # noqa: BLE001
        errs.append(f"inference on zeros failed: {e}")
        return errs
    for t, r in zip(tensors, res):
        if list(r.shape) != list(t["shape"]):
            errs.append(f"output '{t['name']}' has shape {list(r.shape)}, card says {t['shape']}")
        if not np.isfinite(r).all():
            errs.append(f"output '{t['name']}' is not finite on zeros")
    for key in ("heatmap", "scores"):
        n = outs.get(key)
        if n is not None and n not in {t["name"] for t in tensors}:
            errs.append(f"outputs.{key} '{n}' is not a declared output tensor")
    return errs


def check_real_weights(card: dict) -> list[str]:
    """Provenance, licence, authors, training data and disclaimer of a card for weights Lightbox
    did not train."""
    errs = []
    prov = card.get("provenance")
    if not isinstance(prov, dict):
        return ["provenance should be an object"]
    for k in ("package", "version", "wheel", "file_in_wheel"):
        if not (isinstance(prov.get(k), str) and prov[k].strip()):
            errs.append(f"provenance.{k} missing")
    for k in ("wheel_sha256", "file_sha256"):
        v = prov.get(k)
        if not (isinstance(v, str) and len(v) == 64 and set(v) <= SHA256_HEX):
            errs.append(f"provenance.{k} should be a sha256 hex digest")
    lic = card.get("licence")
    if not (isinstance(lic, dict) and isinstance(lic.get("name"), str) and lic["name"].strip()):
        errs.append("licence.name missing")
    elif not (isinstance(lic.get("text"), str) and len(lic["text"]) > 200):
        errs.append("licence.text should hold the licence's full text")
    elif lic["name"] == "MIT" and "Permission is hereby granted, free of charge" not in lic["text"]:
        errs.append("licence.text is not the MIT licence")
    authors = card.get("authors")
    if not (isinstance(authors, list) and authors and all(isinstance(a, str) and a.strip() for a in authors)):
        errs.append("authors should list the weights' authors")
    data = (card.get("training") or {}).get("data")
    if not (isinstance(data, str) and data.strip()):
        errs.append("training.data should say what the weights were trained on")
    disc = card.get("disclaimer", "").lower()
    if "not validated here for clinical use" not in disc or "not a medical device" not in disc:
        errs.append("disclaimer must say the model is not validated here for clinical use and is not a medical device")
    return errs


def main() -> int:
    cards = sorted(glob.glob(os.path.join(MODELS, "*.json")))
    orphans = [p for p in sorted(glob.glob(os.path.join(MODELS, "*.onnx"))) if not os.path.exists(p[:-5] + ".json")]
    passed = failed = 0
    for p in cards:
        errs = check(p)
        name = os.path.basename(p)
        if errs:
            failed += 1
            for e in errs:
                print(f"FAIL {name}: {e}")
        else:
            passed += 1
            print(f"ok   {name}")
    for p in orphans:
        failed += 1
        print(f"FAIL {os.path.basename(p)}: no model card beside it")
    print(f"model cards: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
