"""Per-task configuration shared by train / export / evaluate: preprocessing (exactly what the
model card declares), targets, and the metrics."""
from __future__ import annotations

import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODELS = os.path.join(REPO, "Models")
CKPT = os.path.join(REPO, "Training", "generated", "checkpoints")

TASKS = {
    "ldct": dict(
        id="ldct-nodule-v1", kind="ldct", window=(-600.0, 1500.0), context=2, size=(256, 256),
        base=8, score_head=False, crop=64,
        n_train=180, n_val=72, n_shifted=16, n_tune=24,
    ),
    "head_ct": dict(
        id="head-ct-haemorrhage-v1", kind="head_ct", window=(40.0, 120.0), context=1, size=(128, 128),
        base=8, score_head=True, crop=None,
        n_train=40, n_val=24, n_shifted=16, n_tune=16,
    ),
    "mammo": dict(
        id="mammo-suspicion-v1", kind="mammography", window=None, context=0, size=(256, 208),
        base=8, score_head=True, crop=None, channels=2,   # the view + the other breast's (mammo_data.paired_input)
        n_train=200, n_val=60, n_shifted=12, n_tune=20,
    ),
    "cxr": dict(
        id="cxr-abnormality-v1", kind="chest_radiograph", window=None, context=0, size=(256, 256),
        base=8, score_head=True, crop=None,
        n_train=64, n_val=40, n_shifted=24, n_tune=24,
    ),
    # brain MR acute stroke: one DWI b1000 slice + ADC + FLAIR on its grid (mr_data.model_input);
    # not a CT task: no window, no slice context
    "mr_stroke": dict(
        id="mr-stroke-dwi-v1", kind="brain_mr", window=None, context=0, size=(128, 128),
        base=8, score_head=True, crop=None, channels=3,
        n_train=160, n_val=80, n_shifted=40, n_tune=60,
    ),
}
# the tasks before mr_stroke: their trust proxies (trust.proxy_runs) and real-image checks loop over
# these, so adding a task does not change what re-running them gives
LEGACY_TASKS = ("ldct", "head_ct", "mammo", "cxr")


def in_channels(cfg):
    """Model input channels: `channels` when the task sets it, else the 2*context+1 slices."""
    return cfg.get("channels", 2 * cfg["context"] + 1)


def window(hu, center, width):
    lo = center - width / 2.0
    return np.clip((hu.astype(np.float32) - lo) / width, 0.0, 1.0)


def downsample(a, size):
    """Area-average [Z,H,W] to [Z,h,w] (integer factors only)."""
    z, h, w = a.shape
    fh, fw = h // size[0], w // size[1]
    if fh == 1 and fw == 1:
        return a
    return a.reshape(z, size[0], fh, size[1], fw).mean(axis=(2, 4))


def preprocess_volume(hu, cfg):
    """int16 HU [Z,H,W] -> windowed float32 [Z,h,w] at the model's size."""
    x = window(hu, *cfg["window"])
    return downsample(x, cfg["size"]).astype(np.float32)


def slice_input(vol, k, context):
    """[Z,H,W] -> [2*context+1, H, W] of slices k-context..k+context (edges replicated)."""
    z = vol.shape[0]
    idx = np.clip(np.arange(k - context, k + context + 1), 0, z - 1)
    return vol[idx]


def target_volume(mask, cfg):
    """uint8 mask [Z,H,W] -> float32 target at the model's size (any voxel in the cell)."""
    m = mask.astype(np.float32)
    z, h, w = m.shape
    s = cfg["size"]
    fh, fw = h // s[0], w // s[1]
    if fh > 1 or fw > 1:
        m = m.reshape(z, s[0], fh, s[1], fw).max(axis=(2, 4))
    return m


# ---------------------------------------------------------------- metrics

def auc(scores, labels):
    """ROC AUC (Mann-Whitney, ties count half)."""
    s = np.asarray(scores, float)
    y = np.asarray(labels, bool)
    pos, neg = s[y], s[~y]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    allv = np.concatenate([pos, neg])[order]
    ranks = np.empty(len(allv))
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2.0 + 1
        i = j + 1
    r = np.empty(len(allv))
    r[order] = ranks
    return float((r[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def sens_at_spec(scores, labels, spec=0.9):
    """Sensitivity at the threshold that keeps at least `spec` specificity on the negatives."""
    s = np.asarray(scores, float)
    y = np.asarray(labels, bool)
    neg = np.sort(s[~y])
    if len(neg) == 0 or y.sum() == 0:
        return float("nan"), float("nan")
    k = int(np.ceil(spec * len(neg))) - 1
    thr = neg[min(k, len(neg) - 1)]
    return float((s[y] > thr).mean()), float(thr)


def bootstrap_ci(cands, group_of, lesions_per_group, images_per_group, image_scores=(), image_labels=(),
                 image_groups=(), n_boot=1000, seed=0):
    """95% percentile intervals of FROC sensitivity at 1 FP per image and of image AUC, resampling
    whole groups (volumes, exams, images) with replacement, as the evaluation sets are drawn.

    cands: (score, lesion id or None, image id) as for `froc`; `group_of(image id)` -> group index;
    lesions_per_group / images_per_group: counts per group; image_* (optional): per-image score,
    label and group for the AUC. Returns {"froc_sensitivity_at_1_fp": [lo, hi], "auc": [lo, hi],
    "method": text}."""
    n = len(lesions_per_group)
    by_group = [[] for _ in range(n)]
    for c in cands:
        by_group[group_of(c[2])].append(c)
    img_by_group = [[] for _ in range(n)]
    for s, y, g in zip(image_scores, image_labels, image_groups):
        img_by_group[g].append((s, y))
    r = np.random.default_rng(seed)
    fr1, aucs = [], []
    for _ in range(n_boot):
        pick = r.integers(n, size=n)
        bc = [(sc, lid, (j, img)) for j, g in enumerate(pick) for sc, lid, img in by_group[g]]
        fr, _ = froc(bc, int(sum(lesions_per_group[g] for g in pick)), int(sum(images_per_group[g] for g in pick)),
                     fps=(1.0,))
        fr1.append(fr[1.0])
        if image_scores:
            si = [sy for g in pick for sy in img_by_group[g]]
            a = auc([x[0] for x in si], [x[1] for x in si])
            if a == a:
                aucs.append(a)
    out = {"froc_sensitivity_at_1_fp": [round(float(np.percentile(fr1, q)), 4) for q in (2.5, 97.5)],
           "method": f"95% percentile bootstrap, {n_boot} resamples of whole cases (tasks.bootstrap_ci)"}
    if aucs:
        out["auc"] = [round(float(np.percentile(aucs, q)), 4) for q in (2.5, 97.5)]
    return out


def froc(cands, n_lesions, n_images, fps=(0.5, 1.0, 2.0)):
    """cands: list of (score, hit_lesion_id or None, image_id). Hits on an already found lesion
    are ignored (neither TP nor FP). Returns {fp: sensitivity} and the threshold per fp."""
    cands = sorted(cands, key=lambda c: -c[0])
    found = set()
    fp = 0
    curve = []   # (fp per image, sensitivity, threshold) after each candidate
    for score, lid, img in cands:
        if lid is None:
            fp += 1
        elif (img, lid) in found:
            continue
        else:
            found.add((img, lid))
        curve.append((fp / n_images, len(found) / max(n_lesions, 1), score))
    out, thr = {}, {}
    for f in fps:
        best, t = 0.0, 1.0
        for fpi, sens, sc in curve:
            if fpi <= f:
                best, t = sens, sc
        out[f], thr[f] = best, t
    return out, thr
