"""Studies with priors: a baseline and a follow-up of the same patient, with lesions tracked across the
two time points, a known patient repositioning between them, and the comparison truth.

A *pair* is described once, in the follow-up's (current) frame:

    {"key": "...", "interval_days": 364,
     "pose": {"rotation_deg": [rx, ry, rz], "translation_mm": [tx, ty, tz]},
     "lesions": [{"lesion_id": "RLL-1", "type": "solid", "center": [x, y, z],      # current frame, mm
                  "prior": {"diameter": 7.0, ...} | None,                       # None: new
                  "current": {"diameter": 9.5, ...} | None,                     # None: resolved
                  "malignant": True, "lobe": "RLL", "label": "..."}]}

Pose convention (the registration truth): p_prior = R·p_current + t, both in patient LPS mm of
their own study, R = Rz(rz)·Ry(ry)·Rx(rx) (degrees, right-handed, about the patient x, y, z axes).
The follow-up is rendered as is; the baseline renders the same anatomy (same anatomy seed) through
that pose, so a lesion at c in the follow-up sits at R·c + t in the baseline.

`link(prior_gt, current_gt, pair)` adds to both sidecars, per lesion: `lesion_id`, `tracking_uid`
(one UID per lesion, shared by both time points), `measured` (this time point's size), 
`present_on_prior` and `status`; to the follow-up a `prior` block (study, interval, registration,
per-lesion comparison with diameters, volumes and the Schwartz volume doubling time, resolved
lesion ids) and to the baseline a `follow_up` block.

Status rules (what the generator intends, applied to the nominal sizes): a lesion on the follow-up
only is `new`, on the baseline only `resolved`; otherwise `growing` when the mean diameter grows by
more than 1.5 mm (Lung-RADS v2022), `shrinking` when it falls by more than 1.5 mm, else `stable`.
Volumes are the rendered partial-volume occupancies (`volume_ml`, what a perfect segmentation
measures); the volume doubling time uses them: VDT = t·ln2 / ln(V2/V1) (Schwartz 1961), given for
growing and shrinking lesions (negative when shrinking), null otherwise.
"""
from __future__ import annotations

import math
from datetime import date

import numpy as np

from .common import uid

CONVENTION = "p_prior = R·p_current + t"
STATUS_DELTA_MM = 1.5


def rotation_matrix(rotation_deg) -> np.ndarray:
    rx, ry, rz = (math.radians(float(a)) for a in rotation_deg)
    cx, sx, cy, sy, cz, sz = math.cos(rx), math.sin(rx), math.cos(ry), math.sin(ry), math.cos(rz), math.sin(rz)
    Rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    Ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    Rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return Rz @ Ry @ Rx


def pose_of(pair: dict) -> dict:
    """The renderer's pose {"R", "t"} (p_scan = R·p_anatomy + t) for the pair's baseline."""
    p = pair["pose"]
    return {"R": rotation_matrix(p["rotation_deg"]).tolist(), "t": [float(v) for v in p["translation_mm"]]}


def registration(pair: dict) -> dict:
    p = pair["pose"]
    R = rotation_matrix(p["rotation_deg"])
    t = np.asarray(p["translation_mm"], float)
    M = np.eye(4)
    M[:3, :3] = R
    M[:3, 3] = t
    return {"convention": CONVENTION, "frame": "patient LPS mm of each study",
            "rotation_order": "R = Rz·Ry·Rx, angles about patient x, y, z",
            "rotation_deg": [float(a) for a in p["rotation_deg"]],
            "translation_mm": [float(v) for v in t],
            "matrix": [[round(float(v), 8) for v in row] for row in M]}


def status_of(d_prior, d_current) -> str:
    if d_prior is None:
        return "new"
    if d_current is None:
        return "resolved"
    if d_current - d_prior > STATUS_DELTA_MM:
        return "growing"
    if d_prior - d_current > STATUS_DELTA_MM:
        return "shrinking"
    return "stable"


