#!/usr/bin/env python3
"""`lightbox analyze` on SampleStudies, checked against the ground-truth sidecars and an independent
peer (onnxruntime + numpy for the 2-D preprocessing), plus the cache and bad-input behaviour.

Env: LIGHTBOX (release binary). Run with the project venv (pydicom, numpy, onnxruntime).
Kept fast: each analysis is a few seconds at most; temporary folders are removed."""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(REPO, ".build", "release", "lightbox"))
SAMPLES = os.path.join(REPO, "SampleStudies")
MODELS = os.path.join(REPO, "Models")
FAILS: list[str] = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        FAILS.append(msg)


def analyze(path, *extra, models=MODELS):
    p = subprocess.run([LIGHTBOX, "analyze", path, "--json", "--models", models, *extra],
                       capture_output=True, text=True, timeout=300)
    out = json.loads(p.stdout) if p.stdout.strip().startswith("{") else None
    return p.returncode, out, p.stderr


def gt(folder):
    return json.load(open(os.path.join(SAMPLES, folder, "ground_truth.json")))


def ct_hit(finding, lesion):
    return len(finding["center_mm"]) == 3 and math.dist(finding["center_mm"], lesion["center_mm"]) <= lesion["diameter_mm"] / 2


REQUIRED = ["label", "probability", "risk", "center_mm", "diameter_mm", "sop_instance_uid", "center_px", "bbox_px", "ood", "model"]


def check_schema(out, truth, name):
    uids = {u for s in truth["series"] for u in s["sop_instance_uids"]}
    rows, cols = truth["series"][0].get("rows"), truth["series"][0].get("columns")
    fs = out["findings"]
    missing = sorted({k for f in fs for k in REQUIRED if k not in f})
    check(not missing, f"{name}: every finding has {', '.join(REQUIRED)} (missing {missing})")
    check(all(f.get("sop_instance_uid") in uids for f in fs), f"{name}: every finding's sop_instance_uid is an image of the study")
    check(all(0 <= f["probability"] <= 1 and f["risk"] in ("low", "intermediate", "high", "critical") for f in fs),
          f"{name}: probabilities in 0..1 and known risk levels")
    if rows and cols:
        check(all(0 <= f["center_px"][0] < cols and 0 <= f["center_px"][1] < rows for f in fs), f"{name}: center_px inside the image")
    check(all(f["model"]["sha256"] and f["model"]["id"] for f in fs), f"{name}: every finding names its model and sha256")


