#!/usr/bin/env python3
"""Train one Lightbox model on generated phantoms (CPU, deterministic).

  python Training/models/train.py --task ldct|head_ct|mammo|cxr [--iters N] [--threads 2]

Writes Training/generated/checkpoints/<task>.pt (git-ignored) and <task>.train.json (what the
card's `training` section reports)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
from nets import UNet, n_params  # noqa: E402
from tasks import CKPT, TASKS, in_channels, preprocess_volume, slice_input, target_volume  # noqa: E402

SEED = 1234
UNIT = {"mammo": "exams", "cxr": "PA radiographs", "mr_stroke": "stroke-protocol MR studies"}
LESION_UNIFORM = {"ldct"}    # tasks whose positive samples pick a lesion uniformly (see sampler)
SAMPLING_LESION_UNIFORM = ("half the samples centred near a lesion picked uniformly over all training lesions (so small "
                           "nodules get as many crops as large ones; slice within 0.6 of its radius, crop centre within "
                           "+-crop/3 of its centre); the other half from any slice, crops 70% near lesion pixels when "
                           "the slice has any, otherwise 70% centred on lung parenchyma (hard negatives)")
# The committed recipe per task; `--set key=value` overrides one knob (Training/models/tune.py
# compares variants on the tuning split this way).
RECIPES = {
    "ldct": dict(iters=9000, batch=16, pos_weight=5.0, dice=0.0, base=8, lesion_frac=0.5, small_boost=3.0, dense_neg=0.5),
    "head_ct": dict(iters=300, batch=8, pos_weight=5.0, dice=0.5, base=8),
    "mammo": dict(iters=2500, batch=6, pos_weight=10.0, dice=0.5, base=8, mal_head=0, type_uniform=1, asym_boost=3.0,
                  solo=0.1, contra_neg=0.0),
    "cxr": dict(iters=800, batch=8, pos_weight=5.0, dice=0.5, base=8),
    "mr_stroke": dict(iters=3000, batch=8, pos_weight=5.0, dice=0.5, base=8),
}
SMALL_MM = 6.0                   # LDCT: nodules below this get `small_boost` x the lesion-centred samples
LUNG_LO, LUNG_HI = 0.27, 0.5     # lung window values of about -945..-600 HU (parenchyma, not outside air)
DENSE_LO, DENSE_HI = 0.533, 0.767  # about -550..-200 HU


def load_train(task, cfg):
    vols, tgts, lesions = [], [], []
    if task == "mammo":
        import mammo_data
        for i in range(cfg["n_train"]):
            views = mammo_data.make_exam("train", i)
            for j, v in enumerate(views):
                # each view is a one-slice "volume" whose input is [view, other breast's view mirrored];
                # target 1 = lesion pixel, 2 = malignant lesion pixel
                vols.append(mammo_data.paired_input(views, j).astype(np.float16))
                tgts.append((v["mask"] * (1 + mammo_data.malignant_region(v)))[None].astype(np.uint8))
                lesions.append(v["lesions"])
        return vols, tgts, lesions
    if task == "mr_stroke":
        import mr_data
        for i in range(cfg["n_train"]):
            c = mr_data.make_case("train", i)
            vols.append(mr_data.model_input(c).astype(np.float16))     # [Z, 3, H, W], one item per DWI slice
            tgts.append(c["mask"].astype(np.uint8))
            lesions.append(c["lesions"])
        return vols, tgts, lesions
    if task == "cxr":
        import cxr_data
        for i in range(cfg["n_train"]):
            v = cxr_data.make_image("train", i)
            vols.append(cxr_data.normalise(v["img"])[None].astype(np.float16))
            tgts.append(v["mask"][None].astype(np.uint8))
            lesions.append(v["lesions"])
        return vols, tgts, lesions
    for i in range(cfg["n_train"]):
        c = data.make_case(cfg["kind"], "train", i)
        vols.append(preprocess_volume(c["hu"], cfg).astype(np.float16))
        tgts.append(target_volume(c["mask"], cfg).astype(np.uint8))
        lesions.append(c["lesions"])
    return vols, tgts, lesions


def sampler(task, cfg, rec, vols, tgts, lesions, r):
    """Yields (x [B,C,h,w], y [B,1,h,w] with 2 = malignant lesion pixel (mammography), s [B]) batches."""
    ctx = cfg["context"]
    B = rec["batch"]
    # slices with any lesion, per volume
    pos = [(v, k) for v, t in enumerate(tgts) for k in np.nonzero(t.reshape(t.shape[0], -1).sum(1) > 0)[0]]
    allk = [(v, k) for v, t in enumerate(tgts) for k in range(t.shape[0])]
    # every lesion once (LESION_UNIFORM tasks): small nodules get at least as many positive crops
    # as large ones (`small_boost` times as many under SMALL_MM)
    les_list = [(v, li) for v in range(len(lesions)) for li in range(len(lesions[v]))]
    if task in LESION_UNIFORM:
        w = np.array([rec["small_boost"] if float(lesions[v][li]["diameter_mm"]) < SMALL_MM else 1.0 for v, li in les_list])
        les_p = w / w.sum()
    # mammography `type_uniform`: positive views are drawn per lesion type, every type as often,
    # asymmetries (the faintest) `asym_boost` times as often
    # mammography `contra_neg`: views without a lesion whose other-breast view has one (their
    # channel 1 shows a lesion that channel 0 lacks: the heatmap must stay dark there). load_train
    # appends each exam's views in mammo_data order RCC, LCC, RMLO, LMLO, so view v pairs with v ^ 1.
    contra = [v for v in range(len(vols)) if not lesions[v] and lesions[v ^ 1]] if task == "mammo" else []
    by_type = {}
    if task == "mammo":
        for v, li in les_list:
            by_type.setdefault(lesions[v][li]["type"], []).append(v)
        types = sorted(by_type)
        type_p = np.array([rec["asym_boost"] if t == "asymmetry" else 1.0 for t in types])
        type_p = type_p / type_p.sum()
    while True:
        xs, ys, picked = [], [], []
        for b in range(B):
            focus = None
            if task in LESION_UNIFORM:
                if r.uniform() < rec["lesion_frac"]:
                    v, li = les_list[r.choice(len(les_list), p=les_p)]
                    les = lesions[v][li]
                    ext = int(float(les["diameter_mm"]) / 2 / 2.5 * 0.6)     # slices within the nodule
                    k = int(np.clip(les["k"] + r.integers(-ext, ext + 1), 0, vols[v].shape[0] - 1))
                    focus = (les["center_px"][1], les["center_px"][0])      # native px = model px (256 matrix)
                else:
                    v, k = allk[r.integers(len(allk))]
            elif task == "mammo" and rec.get("contra_neg") and r.uniform() < rec["contra_neg"]:
                v, k = contra[r.integers(len(contra))], 0
            elif task == "mammo" and rec.get("type_uniform") and r.uniform() < 0.5:
                vs = by_type[types[r.choice(len(types), p=type_p)]]
                v, k = vs[r.integers(len(vs))], 0
            else:
                v, k = pos[r.integers(len(pos))] if r.uniform() < 0.5 else allk[r.integers(len(allk))]
            picked.append(v)
            if task == "mr_stroke":     # the study's model inputs, one per DWI slice
                x = vols[v][k].astype(np.float32)
            elif cfg.get("channels"):     # paired views (mammography): the "volume" is the input itself
                x = vols[v].astype(np.float32)
                if r.uniform() < rec.get("solo", 0.0):   # no other breast's view: the view repeats
                    x = np.stack([x[0], x[0]])
            else:
                x = slice_input(vols[v], k, ctx).astype(np.float32)
            y = tgts[v][k].astype(np.float32)
            if cfg["crop"]:
                cs = cfg["crop"]
                H, W = y.shape
                ys_, xs_ = np.nonzero(y > 0)
                if focus is not None:      # centre the crop near the picked lesion
                    cy = int(np.clip(focus[0] + r.integers(-cs // 3, cs // 3 + 1), cs // 2, H - cs // 2))
                    cx = int(np.clip(focus[1] + r.integers(-cs // 3, cs // 3 + 1), cs // 2, W - cs // 2))
                elif len(ys_) and r.uniform() < 0.7:   # centre the crop near lesion pixels
                    j = r.integers(len(ys_))
                    cy = int(np.clip(ys_[j] + r.integers(-cs // 3, cs // 3 + 1), cs // 2, H - cs // 2))
                    cx = int(np.clip(xs_[j] + r.integers(-cs // 3, cs // 3 + 1), cs // 2, W - cs // 2))
                else:
                    # hard negatives: mostly centred on lung parenchyma (vessels, airways, fissures);
                    # `dense_neg` of them on denser non-lesion pixels (-550..-200 HU: vessel and
                    # airway walls in partial volume, where the false positives sat)
                    if rec.get("dense_neg") and r.uniform() < rec["dense_neg"]:
                        ly, lx = np.nonzero((x[ctx] > DENSE_LO) & (x[ctx] < DENSE_HI) & (y == 0))
                    else:
                        ly, lx = np.nonzero((x[ctx] > LUNG_LO) & (x[ctx] < LUNG_HI)) if r.uniform() < 0.7 else ((), ())
                    if len(ly):
                        j = r.integers(len(ly))
                        cy = int(np.clip(ly[j], cs // 2, H - cs // 2))
                        cx = int(np.clip(lx[j], cs // 2, W - cs // 2))
                    else:
                        cy, cx = r.integers(cs // 2, H - cs // 2 + 1), r.integers(cs // 2, W - cs // 2 + 1)
                x = x[:, cy - cs // 2:cy + cs // 2, cx - cs // 2:cx + cs // 2]
                y = y[cy - cs // 2:cy + cs // 2, cx - cs // 2:cx + cs // 2]
            if r.uniform() < 0.5:       # left-right flip (lesions occur on both sides; L/R breasts mirror)
                x, y = x[:, :, ::-1], y[:, ::-1]
            # mild generic intensity jitter (gain, offset) -- not tuned to the shifted set
            x = np.clip(x * r.uniform(0.95, 1.05) + r.uniform(-0.02, 0.02), 0, 4.0 if task == "mr_stroke" else 1)
            xs.append(np.ascontiguousarray(x))
            ys.append(np.ascontiguousarray(y))
        x = torch.from_numpy(np.stack(xs))
        y = torch.from_numpy(np.stack(ys))[:, None]
        s = (y.flatten(1).sum(1) > 0).float()
        if task == "mammo":     # the image-level score is malignancy, not any finding
            s = torch.tensor([float(any(bool(l["malignant"]) for l in lesions[v])) for v in picked])
        yield x, y, s


def heat_loss(logit, y, pos_weight, dice_weight=0.5):
    bce = F.binary_cross_entropy_with_logits(logit, y, pos_weight=torch.tensor(pos_weight, device=logit.device))
    if not dice_weight:
        return bce
    p = torch.sigmoid(logit)
    inter = (p * y).sum((1, 2, 3))
    dice = 1 - (2 * inter + 1) / (p.sum((1, 2, 3)) + y.sum((1, 2, 3)) + 1)
    return bce + dice_weight * dice.mean()


def recipe(task, overrides):
    """The task's committed recipe with `key=value` overrides (numbers only)."""
    rec = dict(RECIPES[task])
    for kv in overrides or []:
        k, v = kv.split("=", 1)
        if k == "seed":         # run-to-run spread of a recipe (tune.py)
            rec["seed"] = int(float(v))
            continue
        if k not in rec:
            raise SystemExit(f"unknown recipe knob {k!r} for {task}; known: {', '.join(rec)}")
        rec[k] = type(rec[k])(float(v)) if isinstance(rec[k], int) else float(v)
    return rec