def lesion_specs(pair: dict, timepoint: str) -> list[dict]:
    """The renderer's lesion list for one time point ("prior" or "current"), in pair order."""
    out = []
    for les in pair["lesions"]:
        tp = les.get(timepoint)
        if tp is None:
            continue
        spec = {k: v for k, v in les.items() if k not in ("prior", "current")}
        spec.update(tp)
        out.append(spec)
    return out


def interval_days(prior_date: str, current_date: str) -> int:
    d = lambda s: date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    return (d(current_date) - d(prior_date)).days


def vdt_days(v1: float, v2: float, days: int):
    if v1 <= 0 or v2 <= 0 or v1 == v2:
        return None
    return days * math.log(2) / math.log(v2 / v1)


def _measured(rec: dict) -> dict:
    out = {"diameter_mm": rec["diameter_mm"], "mean_diameter_mm": rec["diameter_mm"]}
    if "volume_ml" in rec:
        v = float(rec["volume_ml"])
        out["volume_ml"] = v
        out["volume_equivalent_diameter_mm"] = round((6 * v * 1000 / math.pi) ** (1 / 3), 2) if v > 0 else 0.0
    return out


def link(prior_gt: dict, current_gt: dict, pair: dict) -> None:
    """Write the pair's tracking and comparison truth into both sidecars (in place)."""
    days = interval_days(prior_gt["study_date"], current_gt["study_date"])
    by_prior = {r["lesion_id"]: r for r in prior_gt["lesions"]}
    by_current = {r["lesion_id"]: r for r in current_gt["lesions"]}
    rows, resolved = [], []
    for les in pair["lesions"]:
        lid = les["lesion_id"]
        p, c = by_prior.get(lid), by_current.get(lid)
        dp = les["prior"]["diameter"] if les.get("prior") else None
        dc = les["current"]["diameter"] if les.get("current") else None
        status = status_of(dp, dc)
        tracking = uid(pair["key"], "tracking", lid)
        for rec, present_before in ((p, False), (c, p is not None)):
            if rec is None:
                continue
            rec["lesion_id"] = lid
            rec["tracking_uid"] = tracking
            rec["measured"] = _measured(rec)
            rec["present_on_prior"] = present_before
            rec["status"] = status
        vp = p["measured"].get("volume_ml") if p else None
        vc = c["measured"].get("volume_ml") if c else None
        row = {"lesion_id": lid, "tracking_uid": tracking, "status": status, "type": les.get("type"),
               "center_mm": {"prior": p["center_mm"] if p else None, "current": c["center_mm"] if c else None},
               "diameter_mm": {"prior": dp, "current": dc},
               "mean_diameter_mm": {"prior": dp, "current": dc,
                                    "change": round(dc - dp, 2) if dp is not None and dc is not None else None},
               "volume_ml": {"prior": vp, "current": vc},
               "volume_change_pct": round((vc - vp) / vp * 100, 1) if vp and vc else None,
               "volume_doubling_days": None}
        if status in ("growing", "shrinking") and vp and vc:
            v = vdt_days(vp, vc, days)
            row["volume_doubling_days"] = round(v, 1) if v is not None else None
        for k in ("lobe", "laterality"):
            if les.get(k):
                row[k] = les[k]
        lr = {"prior": (les.get("prior") or {}).get("lung_rads"), "current": (les.get("current") or {}).get("lung_rads")}
        if lr["prior"] or lr["current"]:
            row["lung_rads"] = lr
        if status == "resolved":
            resolved.append(lid)
        rows.append(row)
    block = {"study_instance_uid": prior_gt["study_instance_uid"], "folder": prior_gt.get("folder"),
             "study_date": prior_gt["study_date"], "interval_days": days}
    if "pose" in pair:
        block["registration"] = registration(pair)
    if pair.get("normalisation"):
        block["normalisation"] = pair["normalisation"]
    block["lesions"] = rows
    block["resolved"] = resolved
    current_gt["prior"] = block
    prior_gt["follow_up"] = {"study_instance_uid": current_gt["study_instance_uid"],
                             "folder": current_gt.get("folder"), "study_date": current_gt["study_date"],
                             "interval_days": days}
