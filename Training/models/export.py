#!/usr/bin/env python3
"""Export a trained checkpoint to ONNX (opset 17), check onnxruntime against torch, write the card.

  python Training/models/export.py --task ldct|head_ct|mammo|cxr|mr_stroke

Writes Models/<id>.onnx and Models/<id>.json (the card; `validation` is filled in later by
evaluate.py and kept across re-exports only when the sha256 is unchanged)."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
from add_feature_output import FEATURES, add_features  # noqa: E402
from nets import load_checkpoint, n_params  # noqa: E402
from tasks import CKPT, MODELS, TASKS, in_channels, preprocess_volume, slice_input  # noqa: E402

OPSET = 17
DISCLAIMER = "Trained on synthetic phantoms; demonstrates the pipeline; not a medical device."


def build(task):
    return load_checkpoint(os.path.join(CKPT, f"{task}.pt"), TASKS[task])


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


TRUST_KEYS = ("ood_detector", "calibration", "operating_point", "stroke")   # stroke: stroke.py (mr_stroke)


def features_tensor(d):
    """The card's entry for the `features` output (add_feature_output.py)."""
    return {"name": FEATURES, "shape": [1, d],
            "meaning": "penultimate-layer features: GlobalAveragePool of the U-Net bottleneck (the last "
                       "encoder block after its ReLU), flattened; read by the out-of-distribution detector "
                       "(card key ood_detector)"}