def main():
    tmp = tempfile.mkdtemp(prefix="lightbox-analyze-")
    try:
        cache = os.path.join(tmp, "cache")

        # Head CT with an intraparenchymal haemorrhage: found, with a volume, ABC/2 and risk.
        rc, out, err = analyze(os.path.join(SAMPLES, "11_CT_HEAD_CARLOS_2026"), "--no-cache")
        truth = gt("11_CT_HEAD_CARLOS_2026")
        check(rc == 10 and out is not None, f"head CT with IPH: exit 10 (got {rc}) {err.strip()[-200:]}")
        if out:
            check_schema(out, truth, "head CT")
            iph = truth["lesions"][0]
            hits = [f for f in out["findings"] if ct_hit(f, iph)]
            check(len(hits) >= 1, "head CT: the IPH is found (centre within its radius)")
            if hits:
                f = hits[0]
                check(f.get("volume_ml", 0) > 0 and f.get("volume_abc2_ml", 0) > 0, "head CT: volume_ml and ABC/2 present")
                check(abs(f["volume_ml"] - iph["volume_ml"]) <= 0.5 * iph["volume_ml"],
                      f"head CT: volume {f['volume_ml']:.1f} mL within 50% of the truth {iph['volume_ml']:.1f} mL")
            fps = [f for f in out["findings"] if not ct_hit(f, iph)]
            check(len(fps) <= 1, f"head CT: at most one false positive ({len(fps)})")

        # Normal head CT: the vertex false positives are suppressed.
        rc, out, err = analyze(os.path.join(SAMPLES, "12_CT_HEAD_FRANK_2026"), "--no-cache")
        check(rc == 0 and out is not None and out["findings"] == [], f"normal head CT: no findings, exit 0 (got {rc}, "
              f"{len(out['findings']) if out else '?'} findings)")

        # Mammogram: per-breast scores and findings on the views, heatmaps registered to the model grid.
        rc, out, err = analyze(os.path.join(SAMPLES, "02_MG_ALICE_2026"), "--no-cache", "--heatmaps")
        truth = gt("02_MG_ALICE_2026")
        check(rc in (0, 10) and out is not None, f"mammogram: analysed (exit {rc}) {err.strip()[-200:]}")
        if out:
            check_schema(out, truth, "mammogram")
            sides = {b["laterality"]: b for b in out["breasts"]}
            check(set(sides) == {"L", "R"}, f"mammogram: one assessment per breast ({sorted(sides)})")
            check(all(1 <= b["suspicion_score"] <= 10 and b["birads"] in ("1", "2", "3", "4A", "4B", "4C", "5")
                      for b in out["breasts"]), "mammogram: suspicion 1-10 and a BI-RADS category per breast")
            if {"L", "R"} <= set(sides):
                check(sides["L"]["probability"] > sides["R"]["probability"],
                      "mammogram: the breast with the spiculated mass (L) scores higher than the normal one")
            check(len(out["image_scores"]) == 4, "mammogram: an image score per view")
            lcc = truth["lesions"][0]["appearances"][0]
            near = [f for f in out["findings"] if f["sop_instance_uid"] == lcc["sop_instance_uid"]
                    and math.dist(f["center_px"], lcc["center_px"]) <= 7 / 0.2]
            check(len(near) >= 1, "mammogram: the 14 mm spiculated mass is found on LCC (centre within its radius)")
            check(all(f.get("laterality") in ("L", "R") and f.get("suspicion_score") for f in out["findings"]),
                  "mammogram: findings carry laterality and a suspicion score")
            check(all(len(f["center_mm"]) == 3 for f in out["findings"]), "mammogram: center_mm from the image plane")
            peer_check(out, truth, "mammo-suspicion-v1", "mammogram")
            round_trip(out, "02_MG_ALICE_2026", tmp)

        # Radiograph: the generic 2-D path when a radiograph model is installed, else "no applicable model".
        rc, out, err = analyze(os.path.join(SAMPLES, "07_CXR_YAMADA_2026"), "--no-cache")
        has_cxr = any(f.startswith("cxr") and f.endswith(".onnx") for f in os.listdir(MODELS))
        if has_cxr:
            check(rc in (0, 10) and out and len(out["image_scores"]) == 1, f"radiograph: analysed with an image score (exit {rc})")
            if out:
                truth = gt("07_CXR_YAMADA_2026")
                check_schema(out, truth, "radiograph")
                nod = truth["lesions"][0]
                check(any(f["sop_instance_uid"] == nod["sop_instance_uid"]
                          and math.dist(f["center_px"], nod["center_px"]) <= nod["diameter_mm"] / 2 / 0.4 for f in out["findings"]),
                      "radiograph: the 18 mm nodule is found (centre within its radius)")
            rc, out, err = analyze(os.path.join(SAMPLES, "08_CR_DMITRI_2026"), "--no-cache", "--heatmaps")
            check(rc in (0, 10) and out is not None and out["runs"][0]["ood"] == [],
                  f"MONOCHROME1 radiograph: analysed, not out of distribution (exit {rc})")
            if out:
                peer_check(out, gt("08_CR_DMITRI_2026"), next(f[:-5] for f in os.listdir(MODELS) if f.startswith("cxr") and f.endswith(".onnx")),
                           "MONOCHROME1 radiograph")
        else:
            check(rc == 20 and out and out["runs"][0]["status"] == "no applicable model",
                  f"radiograph without a radiograph model: exit 20, no applicable model (got {rc})")

        # Brain MR stroke (issue 22): the three sequences read together, infarct volume, territory and
        # the DWI–FLAIR call against the sidecars; mimics and the chronic infarct not called acute.
        if os.path.exists(os.path.join(MODELS, "mr-stroke-dwi-v1.onnx")):
            mr_checks()

        # Cache: second run is served from the cache with the same findings; a corrupt entry is rewritten.
        path = os.path.join(SAMPLES, "11_CT_HEAD_CARLOS_2026")
        rc1, a, _ = analyze(path, "--cache-dir", cache)
        rc2, b, _ = analyze(path, "--cache-dir", cache)
        check(a and b and b["runs"][0]["cached"] and not a["runs"][0]["cached"], "cache: the second run is cached")
        check(a and b and a["findings"] == b["findings"] and rc1 == rc2, "cache: cached findings equal the computed ones")
        entries = [f for f in os.listdir(cache) if f.endswith(".json")]
        check(len(entries) == 1, "cache: one entry per (series, model)")
        if entries:
            with open(os.path.join(cache, entries[0]), "w") as fh:
                fh.write("{ not json")
            rc3, c, _ = analyze(path, "--cache-dir", cache)
            check(c and not c["runs"][0]["cached"] and c["findings"] == a["findings"], "cache: a corrupt entry is ignored and recomputed")
            rc4, d, _ = analyze(path, "--cache-dir", cache)
            check(d and d["runs"][0]["cached"], "cache: the corrupt entry was rewritten")

        # Bad model: sha256 mismatch -> clear error for that model, the other studies still analysed.
        models = os.path.join(tmp, "models")
        shutil.copytree(MODELS, models)
        onnx = os.path.join(models, "head-ct-haemorrhage-v1.onnx")
        data = bytearray(open(onnx, "rb").read())
        data[-1] ^= 0xFF
        open(onnx, "wb").write(bytes(data))
        both = os.path.join(tmp, "both")
        shutil.copytree(os.path.join(SAMPLES, "12_CT_HEAD_FRANK_2026"), os.path.join(both, "head"))
        shutil.copytree(os.path.join(SAMPLES, "02_MG_ALICE_2026"), os.path.join(both, "mg"))
        rc, out, err = analyze(both, "--no-cache", models=models)
        check(rc == 2, f"tampered model: exit 2 (got {rc})")
        check("sha256" in err and "head-ct-haemorrhage-v1" in err, "tampered model: the message names the model and the sha256")
        if out:
            status = {r["model"]["id"]: r["status"] for r in out["runs"] if r.get("model")}
            check(status.get("head-ct-haemorrhage-v1") == "error", "tampered model: its run is an error")
            check(status.get("mammo-suspicion-v1") in ("findings", "no findings"), "tampered model: the mammogram is still analysed")

        # Corrupt slice and gaps: the series is still analysed, with warnings.
        head = os.path.join(tmp, "corrupt")
        shutil.copytree(os.path.join(SAMPLES, "11_CT_HEAD_CARLOS_2026"), head)
        slices = sorted(f for f in os.listdir(head) if f.endswith(".dcm"))
        victim = os.path.join(head, slices[3])
        size = os.path.getsize(victim)
        with open(victim, "r+b") as fh:
            fh.truncate(size - size // 3)
        rc, out, err = analyze(head, "--no-cache")
        check(out is not None and rc == 10, f"corrupt slice: the series is still analysed (exit {rc}) {err.strip()[-200:]}")
        if out:
            w = " ".join(out["runs"][0]["warnings"])
            check("skipped unreadable slice" in w and slices[3] in w, "corrupt slice: the warning names the skipped slice")
            iph = gt("11_CT_HEAD_CARLOS_2026")["lesions"][0]
            check(any(ct_hit(f, iph) for f in out["findings"]), "corrupt slice: the IPH is still found")
        gap = os.path.join(tmp, "gap")
        shutil.copytree(os.path.join(SAMPLES, "11_CT_HEAD_CARLOS_2026"), gap)
        for f in slices[30:33]:
            os.remove(os.path.join(gap, f))
        rc, out, err = analyze(gap, "--no-cache")
        check(out is not None and rc in (0, 10) and any("gap" in w for w in out["runs"][0]["warnings"]),
              f"series with a gap: analysed with a gap warning (exit {rc})")

        # No applicable model.
        empty = os.path.join(tmp, "nomodels")
        os.makedirs(empty)
        rc, out, _ = analyze(os.path.join(SAMPLES, "11_CT_HEAD_CARLOS_2026"), "--no-cache", models=empty)
        check(rc == 20, f"no models: exit 20 (got {rc})")
        prior_checks(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(FAILS)} failure(s)")
    return 1 if FAILS else 0


def adaptive_avg_pool(img, size):
    """torch adaptive_avg_pool2d semantics, in numpy."""
    H, W = img.shape
    h, w = size
    out = np.empty((h, w), np.float64)
    for i in range(h):
        r0, r1 = (i * H) // h, -((-(i + 1) * H) // h)
        for j in range(w):
            c0, c1 = (j * W) // w, -((-(j + 1) * W) // w)
            out[i, j] = img[r0:r1, c0:c1].mean()
    return out


def round_trip(out, folder, tmp):
    """`analyze --json` saved as analysis.json beside a copy of the study is read back as one
    document: `render --findings` lists every finding on an image with the model and the banner."""
    study = os.path.join(tmp, "roundtrip-" + folder)
    shutil.copytree(os.path.join(SAMPLES, folder), study)
    with open(os.path.join(study, "analysis.json"), "w") as fh:
        json.dump(out, fh)
    check(out.get("study_instance_uid") and out.get("models") and all(f.get("id") for f in out["findings"]),
          f"{folder}: the document names its study, its models and a key for every finding")
    by_image = {}
    for f in out["findings"]:
        by_image.setdefault(f["sop_instance_uid"], []).append(f)
    if not by_image:
        check(False, f"{folder}: no findings to read back")
        return
    sop, mine = max(by_image.items(), key=lambda kv: len(kv[1]))
    image = next(os.path.join(study, n) for n in sorted(os.listdir(study)) if n.endswith(".dcm")
                 and pydicom_sop(os.path.join(study, n)) == sop)
    p = subprocess.run([LIGHTBOX, "render", image, "--findings", "--protocol", "ascii", "--size", "60x20"],
                       capture_output=True, text=True, timeout=120)
    listed = [line for line in p.stdout.splitlines() if line.strip().startswith("[")]
    check(p.returncode == 0 and len(listed) == len(mine) and "NOT FOR CLINICAL USE" in p.stdout
          and "left out" not in p.stdout,
          f"{folder}: render --findings reads the analyzer's own output back: {len(listed)} of {len(mine)} findings listed "
          f"on that image (exit {p.returncode}) {p.stderr.strip()[-160:]}")


PRIOR_PAIRS = [("05_LDCT_YAMADA_2026", "13_LDCT_YAMADA_2025"), ("06_LDCT_DMITRI_2026", "14_LDCT_DMITRI_2025")]


def prior_checks(tmp):
    """LDCT follow-ups against their priors (issue 19): the prior is found by itself (same patient,
    issuer, modality, body part, earlier date; the index store in a fresh XDG_CACHE_HOME), the
    registration agrees with the sidecar's pose, and each truth lesion's finding carries the right
    `prior` status, a volume doubling time within 25 %, its Lung-RADS with comparison; resolved
    lesions are in the run's `resolved`. `--no-prior` leaves all of it out."""
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "xdg"))
    for current, prior in PRIOR_PAIRS:
        if not os.path.isdir(os.path.join(SAMPLES, prior)):
            print(f"skip {current}: no {prior} in SampleStudies")
            continue
        truth = gt(current).get("prior")
        if truth is None:
            check(False, f"{current}: the sidecar has a prior block")
            continue
        p = subprocess.run([LIGHTBOX, "analyze", os.path.join(SAMPLES, current), "--json", "--models", MODELS,
                            "--cache-dir", os.path.join(tmp, "cache")], capture_output=True, text=True, timeout=300, env=env)
        out = json.loads(p.stdout) if p.stdout.strip().startswith("{") else None
        runs = [r for r in (out or {}).get("runs", []) if r.get("registration")]
        check(p.returncode in (0, 10) and len(runs) == 1
              and runs[0]["registration"]["prior_study_instance_uid"] == gt(prior)["study_instance_uid"],
              f"{current}: compared with {prior}, found by itself (exit {p.returncode}; {p.stderr.strip()[-200:]})")
        if not runs:
            continue
        run, reg = runs[0], runs[0]["registration"]
        true_m = truth.get("registration", {}).get("matrix")

        def apply(m, q):
            return [sum(m[r][k] * q[k] for k in range(3)) + m[r][3] for r in range(3)]
        if true_m:
            errs = [math.dist(apply(reg["matrix"], les["center_mm"]["current"]), apply(true_m, les["center_mm"]["current"]))
                    for les in truth["lesions"] if les["center_mm"]["current"]]
            check(errs and max(errs) <= 3, f"{current}: registration within 3 mm of the sidecar's pose at the lesions "
                                           f"(max {max(errs) if errs else float('nan'):.2f} mm; {reg['rotation_deg']}°, {reg['translation_mm']} mm)")
        findings = [f for f in out["findings"] if f.get("series_instance_uid") == run["series_instance_uid"]]
        check(all(f.get("prior", {}).get("study_instance_uid") == reg["prior_study_instance_uid"] for f in findings),
              f"{current}: every nodule has a prior object naming the prior study")
        for les in truth["lesions"]:
            lid, status = les["lesion_id"], les["status"]
            d = les["mean_diameter_mm"]
            radius = max(5.0, max(x for x in (d["prior"], d["current"]) if x is not None) / 2)
            if status == "resolved":
                check(any(math.dist(r["center_mm"], les["center_mm"]["prior"]) <= radius for r in run.get("resolved") or []),
                      f"{current} {lid}: resolved, listed in the run's resolved")
                continue
            near = [f for f in findings if math.dist(f["center_mm"], les["center_mm"]["current"]) <= radius]
            if not near:
                check(False, f"{current} {lid}: found ({status})")
                continue
            pr = near[0].get("prior", {})
            check(pr.get("status") == status, f"{current} {lid}: status {status} (got {pr.get('status')}, "
                                              f"mean diameter change {pr.get('mean_diameter_change_mm')} mm, truth {d})")
            if status != "new":
                check(pr.get("center_mm") is not None and math.dist(pr["center_mm"], les["center_mm"]["prior"]) <= radius,
                      f"{current} {lid}: matched to the same lesion on the prior")
            if status == "growing" and les.get("volume_doubling_days"):
                v, t = pr.get("volume_doubling_days"), les["volume_doubling_days"]
                check(v is not None and abs(v - t) <= 0.25 * abs(t), f"{current} {lid}: VDT {v} d within 25 % of {t} d")
            want = (les.get("lung_rads") or {}).get("current")
            # Where the comparison decides (growing, stable); a new lesion's category follows from its
            # measured size and type, checked in the baseline tests.
            if want and status in ("growing", "stable"):
                check(near[0].get("category") == want, f"{current} {lid}: Lung-RADS with comparison {want} (got {near[0].get('category')})")
        p = subprocess.run([LIGHTBOX, "analyze", os.path.join(SAMPLES, current), "--json", "--models", MODELS, "--no-prior",
                            "--cache-dir", os.path.join(tmp, "cache")], capture_output=True, text=True, timeout=300, env=env)
        out = json.loads(p.stdout) if p.stdout.strip().startswith("{") else {}
        check(not any("prior" in f for f in out.get("findings", [])) and not any(r.get("registration") for r in out.get("runs", [])),
              f"{current}: --no-prior compares nothing")