def sampling_text(task, cfg, rec):
    if task in LESION_UNIFORM:
        t = SAMPLING_LESION_UNIFORM.replace("half the samples", f"{rec['lesion_frac']:g} of the samples")
        if rec["small_boost"] != 1.0:
            t += f"; nodules under {SMALL_MM:g} mm are picked {rec['small_boost']:g}x as often as larger ones"
        if rec.get("dense_neg"):
            t += (f"; {rec['dense_neg']:g} of the hard-negative crops centred on non-lesion pixels of -550..-200 HU "
                  "(vessel and airway walls in partial volume) instead")
        return t
    t = "half the samples from slices/views/images with a lesion"
    if cfg["crop"]:
        t += "; crops 70% near lesion pixels, otherwise 70% centred on lung parenchyma (hard negatives)"
    if rec.get("type_uniform"):
        boost = rec.get("asym_boost", 1.0)
        t = ("half the samples from views with a lesion of a type drawn " +
             ("uniformly (each type as often)" if boost == 1.0 else
              f"with weights (circumscribed and spiculated mass, calcifications, distortion once each, asymmetry "
              f"{boost:g}x: the faintest type)") +
             ", a quarter from views with any lesion, a quarter from any view")
        if rec.get("contra_neg"):
            t = (f"{rec['contra_neg']:g} of the samples from views without a lesion whose other-breast view has one "
                 "(the other breast's lesion must not light up this view); of the rest, " + t)
    return t