def card_static(task):
    """Everything in the card except sha256, validation and training."""
    cfg = TASKS[task]
    C = 2 * cfg["context"] + 1
    H, W = cfg["size"]
    c, w = cfg["window"] or (None, None)
    ctx = cfg["context"]
    slices = f"axial slices k-{ctx}..k+{ctx} (edge slices replicated) as the {C} channels, inferior to superior"
    if task == "ldct":
        return {
            "id": cfg["id"], "version": "1.1.0", "task": "heatmap",
            "description": "2.5-D slice-wise lung nodule heatmap for low-dose chest CT; nodules are the "
                           "3-D local maxima of the stacked slice heatmaps (see postprocessing).",
            "intended_use": {"modality": "CT", "body_part": "CHEST", "views": ["AXIAL"],
                             "pixel_spacing_range": [1.2, 1.6], "slice_thickness_mm": 2.5,
                             "photometric_interpretation": "MONOCHROME2"},
            "preprocessing": {"resample_size": [H, W], "resample": "none at 256x256 (native matrix); "
                              "other matrices: bilinear to 256x256",
                              "window_hu": {"center": c, "width": w},
                              "window_mapping": "clip((HU - (center - width/2)) / width, 0, 1)",
                              "mean": [0.0] * C, "std": [1.0] * C, "channel_layout": "NCHW", "channels": C,
                              "slice_context": slices, "invert_monochrome1": False, "dynamic_batch": True},
            "inputs": [{"name": "input", "shape": [1, C, H, W], "dtype": "float32",
                        "meaning": f"windowed lung-window slices, {slices}"}],
            "outputs": {"heatmap": "heatmap", "scores": None, "labels": ["nodule"], "activation": "none",
                        "activation_note": "sigmoid is inside the graph: outputs are probabilities in [0, 1]",
                        "tensors": [{"name": "heatmap", "shape": [1, 1, H, W],
                                     "meaning": "per-pixel nodule probability for the centre slice k"}],
                        "risk_levels": {"nodule": [{"name": "low", "threshold": 0.3},
                                                   {"name": "intermediate", "threshold": 0.5},
                                                   {"name": "high", "threshold": 0.7},
                                                   {"name": "critical", "threshold": 0.9}]}},
            "postprocessing": {"candidates": "stack slice heatmaps to [Z,H,W]; candidates are voxels equal to the "
                                             "3x7x7 max of their neighbourhood with p >= 0.1; greedy suppression "
                                             "within 10 mm; candidate score = peak p",
                               # The same rule as fields: what Lightbox reads (CardDetails; required).
                               "candidate_rule": {"minimum_peak": 0.1, "window": 7, "slice_window": 3,
                                                  "suppression_mm": 10},
                               "measurement": "connected component of p >= 0.5 around the peak (26-connected, on "
                                              "the CT grid); diameter = longest in-plane diameter on the slice "
                                              "of largest cross-section, short diameter perpendicular to it, "
                                              "volume = voxel count x voxel volume (docs/ANALYSIS_JSON.md)"},
        }
    if task == "mammo":
        return {
            "id": cfg["id"], "version": "2.0.0", "task": "heatmap",
            "description": "Per-pixel suspicion heatmap (any mass, calcification cluster, distortion or asymmetry) and "
                           "image-level malignancy score for one 2-D mammography view, read beside the same view of "
                           "the other breast.",
            "intended_use": {"modality": "MG", "body_part": "BREAST", "views": ["CC", "MLO"],
                             "pixel_spacing_range": [0.18, 0.22], "matrix": [1000, 800],
                             "photometric_interpretation": "MONOCHROME2",
                             "presentation_intent": "FOR PRESENTATION"},
            "preprocessing": {"resample_size": [H, W], "resample": "area (box) average of the whole view to 256x208 "
                              "(torch adaptive_avg_pool2d semantics)",
                              "window_hu": None, "percentile_normalization": [1.0, 99.5],
                              "percentile_mapping": "after resampling: clip((v - P1) / (P99.5 - P1), 0, 1) over the whole image",
                              "mean": [0.0, 0.0], "std": [1.0, 1.0], "channel_layout": "NCHW", "channels": 2,
                              "invert_monochrome1": True, "dynamic_batch": True,
                              "orientation": "as stored; left and right views both appear in training (no flipping needed)",
                              # read by the workstation (Analysis.CardDetails.contralateralChannel)
                              "contralateral_channel": {
                                  "channel": 1,
                                  "match": "the image of the same series with the same view position and the other "
                                           "laterality (RCC with LCC, RMLO with LMLO)",
                                  "preprocessing": "the same as channel 0, on that image",
                                  "mirror": "left-right, so the two chest walls line up (left and right views are "
                                            "stored mirrored; not mirrored when Image Orientation (Patient) shows "
                                            "both rows running the same way)",
                                  "when_missing": "channel 1 repeats channel 0, unmirrored"}},
            "inputs": [{"name": "input", "shape": [1, 2, H, W], "dtype": "float32",
                        "meaning": "channel 0 the normalised view, channel 1 the normalised same view of the other "
                                   "breast, mirrored (see preprocessing.contralateral_channel)"}],
            "outputs": {"heatmap": "heatmap", "scores": "score", "labels": ["malignancy"], "activation": "none",
                        "activation_note": "sigmoid is inside the graph: outputs are probabilities in [0, 1]",
                        "tensors": [{"name": "heatmap", "shape": [1, 1, H, W],
                                     "meaning": "per-pixel suspicion (any finding) probability"},
                                    {"name": "score", "shape": [1, 1],
                                     "meaning": "probability that the view shows a malignant lesion"}],
                        "risk_levels": {"malignancy": [{"name": "low", "threshold": 0.1},
                                                       {"name": "intermediate", "threshold": 0.3},
                                                       {"name": "high", "threshold": 0.6},
                                                       {"name": "critical", "threshold": 0.9}]}},
            "postprocessing": {"candidates": "local maxima (7x7) of the heatmap with p >= 0.1, greedy suppression "
                                             "within 8 px (about 6 mm); candidate score = peak p",
                               "candidate_rule": {"minimum_peak": 0.1, "window": 7, "suppression_px": 8}},
        }
    if task == "mr_stroke":
        return card_static_mr(cfg)
    if task == "cxr":
        return {
            "id": cfg["id"], "version": "1.0.0", "task": "heatmap",
            "description": "Per-pixel abnormality heatmap (pulmonary nodule or mass) and image-level abnormality score "
                           "for one PA chest radiograph.",
            "intended_use": {"modality": "DX", "modalities": ["CR", "DX"], "body_part": "CHEST", "views": ["PA"],
                             "pixel_spacing_range": [0.35, 0.45], "matrix": [1024, 1024],
                             "photometric_interpretation": "MONOCHROME2",
                             "photometric_interpretations": ["MONOCHROME2", "MONOCHROME1"],
                             "presentation_intent": "FOR PRESENTATION",
                             "note": "CR and DX both (`modality` holds one for readers that take a single value; `modalities` is the full list); MONOCHROME1 images are inverted by the preprocessing"},
            "preprocessing": {"resample_size": [H, W], "resample": "area (box) average of the whole image to 256x256 "
                              "(torch adaptive_avg_pool2d semantics; 4x4 blocks at the native 1024x1024)",
                              "window_hu": None, "percentile_normalization": [1.0, 99.5],
                              "percentile_mapping": "after inversion and resampling: clip((v - P1) / (P99.5 - P1), 0, 1) "
                                                    "over the whole image",
                              "mean": [0.0], "std": [1.0], "channel_layout": "NCHW", "channels": 1,
                              "invert_monochrome1": True,
                              "inversion": "MONOCHROME1: v -> (2^BitsStored - 1) - v on the stored values, before "
                                           "resampling and normalisation (the model sees MONOCHROME2: air dark, bone bright)",
                              "dynamic_batch": True,
                              "orientation": "as stored for a PA film read in the standard way (patient's right on the "
                                             "viewer's left; PatientOrientation L\\F)"},
            "inputs": [{"name": "input", "shape": [1, 1, H, W], "dtype": "float32",
                        "meaning": "one normalised PA chest radiograph"}],
            "outputs": {"heatmap": "heatmap", "scores": "score", "labels": ["abnormality"], "activation": "none",
                        "activation_note": "sigmoid is inside the graph: outputs are probabilities in [0, 1]",
                        "tensors": [{"name": "heatmap", "shape": [1, 1, H, W],
                                     "meaning": "per-pixel nodule/mass probability"},
                                    {"name": "score", "shape": [1, 1],
                                     "meaning": "probability that the image shows a nodule or mass"}],
                        "risk_levels": {"abnormality": [{"name": "low", "threshold": 0.1},
                                                        {"name": "intermediate", "threshold": 0.3},
                                                        {"name": "high", "threshold": 0.6},
                                                        {"name": "critical", "threshold": 0.9}]}},
            "postprocessing": {"candidates": "local maxima (7x7) of the heatmap with p >= 0.1, greedy suppression "
                                             "within 10 mm (6 px at 1.6 mm per heatmap pixel); candidate score = peak p",
                               "candidate_rule": {"minimum_peak": 0.1, "window": 7, "suppression_mm": 10},
                               "measurement_suggested": "not validated: connected component of p >= 0.5 around "
                                                        "the peak; diameter = equivalent-circle diameter of its area "
                                                        "(heatmap pixel = 4x the native pixel spacing)"},
        }
    return {
        "id": cfg["id"], "version": "1.0.0", "task": "heatmap",
        "description": "2.5-D slice-wise intracranial haemorrhage heatmap and slice-level presence score for "
                       "non-contrast head CT.",
        "intended_use": {"modality": "CT", "body_part": "HEAD", "views": ["AXIAL"],
                         "pixel_spacing_range": [0.8, 1.0], "slice_thickness_mm": 5.0,
                         "photometric_interpretation": "MONOCHROME2"},
        "preprocessing": {"resample_size": [H, W], "resample": "2x2 area average of the 256x256 slice "
                          "(other matrices: area/bilinear resample to 128x128)",
                          "window_hu": {"center": c, "width": w},
                          "window_mapping": "clip((HU - (center - width/2)) / width, 0, 1)",
                          "mean": [0.0] * C, "std": [1.0] * C, "channel_layout": "NCHW", "channels": C,
                          "slice_context": slices, "invert_monochrome1": False, "dynamic_batch": True},
        "inputs": [{"name": "input", "shape": [1, C, H, W], "dtype": "float32",
                    "meaning": f"windowed brain-window slices, {slices}"}],
        "outputs": {"heatmap": "heatmap", "scores": "score", "labels": ["haemorrhage"], "activation": "none",
                    "activation_note": "sigmoid is inside the graph: outputs are probabilities in [0, 1]",
                    "tensors": [{"name": "heatmap", "shape": [1, 1, H, W],
                                 "meaning": "per-pixel haemorrhage probability for the centre slice k"},
                                {"name": "score", "shape": [1, 1],
                                 "meaning": "probability that the centre slice contains haemorrhage; "
                                            "study score = max over slices"}],
                    "risk_levels": {"haemorrhage": [{"name": "low", "threshold": 0.2},
                                                    {"name": "intermediate", "threshold": 0.5},
                                                    {"name": "high", "threshold": 0.8},
                                                    {"name": "critical", "threshold": 0.95}]}},
        "postprocessing": {"volume": "haemorrhage volume = voxels with p >= 0.5 x voxel volume (at 128x128, "
                                     "i.e. 4 native pixels per cell)"},
    }