def mr_checks():
    expected = {"16_MR_BRAIN_GRETA_2026": ("left MCA", True), "17_MR_BRAIN_JONAS_2026": ("right MCA", False)}
    for folder, (territory, mismatch) in expected.items():
        rc, out, err = analyze(os.path.join(SAMPLES, folder), "--no-cache", "--heatmaps")
        truth = gt(folder)
        check(rc in (0, 10) and out is not None, f"{folder}: analysed (exit {rc}) {err.strip()[-200:]}")
        if not out:
            continue
        acute = next(l for l in truth["lesions"] if l["type"] == "acute_infarct")
        infarcts = [f for f in out["findings"] if f["label"] == "acute infarct"]
        hits = [f for f in infarcts if ct_hit(f, acute)]
        check(len(hits) == 1, f"{folder}: the acute infarct is found once (centre within its radius; {len(infarcts)} infarct findings)")
        check(len(infarcts) - len(hits) == 0, f"{folder}: no other acute infarct (mimics and old infarcts are not acute)")
        if hits:
            f = hits[0]
            err_pct = abs(f["volume_ml"] - acute["volume_ml"]) / acute["volume_ml"] * 100
            check(err_pct <= 20, f"{folder}: volume {f['volume_ml']:.1f} mL within 20% of the truth {acute['volume_ml']:.1f} mL ({err_pct:.0f}%)")
            check(f.get("territory") == territory, f"{folder}: territory {f.get('territory')} (truth {territory})")
            check(f.get("dwi_flair_mismatch") == mismatch and acute.get("dwi_flair_mismatch") == mismatch,
                  f"{folder}: DWI-FLAIR mismatch {f.get('dwi_flair_mismatch')} (truth {acute.get('dwi_flair_mismatch')}, "
                  f"FLAIR rSI {f.get('flair_rsi')})")
            check(f["risk"] == "critical", f"{folder}: an acute infarct is triage-critical")
        if os.path.exists(os.path.join(MODELS, "deepbet-bbox-v1.onnx")):
            warnings = [w for r in out["runs"] for w in r["warnings"]]
            check(any(w.startswith("brain mask: deepbet-bbox-v1 on the T1") for w in warnings) and hits,
                  f"{folder}: deepbet's brain mask from the T1 applied, and the infarct lies inside it ({warnings})")
        if folder.startswith("16"):
            mr_peer_check(out, folder)
    rc, out, err = analyze(os.path.join(SAMPLES, "18_MR_BRAIN_CARLOS_2026"), "--no-cache")
    check(rc == 0 and out is not None and out["findings"] == [],
          f"MR with white-matter mimics only: no findings, exit 0 (got {rc}, {len(out['findings']) if out else '?'} findings)")