def build_model(task, cfg, rec):
    return UNet(in_channels(cfg), int(rec["base"]), cfg["score_head"], cfg["size"],
                mal_head=bool(rec.get("mal_head", 0)))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", required=True, choices=list(TASKS))
    ap.add_argument("--iters", type=int, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--n-train", type=int, default=None, help="override the number of training volumes (smoke tests)")
    ap.add_argument("--set", action="append", metavar="KNOB=VALUE", help="override one recipe knob (see RECIPES)")
    ap.add_argument("--device", default="cpu", help="cpu (the committed models) or cuda (recipe comparisons only)")
    ap.add_argument("--out", default=CKPT, help="checkpoint folder (default Training/generated/checkpoints)")
    a = ap.parse_args(argv)
    cfg = dict(TASKS[a.task])
    if a.n_train:
        cfg["n_train"] = a.n_train
    rec = recipe(a.task, a.set)
    if a.iters:
        rec["iters"] = a.iters
    iters = int(rec["iters"])
    dev = torch.device(a.device)
    torch.set_num_threads(a.threads)
    seed = rec.get("seed", SEED)
    torch.manual_seed(seed)
    r = np.random.default_rng(seed)
    t0 = time.time()
    vols, tgts, lesions = load_train(a.task, cfg)
    t_data = time.time() - t0
    model = build_model(a.task, cfg, rec).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=iters, pct_start=0.1)
    gen = sampler(a.task, cfg, rec, vols, tgts, lesions, r)
    model.train()
    t1 = time.time()
    run = []
    for it in range(iters):
        x, y, s = (t.to(dev) for t in next(gen))
        logit, sl = model.forward_logits(x)
        loss = heat_loss(logit, (y > 0).float(), rec["pos_weight"], rec["dice"])
        if sl is not None:
            loss = loss + 0.5 * F.binary_cross_entropy_with_logits(sl[:, 0], s)
        if model.head_mal is not None:
            loss = loss + heat_loss(model.aux_logit, (y == 2).float(), rec["pos_weight"], rec["dice"])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        run.append(loss.item())
        if (it + 1) % 50 == 0:
            print(f"{a.task} it {it + 1}/{iters} loss {np.mean(run[-50:]):.4f} {time.time() - t1:.0f} s", flush=True)
    t_train = time.time() - t1
    os.makedirs(a.out, exist_ok=True)
    arch = {"base": int(rec["base"]), "mal_head": bool(rec.get("mal_head", 0))}
    torch.save({"arch": arch, "state": model.cpu().state_dict()}, os.path.join(a.out, f"{a.task}.pt"))  # noqa
    n_les = sum(len(l) for l in lesions)
    info = {
        "data": f"{cfg['n_train']} synthetic {cfg['kind']} {UNIT.get(a.task, 'volumes')} rendered by Training/phantoms "
                f"(case keys train/{data.SPLITS['train']:05d}..; {n_les} lesions; "
                + {"ldct": "each volume carries 3-6 nodules drawn from the generator's nodule distribution",
                   "head_ct": "generator's own case mix, about 70% with one haemorrhage",
                   "mammo": "4 views per exam, generator's own case mix; score target = a malignant lesion in the view",
                   "cxr": "one PA image per case, generator's own case mix, about 70% with 1-2 nodules/masses of "
                          "8-50 mm; score target = any lesion in the image",
                   "mr_stroke": "mr_data.case_spec: about 70% with one acute infarct (random territory, 0.5-40 mL, "
                                "onset 0.5-24 h log-uniform), 0-2 chronic infarcts, 0-4 white-matter hyperintensities; "
                                "mask = acute infarct on the DWI grid (>= half of the through-slice samples); "
                                "slice score target = any mask voxel on the slice"}[a.task]
                + ")",
        "recipe": rec, "arch": arch,
        "iterations": iters, "batch": rec["batch"],
        "samples_seen": iters * rec["batch"],
        "crop": cfg["crop"], "optimizer": "AdamW lr 3e-3 one-cycle, wd 1e-4",
        "loss": f"BCE (pos_weight {rec['pos_weight']:g})" + (f" + {rec['dice']:g} soft Dice" if rec["dice"] else "")
                + " on the heatmap" + (f" + 0.5 BCE on the {'slice' if a.task in ('head_ct', 'mr_stroke') else 'image'} score"
                                        if cfg["score_head"] else "")
                + (" + the same heatmap loss on a malignancy-only heatmap (malignant lesions' pixels)" if arch["mal_head"] else ""),
        "sampling": sampling_text(a.task, cfg, rec),
        "augmentation": "left-right flip, gain 0.95-1.05, offset +-0.02"
                        + (" (all three channels alike; clipped to [0, 4])" if a.task == "mr_stroke" else "")
                        + (f"; in {rec['solo']:g} of the samples the other breast's channel is replaced by the view "
                           "itself (as fed when that view is missing)" if rec.get("solo") else ""),
        "seed": seed, "threads": a.threads, "device": a.device,
        "torch": torch.__version__, "params": n_params(model),
        "data_load_s": round(t_data, 1), "train_time_s": round(t_train, 1),
        "process_cpu_s": round(time.process_time(), 1),   # wall time above depends on the box's load
        "final_loss": round(float(np.mean(run[-50:])), 4),
    }
    with open(os.path.join(a.out, f"{a.task}.train.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