MR_CHANNELS = ("channel 0 = DWI b1000 (trace), channel 1 = ADC, channel 2 = FLAIR, all on the grid of one axial DWI "
               "b1000 slice (one batch item per b1000 slice). ADC and FLAIR are brought to each b1000 slice's "
               "position by linear interpolation along the slice normal between their two nearest slices (clamped "
               "at the ends: beyond the first / last slice, that slice); in-plane the three share the grid (a "
               "matrix other than 128x128 is first resampled to 128x128: area average for integer factors, "
               "otherwise bilinear)")
MR_NORMALISATION = ("b1000 and FLAIR are each divided by their volume's reference intensity ref = the median (numpy "
                    "default, linear) of all voxels of that whole series volume as stored (all its slices, before "
                    "any resampling; for the DWI series the b1000 images only) whose value is > 0.1 x the 99th "
                    "percentile (numpy default, linear) of that volume; ADC (stored in 1e-6 mm^2/s) is divided by "
                    "1000; then every channel is clipped to [0, 4]. Values are the modality values (stored x "
                    "RescaleSlope + RescaleIntercept where present; the phantoms store them directly). Order "
                    "(Training/models/mr_data.model_input): interpolate along the normal, divide, clip")


def card_static_mr(cfg):
    H, W = cfg["size"]
    return {
        "id": cfg["id"], "version": "1.0.0", "task": "heatmap",
        "description": "Slice-wise acute ischaemic infarct heatmap and slice-level presence score for a brain MR stroke "
                       "protocol (DWI b1000 + ADC + FLAIR); lesion volumes and the DWI-FLAIR mismatch call follow the "
                       "rules in the `stroke` section.",
        "intended_use": {"modality": "MR", "body_part": "BRAIN", "views": ["AXIAL"],
                         "pixel_spacing_range": [1.6, 2.0], "slice_thickness_mm": 5.0, "matrix": [H, W],
                         "sequences": ["DWI b1000", "ADC", "FLAIR"],
                         "photometric_interpretation": "MONOCHROME2",
                         "note": "three series of one study: the DWI (its b1000 / trace images), the ADC map and an "
                                 "axial FLAIR; a study without all three is not analysed by this model"},
        "preprocessing": {"resample_size": [H, W],
                          "resample": "none at 128x128 (the phantoms' matrix); other matrices: area (box) average to "
                                      "128x128 for integer factors, otherwise bilinear; the same for all three channels",
                          "window_hu": None, "percentile_normalization": None,
                          "reference_normalisation": {
                              "reference": "median (numpy default, linear) of the voxels of the whole stored series "
                                           "volume whose value is > 0.1 x its 99th percentile (numpy default, linear)",
                              "channel_divisors": ["ref of the DWI b1000 volume", "1000 (ADC in 1e-6 mm^2/s)",
                                                   "ref of the FLAIR volume"],
                              "clip": [0.0, 4.0]},
                          "normalisation": MR_NORMALISATION,
                          "channel_meaning": MR_CHANNELS,
                          "mean": [0.0, 0.0, 0.0], "std": [1.0, 1.0, 1.0], "channel_layout": "NCHW", "channels": 3,
                          "slice_context": "none: one DWI b1000 slice per batch item (channels are sequences, not "
                                           "neighbouring slices)",
                          "invert_monochrome1": False, "dynamic_batch": True},
        "inputs": [{"name": "input", "shape": [1, 3, H, W], "dtype": "float32",
                    "meaning": "one axial DWI b1000 slice with ADC and FLAIR on its grid, normalised (see "
                               "preprocessing.channel_meaning and preprocessing.normalisation); dynamic batch"}],
        "outputs": {"heatmap": "heatmap", "scores": "score", "labels": ["acute_infarct"], "activation": "none",
                    "activation_note": "sigmoid is inside the graph: outputs are probabilities in [0, 1]",
                    "tensors": [{"name": "heatmap", "shape": [1, 1, H, W],
                                 "meaning": "per-pixel acute infarct probability on the DWI b1000 slice's grid"},
                                {"name": "score", "shape": [1, 1],
                                 "meaning": "probability that the slice contains acute infarct; study score = max "
                                            "over slices"}],
                    "risk_levels": {"acute_infarct": [{"name": "low", "threshold": 0.2},
                                                      {"name": "intermediate", "threshold": 0.5},
                                                      {"name": "high", "threshold": 0.8},
                                                      {"name": "critical", "threshold": 0.95}]}},
        "postprocessing": {"volume": "see stroke.lesion_rule: lesions = 26-connected components of p >= "
                                     "stroke.pixel_threshold, volume = voxel count x voxel volume, reported when >= "
                                     "stroke.min_volume_ml",
                           "candidates": "stack slice heatmaps to [Z,H,W]; candidates are voxels equal to the 3x7x7 "
                                         "max of their neighbourhood with p >= 0.1; greedy suppression within 10 mm; "
                                         "candidate score = peak p (what evaluate.py measures)",
                           "candidate_rule": {"minimum_peak": 0.1, "window": 7, "slice_window": 3, "suppression_mm": 10}},
    }