def mr_peer_check(out, folder):
    """The stroke model's heatmaps equal onnxruntime's on the card's preprocessing done in numpy:
    b1000, ADC and FLAIR by acquisition attributes, FLAIR and ADC interpolated to the b1000 slice
    positions, b1000 and FLAIR divided by their reference intensity, ADC by 1000, clipped to 0..4."""
    import glob
    import onnxruntime as ort
    import pydicom
    stacks = {}
    for path in glob.glob(os.path.join(SAMPLES, folder, "*.dcm")):
        ds = pydicom.dcmread(path)
        itype = [str(t).upper() for t in ds.ImageType]
        b = float(ds.get("DiffusionBValue", -1))
        kind = "adc" if "ADC" in itype else "dwi" if b >= 500 else "b0" if b >= 0 else \
            "flair" if float(ds.get("InversionTime", 0)) >= 1400 else "other"
        z = float(ds.ImagePositionPatient[2])
        stacks.setdefault(kind, []).append((z, str(ds.SOPInstanceUID), ds.pixel_array.astype(np.float64)
                                            * float(ds.get("RescaleSlope", 1)) + float(ds.get("RescaleIntercept", 0))))
    for k in stacks:
        stacks[k].sort(key=lambda t: t[0])

    def ref(vol):
        p99 = np.percentile(vol, 99)
        return np.median(vol[vol > 0.1 * p99])

    def on_dwi(kind):
        zs = np.array([t[0] for t in stacks[kind]])
        vol = np.stack([t[2] for t in stacks[kind]])
        out = []
        for z, _, _ in stacks["dwi"]:
            w = np.clip((z - zs[0]) / (zs[1] - zs[0]), 0, len(zs) - 1)
            k0 = int(np.floor(w)); k1 = min(k0 + 1, len(zs) - 1); f = w - k0
            out.append(vol[k0] * (1 - f) + vol[k1] * f)
        return np.stack(out)

    dwi = np.stack([t[2] for t in stacks["dwi"]])
    flair = np.stack([t[2] for t in stacks["flair"]])
    x = np.stack([dwi / ref(dwi), on_dwi("adc") / 1000, on_dwi("flair") / ref(flair)], axis=1)
    x = np.clip(x, 0, 4).astype(np.float32)
    sess = ort.InferenceSession(os.path.join(MODELS, "mr-stroke-dwi-v1.onnx"), providers=["CPUExecutionProvider"])
    maps = {m["sop_instance_uid"]: m for m in out.get("heatmaps", [])}
    worst, compared, unmapped_peak = 0.0, 0, 0.0
    for k, (_, sop, _) in enumerate(stacks["dwi"]):
        heat = sess.run(["heatmap"], {"input": x[k:k + 1]})[0][0, 0]
        m = maps.get(sop)
        if m is None:
            unmapped_peak = max(unmapped_peak, float(heat.max()))
            continue
        ours = np.array(m["values"], np.float32).reshape(m["height"], m["width"])
        worst = max(worst, float(np.abs(ours - heat).max()))
        compared += 1
    check(unmapped_peak < 0.1 + 2e-3, f"{folder}: slices without a kept map peak under 0.1 in onnxruntime too ({unmapped_peak:.3f})")
    check(compared > 0 and worst < 2e-3,
          f"{folder}: stroke heatmaps match onnxruntime on numpy preprocessing ({compared} slices, max |diff| {worst:.2e})")


def pydicom_sop(path):
    import pydicom
    return str(pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID)


def peer_check(out, truth, model_id, name):
    """The model-grid heatmap of each image equals onnxruntime's on the card's preprocessing in numpy."""
    try:
        import onnxruntime as ort
        import pydicom
    except ImportError as e:
        check(False, f"peer check needs onnxruntime and pydicom ({e})")
        return
    card = json.load(open(os.path.join(MODELS, model_id + ".json")))
    h, w = card["preprocessing"]["resample_size"]
    lo_q, hi_q = card["preprocessing"]["percentile_normalization"]
    sess = ort.InferenceSession(os.path.join(MODELS, model_id + ".onnx"), providers=["CPUExecutionProvider"])
    maps = {m["sop_instance_uid"]: m for m in out.get("heatmaps", [])}
    folder = os.path.join(SAMPLES, truth["folder"])
    worst = 0.0
    prepared = {}
    for f in truth["series"][0]["files"]:
        ds = pydicom.dcmread(os.path.join(folder, f))
        img = ds.pixel_array.astype(np.float64)
        if ds.PhotometricInterpretation == "MONOCHROME1":
            img = (2 ** ds.BitsStored - 1) - img
        x = adaptive_avg_pool(img, (h, w)).astype(np.float32)
        lo, hi = np.percentile(x, [lo_q, hi_q])
        prepared[f] = (ds, np.clip((x - lo) / max(hi - lo, 1e-6), 0, 1).astype(np.float32))
    paired = "contralateral_channel" in card["preprocessing"]
    for f, (ds, x) in prepared.items():
        if paired:
            # Channel 1: the same view of the other breast, mirrored unless both rows run the same way.
            lat, view = str(ds.get("ImageLaterality", "")), str(ds.get("ViewPosition", ""))
            other = next((o for o in prepared.values() if str(o[0].get("ImageLaterality", "")) == {"L": "R", "R": "L"}.get(lat)
                          and str(o[0].get("ViewPosition", "")) == view), None)
            if other is None:
                x1 = x
            else:
                a, b = ds.get("ImageOrientationPatient"), other[0].get("ImageOrientationPatient")
                same = a is not None and b is not None and sum(float(a[k]) * float(b[k]) for k in range(3)) > 0.5
                x1 = other[1] if same else other[1][:, ::-1]
            inp = np.stack([x, x1])[None]
        else:
            inp = x[None, None]
        heat = sess.run(None, {"input": np.ascontiguousarray(inp)})[0][0, 0]
        m = maps.get(str(ds.SOPInstanceUID))
        if m is None:
            check(False, f"{name}: a heatmap for {f}")
            continue
        ours = np.array(m["values"], np.float32).reshape(m["height"], m["width"])
        worst = max(worst, float(np.abs(ours - heat).max()))
    check(worst < 2e-3, f"{name}: heatmaps match onnxruntime on numpy preprocessing (max |diff| {worst:.2e})")


if __name__ == "__main__":
    sys.exit(main())