def export(task):
    cfg = TASKS[task]
    model = build(task)
    C = in_channels(cfg)
    H, W = cfg["size"]
    os.makedirs(MODELS, exist_ok=True)
    path = os.path.join(MODELS, cfg["id"] + ".onnx")
    names = ["heatmap", "score"] if cfg["score_head"] else ["heatmap"]
    dummy = torch.zeros(1, C, H, W)
    torch.onnx.export(model, dummy, path, opset_version=OPSET, input_names=["input"], output_names=names,
                      dynamic_axes={"input": {0: "N"}, **{n: {0: "N"} for n in names}},
                      do_constant_folding=True, dynamo=False)
    add_features(path)      # the `features` output the OOD detector reads (add_feature_output.py)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    ops = sorted({n.op_type for n in m.graph.node})
    # onnxruntime vs torch on real validation slices (and zeros)
    if task == "mammo":
        import mammo_data
        exams = [mammo_data.make_exam("val", i) for i in range(2)]
        x = np.stack([mammo_data.paired_input(views, j) for views in exams for j in range(len(views))])
        what = "8 validation views (exams val/0-1) + zeros"
    elif task == "cxr":
        import cxr_data
        x = np.stack([cxr_data.normalise(cxr_data.make_image("val", i)["img"])[None] for i in range(8)])
        what = "8 validation images (val/0-7) + zeros"
    elif task == "mr_stroke":
        import mr_data
        xs = mr_data.model_input(mr_data.make_case("val", 0))
        x = xs[np.linspace(0, len(xs) - 1, 8).astype(int)]
        what = "8 validation slices of study val/0 + zeros"
    else:
        c = data.make_case(cfg["kind"], "val", 0)
        vol = preprocess_volume(c["hu"], cfg)
        ks = np.linspace(0, vol.shape[0] - 1, 8).astype(int)
        x = np.stack([slice_input(vol, k, cfg["context"]) for k in ks]).astype(np.float32)
        what = "8 validation slices of case val/0 + zeros"
    x = np.concatenate([x, np.zeros((1, C, H, W), np.float32)])
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    outs = sess.run(None, {"input": x})
    with torch.no_grad():
        t = model(torch.from_numpy(x))
    t = t if isinstance(t, tuple) else (t,)
    diff = max(float(np.abs(o - tt.numpy()).max()) for o, tt in zip(outs, t))
    card_path = os.path.join(MODELS, cfg["id"] + ".json")
    old = {}
    if os.path.exists(card_path):
        with open(card_path) as f:
            old = json.load(f)
    card = card_static(task)
    d = next(o for o in m.graph.output if o.name == FEATURES).type.tensor_type.shape.dim[1].dim_value
    card["outputs"]["tensors"].append(features_tensor(d))
    digest = sha256(path)
    card["sha256"] = digest
    with open(os.path.join(CKPT, f"{task}.train.json")) as f:
        card["training"] = json.load(f)
    card["export"] = {"opset": OPSET, "operators": ops, "params": n_params(model),
                      "size_bytes": os.path.getsize(path), "onnx": onnx.__version__, "onnxruntime": ort.__version__,
                      "ort_vs_torch_max_abs_diff": diff,
                      "ort_vs_torch_check": f"{len(x)} inputs ({what}), all outputs"}
    if old.get("sha256") == digest and "validation" in old:
        card["validation"] = old["validation"]
    if old.get("sha256") == digest:
        # what trust.py fitted for these exact bytes (a new model needs trust.py run again)
        for k in TRUST_KEYS:
            if k in old:
                card[k] = old[k]
        for k in ("risk_levels", "risk_levels_space"):
            if k in old.get("outputs", {}):
                card["outputs"][k] = old["outputs"][k]
        if "postprocessing" in old:
            card["postprocessing"] = old["postprocessing"]
    card["not_for_clinical_use"] = True
    card["disclaimer"] = DISCLAIMER
    with open(card_path, "w") as f:
        json.dump(card, f, indent=1)
        f.write("\n")
    print(f"{path}: {os.path.getsize(path) / 1e6:.2f} MB, {n_params(model)} params, ops {ops}, "
          f"ort-vs-torch max |diff| {diff:.2e}")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", required=True, choices=list(TASKS))
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    export(a.task)


if __name__ == "__main__":
    main()
