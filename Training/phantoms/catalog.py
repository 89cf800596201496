"""The committed sample studies (`samples`) and randomised evaluation/training cases (`train`)."""
from __future__ import annotations

import numpy as np

from .common import rng
from .catalog_mr import mr_sample_specs
from .write_dicom import Patient

PATIENTS = {
    "alice": Patient("LBX-PH-0001", "PHANTOM^ALICE", "19720414", "F"),
    "yamada": Patient("LBX-PH-0002", "Yamada^Tarou=山田^太郎=やまだ^たろう", "19580203", "M",
                      charset=["", "ISO 2022 IR 87"]),
    "helene": Patient("LBX-PH-0003", "FANTÔME^Hélène^Zoë", "19490921", "F", charset="ISO_IR 192"),
    "carlos": Patient("LBX-PH-0004", "PHANTOM^CARLOS", "19611107", "M"),
    "dmitri": Patient("LBX-PH-0005", "PHANTOM^DMITRI", "19550630", "M"),
    "beatriz": Patient("LBX-PH-0006", "PHANTOM^BEATRIZ", "19800112", "F"),
    "emma": Patient("LBX-PH-0007", "PHANTOM^EMMA", "19670325", "F"),
    "frank": Patient("LBX-PH-0008", "PHANTOM^FRANK", "19900808", "M"),
}


def _age(patient: Patient, date: str) -> str:
    y = int(date[:4]) - int(patient.birth_date[:4]) - (1 if date[4:] < patient.birth_date[4:] else 0)
    return f"{y:03d}Y"


def T(history, findings, diagnosis, discussion):
    return {"history": history, "findings": findings, "diagnosis": diagnosis, "discussion": discussion}


# Baseline + follow-up pairs (Training/phantoms/priors.py): lesions in the follow-up's frame, the
# baseline's pose p_prior = R·p_current + t. In-plane shifts stay ≤ 4 mm: the LDCT model's
# out-of-distribution check was fitted on centred phantoms.
PAIRS = {
    "yamada-ldct": {
        "key": "pair/yamada-ldct", "prior": "13_LDCT_YAMADA_2025", "current": "05_LDCT_YAMADA_2026",
        "pose": {"rotation_deg": [0.0, 0.0, -1.5], "translation_mm": [-2.0, 3.0, -3.75]},
        # order = 05's original lesion order (its rendering is unchanged), then the resolved one
        "lesions": [
            {"lesion_id": "RUL-1", "type": "part_solid", "center": [-70, -20, -40], "malignant": True, "lobe": "RUL",
             "label": "part-solid nodule, right upper lobe",
             "prior": {"diameter": 14, "solid_diameter": 5, "spiculated": True, "lung_rads": "4A"},
             "current": {"diameter": 18, "solid_diameter": 8, "spiculated": True, "lung_rads": "4B"}},
            {"lesion_id": "LLL-1", "type": "solid", "center": [85, 40, -150], "malignant": False, "lobe": "LLL",
             "label": "small solid nodule, left lower lobe",
             "prior": {"diameter": 5, "lung_rads": "2"}, "current": {"diameter": 5, "lung_rads": "2"}},
            {"lesion_id": "LUL-1", "type": "ggo", "center": [70, -30, -60], "malignant": False, "lobe": "LUL",
             "label": "ground-glass nodule, left upper lobe",
             "prior": {"diameter": 9, "lung_rads": "2"}, "current": {"diameter": 9, "lung_rads": "2"}},
            {"lesion_id": "RLL-1", "type": "solid", "center": [-95, 30, -150], "malignant": False, "lobe": "RLL",
             "label": "solid nodule, right lower lobe (inflammatory, resolved on follow-up)",
             "prior": {"diameter": 7, "lung_rads": "3"}, "current": None},
        ]},
    "dmitri-ldct": {
        "key": "pair/dmitri-ldct", "prior": "14_LDCT_DMITRI_2025", "current": "06_LDCT_DMITRI_2026",
        "pose": {"rotation_deg": [0.0, 0.0, 2.0], "translation_mm": [3.0, -2.5, 5.0]},
        "lesions": [
            {"lesion_id": "RLL-1", "type": "solid", "center": [-88, 42, -150], "malignant": True, "lobe": "RLL",
             "label": "growing solid nodule, right lower lobe",
             "prior": {"diameter": 7.0, "lung_rads": "3"}, "current": {"diameter": 9.5, "lung_rads": "4B"}},
            {"lesion_id": "RUL-1", "type": "solid", "center": [-95, -20, -60], "malignant": False, "lobe": "RUL",
             "label": "stable solid nodule, right upper lobe",
             "prior": {"diameter": 6, "lung_rads": "3"}, "current": {"diameter": 6, "lung_rads": "2"}},
            {"lesion_id": "LLL-1", "type": "solid", "center": [110, 45, -165], "malignant": False, "lobe": "LLL",
             "label": "new solid nodule, left lower lobe",
             "prior": None, "current": {"diameter": 6, "lung_rads": "4A"}},
            {"lesion_id": "LUL-1", "type": "solid", "center": [70, -35, -75], "malignant": False, "lobe": "LUL",
             "label": "solid nodule, left upper lobe (inflammatory, resolved on follow-up)",
             "prior": {"diameter": 7, "lung_rads": "3"}, "current": None},
        ]},
    "alice-mg": {
        "key": "pair/alice-mg", "prior": "01_MG_ALICE_2024_PRIOR", "current": "02_MG_ALICE_2026",
        "normalisation": "mammography: same view, position relative to the nipple and the chest wall "
                         "(the anatomy is the same; no repositioning is simulated)",
        "lesions": [
            {"lesion_id": "L-MASS-1", "type": "spiculated_mass", "laterality": "L", "prior": None,
             "current": {"diameter": 14}},
            {"lesion_id": "L-CALC-1", "type": "calcifications", "laterality": "L", "prior": None,
             "current": {"diameter": 8}},
        ]},
}

SAMPLES = [
    dict(folder="01_MG_ALICE_2024_PRIOR", kind="mammography", patient="alice", date="20240312", time="091500",
         pair="alice-mg",
         description="SCREENING MAMMOGRAM BILATERAL", syntax="jpeg_ls", anatomy_key="alice",
         anatomy={"density": 0.55, "depth": 105, "width": 78, "height": 70}, lesions=[],
         teaching=T("{age}-year-old woman, routine biennial screening. No symptoms.",
                    "Heterogeneously dense breasts (ACR c). No mass, suspicious calcification or architectural "
                    "distortion. Symmetric fibroglandular tissue.",
                    "Negative screening mammogram (BI-RADS 1).",
                    "Baseline for comparison: keep it open beside the 2026 exam — a new finding on a later "
                    "screen is what makes a subtle lesion suspicious.")),
    dict(folder="02_MG_ALICE_2026", kind="mammography", patient="alice", date="20260310", time="092000",
         pair="alice-mg",
         description="SCREENING MAMMOGRAM BILATERAL", syntax="j2k", anatomy_key="alice",
         anatomy={"density": 0.55, "depth": 105, "width": 78, "height": 70},
         lesions=[{"type": "spiculated_mass", "side": "L", "pos": [0.5, 0.45, 0.35], "diameter": 14,
                   "malignant": True, "birads": "5", "lesion_id": "L-MASS-1",
                   "label": "spiculated mass, left upper outer quadrant"},
                  {"type": "calcifications", "side": "L", "pos": [0.62, 0.40, 0.30], "diameter": 8, "count": 18,
                   "malignant": True, "birads": "5", "lesion_id": "L-CALC-1",
                   "label": "fine pleomorphic microcalcifications, grouped, anterior to the mass"}],
         teaching=T("{age}-year-old woman, screening. Prior 2024 negative.",
                    "New 14 mm irregular spiculated mass in the left upper outer quadrant, seen on LCC and LMLO, "
                    "with an adjacent group of fine pleomorphic calcifications. Right breast unchanged.",
                    "Invasive ductal carcinoma with associated DCIS (BI-RADS 5).",
                    "A new spiculated mass is cancer until proven otherwise; the calcifications mark intraductal "
                    "extension and must be included in the excision. Compare with the 2024 prior: absent then.")),
    dict(folder="03_MG_BEATRIZ_2026", kind="mammography", patient="beatriz", date="20260402", time="104500",
         description="SCREENING MAMMOGRAM BILATERAL", syntax="jpeg_ls", photometric="MONOCHROME1",
         anatomy={"density": 0.35, "depth": 95, "width": 72, "height": 66},
         lesions=[{"type": "circumscribed_mass", "side": "R", "pos": [0.55, -0.35, -0.25], "diameter": 12,
                   "malignant": False, "birads": "3",
                   "label": "circumscribed oval mass, right lower inner quadrant"},
                  {"type": "distortion", "side": "L", "pos": [0.4, 0.3, 0.5], "diameter": 16,
                   "malignant": True, "birads": "4C", "label": "architectural distortion, left upper outer quadrant"}],
         teaching=T("{age}-year-old woman, first screening mammogram. MONOCHROME1 (inverted) storage.",
                    "Scattered fibroglandular density (ACR b). Right: 12 mm circumscribed oval equal-density mass, "
                    "lower inner quadrant. Left: architectural distortion without a central mass, upper outer quadrant.",
                    "Right fibroadenoma (probably benign); left invasive lobular carcinoma.",
                    "Distortion is the most commonly missed sign of cancer: look for straight radiating lines "
                    "converging on a point. The circumscribed mass is the distractor.")),
    dict(folder="04_MG_EMMA_2026", kind="mammography", patient="emma", date="20260115", time="081000",
         description="SCREENING MAMMOGRAM BILATERAL", syntax="jpeg_ls",
         anatomy={"density": 0.8, "depth": 110, "width": 80, "height": 74}, lesions=[],
         teaching=T("{age}-year-old woman, screening.",
                    "Extremely dense breasts (ACR d), symmetric. No mass, calcification or distortion.",
                    "Negative (BI-RADS 1); dense breasts lower sensitivity.",
                    "A normal dense exam: learn the range of normal texture before looking for cancer in it.")),
    dict(folder="05_LDCT_YAMADA_2026", kind="ldct", patient="yamada", date="20260220", time="140000",
         description="LOW DOSE CT CHEST SCREENING", syntax="j2k", pair="yamada-ldct",
         teaching=T("{age}-year-old man, 40 pack-year smoker, annual lung cancer screening. Name stored in "
                    "ISO 2022 IR 87 (Japanese).",
                    "RUL 18 mm part-solid nodule with an 8 mm solid component and spiculation (14 mm with a 5 mm "
                    "solid component on the 2025 baseline: growing). 5 mm solid LLL nodule and 9 mm pure "
                    "ground-glass LUL nodule, both unchanged. The 7 mm RLL nodule of 2025 has resolved.",
                    "RUL invasive adenocarcinoma (Lung-RADS 4B); the others are benign/indolent.",
                    "Size the solid component of part-solid nodules — it drives management, and its growth "
                    "(5 → 8 mm) is what makes this 4B. Compare with the 2025 baseline (13_LDCT_YAMADA_2025, "
                    "patient repositioned) and with the chest radiograph of the same day: only the RUL "
                    "nodule is visible there.")),
    dict(folder="06_LDCT_DMITRI_2026", kind="ldct", patient="dmitri", date="20260305", time="113000",
         description="LOW DOSE CT CHEST SCREENING", syntax="jpeg_ls", pair="dmitri-ldct",
         teaching=T("{age}-year-old man, former smoker, annual screening; baseline LDCT in March 2025.",
                    "RLL solid nodule 9.5 mm, 7.0 mm on the baseline: growing, volume doubling time about "
                    "{vdt:RLL-1} days. RUL 6 mm solid nodule unchanged. New 6 mm solid LLL nodule. The 7 mm "
                    "LUL nodule of 2025 has resolved.",
                    "Growing solid RLL nodule suspicious for lung cancer (Lung-RADS 4B); new LLL nodule "
                    "(4A); stable RUL nodule (2); resolved LUL nodule (inflammatory).",
                    "Read against the prior (14_LDCT_DMITRI_2025; the patient lies 2° rotated and a few mm "
                    "shifted): a volume doubling time under 400 days favours malignancy; a nodule that "
                    "vanishes was inflammatory; a new nodule is judged by its size. Vessels in cross-section "
                    "mimic nodules — scroll: a vessel continues, a nodule ends.")),
    dict(folder="07_CXR_YAMADA_2026", kind="chest_radiograph", patient="yamada", date="20260220", time="133000",
         description="CHEST PA", syntax="jpeg_ls",
         lesions=[{"type": "nodule", "center": [-70, -20, -40], "diameter": 18, "malignant": True,
                   "label": "nodule, right upper zone"}],
         teaching=T("{age}-year-old man, smoker, pre-screening radiograph.",
                    "18 mm nodule in the right upper zone projected between the anterior ribs. Heart size normal.",
                    "Right upper lobe adenocarcinoma (see same-day LDCT).",
                    "Check the apices and behind the ribs and heart: the classic blind spots on a PA film.")),
    dict(folder="08_CR_DMITRI_2026", kind="chest_radiograph", patient="dmitri", date="20260305", time="110000",
         description="CHEST PA", syntax="explicit_le", modality="CR", photometric="MONOCHROME1", lesions=[],
         teaching=T("{age}-year-old man, pre-operative chest radiograph. Stored as CR, MONOCHROME1.",
                    "Clear lungs. Normal cardiomediastinal contour. No pleural effusion.",
                    "Normal chest radiograph.",
                    "MONOCHROME1: low stored values are white — the viewer must invert before display.")),
    dict(folder="09_DX_EMMA_2026", kind="chest_radiograph", patient="emma", date="20260118", time="154500",
         description="CHEST PA", syntax="j2k",
         lesions=[{"type": "mass", "center": [95, 0, -70], "diameter": 45, "malignant": True,
                   "label": "mass, left mid zone"}],
         teaching=T("{age}-year-old woman with cough and weight loss.",
                    "45 mm lobulated mass in the left mid zone. No effusion.",
                    "Primary lung carcinoma (mass > 30 mm).",
                    "Masses over 3 cm are malignant until proven otherwise; next step is contrast CT.")),
    dict(folder="10_CT_HEAD_HELENE_2026", kind="head_ct", patient="helene", date="20260412", time="031500",
         description="CT HEAD WITHOUT CONTRAST", syntax="jpeg_ls",
         lesions=[{"type": "sdh", "side": "left", "z_range": [45, 115], "thickness": 10, "hu": 62,
                   "severity": "severe"},
                  {"type": "sah", "side": "left", "hu": 55, "severity": "mild"}],
         teaching=T("{age}-year-old woman on anticoagulation, fall at home, drowsy. Name stored in UTF-8.",
                    "Left convexity crescentic hyperdense extra-axial collection, 10 mm maximal thickness, "
                    "crossing sutures. Hyperdense blood in the left sylvian fissure and basal cisterns.",
                    "Acute left subdural haematoma with traumatic subarachnoid haemorrhage.",
                    "Use the subdural window (80/200): thin collections hide against the skull at brain window.")),
    dict(folder="11_CT_HEAD_CARLOS_2026", kind="head_ct", patient="carlos", date="20260420", time="221000",
         description="CT HEAD WITHOUT CONTRAST", syntax="rle",
         lesions=[{"type": "iph", "center": [-24, 5, 50], "axes": [20, 15, 20], "hu": 68, "oedema_mm": 4,
                   "severity": "severe", "label": "acute intraparenchymal haemorrhage, right lentiform nucleus"}],
         teaching=T("{age}-year-old hypertensive man, sudden left hemiparesis.",
                    "Hyperdense (~68 HU) haematoma centred on the right lentiform nucleus with a thin rim of "
                    "perihaematomal oedema. Volume about 25 ml.",
                    "Hypertensive intraparenchymal haemorrhage, right basal ganglia.",
                    "Estimate volume with ABC/2 and compare with the ground truth volume; > 30 ml predicts a "
                    "poor outcome.")),
    dict(folder="12_CT_HEAD_FRANK_2026", kind="head_ct", patient="frank", date="20260501", time="160000",
         description="CT HEAD WITHOUT CONTRAST", syntax="jpeg_lossless", lesions=[],
         teaching=T("{age}-year-old man, headache.",
                    "Normal grey-white differentiation. Ventricles and sulci normal for age. No haemorrhage.",
                    "Normal non-contrast head CT.",
                    "Learn the normal: symmetric ventricles, no hyperdensity, midline falx.")),
    dict(folder="13_LDCT_YAMADA_2025", kind="ldct", patient="yamada", date="20250221", time="141000",
         description="LOW DOSE CT CHEST SCREENING", syntax="jpeg_ls", pair="yamada-ldct",
         teaching=T("{age}-year-old man, 40 pack-year smoker, baseline lung cancer screening. Name stored in "
                    "ISO 2022 IR 87 (Japanese).",
                    "RUL 14 mm part-solid nodule with a 5 mm solid component and spiculation. 5 mm solid LLL "
                    "nodule. 9 mm pure ground-glass LUL nodule. 7 mm solid RLL nodule.",
                    "Lung-RADS 4A (part-solid nodule with a 4–6 mm solid component).",
                    "The baseline of 05_LDCT_YAMADA_2026: a year later the RUL nodule measures 18 mm with an "
                    "8 mm solid component (adenocarcinoma) and the RLL nodule has gone (inflammatory). The "
                    "patient lies differently (1.5° rotation, a few mm shift): compare by anatomy, not by "
                    "slice number.")),
    dict(folder="14_LDCT_DMITRI_2025", kind="ldct", patient="dmitri", date="20250306", time="112000",
         description="LOW DOSE CT CHEST SCREENING", syntax="jpeg_ls", pair="dmitri-ldct",
         teaching=T("{age}-year-old man, former smoker, baseline screening.",
                    "Solid nodules: RLL 7 mm, RUL 6 mm, LUL 7 mm. No effusion.",
                    "Lung-RADS 3 (largest solid nodule 6–8 mm at baseline).",
                    "The baseline of 06_LDCT_DMITRI_2026: the RLL nodule grows (volume doubling time under "
                    "300 days), the RUL one does not, the LUL one resolves and a new LLL nodule appears. "
                    "Lung-RADS 3 asks for a 6-month LDCT; this patient returned at 12 months.")),
]


def sample_specs() -> list[dict]:
    from .priors import lesion_specs, pose_of
    out = []
    for i, s in enumerate(SAMPLES):
        s = dict(s)
        s["key"] = "sample/" + s["folder"]
        s["accession"] = f"LBXA{i + 1:05d}"
        pair = PAIRS.get(s.get("pair", ""))
        if pair and s["kind"] == "ldct":
            timepoint = "prior" if pair["prior"] == s["folder"] else "current"
            s["lesions"] = lesion_specs(pair, timepoint)
            if timepoint == "prior":   # the follow-up's anatomy, repositioned
                s["anatomy_key"] = "sample/" + pair["current"]
                s["pose"] = pose_of(pair)
        out.append(s)
    return out + mr_sample_specs()


def train_specs(count: int, kinds: list[str] | None = None, syntax: str = "explicit_le",
                normal_fraction: float = 0.3, start: int = 0) -> list[dict]:
    """Randomised cases for training/evaluation; deterministic in (index, kind)."""
    kinds = kinds or ["mammography", "ldct", "head_ct", "chest_radiograph"]
    out = []
    for i in range(start, start + count):
        kind = kinds[i % len(kinds)]
        r = rng("train", i, kind)
        key = f"train/{i:05d}"
        lesions = []
        if r.uniform() >= normal_fraction:
            if kind == "mammography":
                for _ in range(r.integers(1, 3)):
                    t = r.choice(["spiculated_mass", "circumscribed_mass", "calcifications", "distortion", "asymmetry"])
                    lesions.append({"type": str(t), "side": str(r.choice(["L", "R"])),
                                    "pos": [float(r.uniform(0.25, 0.75)), float(r.uniform(-0.6, 0.6)),
                                            float(r.uniform(-0.6, 0.6))],
                                    "diameter": float(round(r.uniform(6, 22), 1)),
                                    "malignant": bool(t in ("spiculated_mass", "distortion") or
                                                      (t == "calcifications" and r.uniform() < 0.5))})
            elif kind == "ldct":
                from .ldct import lung_contains
                for _ in range(r.integers(1, 4)):
                    t = str(r.choice(["solid", "part_solid", "ggo"]))
                    d = float(round(r.uniform(3, 30), 1))
                    while True:   # rejection-sample a centre with the whole nodule inside a lung
                        c = [float(r.choice([-1, 1]) * r.uniform(35, 120)), float(r.uniform(-70, 80)),
                             float(r.uniform(-190, -5))]
                        if lung_contains(c, d / 2 + 2):
                            break
                    lesions.append({"type": t, "diameter": d, "solid_diameter": round(d * r.uniform(0.2, 0.6), 1),
                                    "center": c,
                                    "spiculated": bool(d > 12 and r.uniform() < 0.4),
                                    "malignant": bool(d > 12 and r.uniform() < 0.6)})
            elif kind == "head_ct":
                t = str(r.choice(["iph", "sdh", "sah"]))
                side = str(r.choice(["left", "right"]))
                sg = 1 if side == "left" else -1
                if t == "iph":
                    lesions.append({"type": t, "center": [float(sg * r.uniform(15, 35)), float(r.uniform(-25, 25)),
                                                          float(r.uniform(35, 75))],
                                    "axes": [float(r.uniform(6, 20)) for _ in range(3)], "hu": float(r.uniform(55, 85))})
                elif t == "sdh":
                    z0 = float(r.uniform(30, 60))
                    lesions.append({"type": t, "side": side, "z_range": [z0, z0 + float(r.uniform(40, 70))],
                                    "thickness": float(r.uniform(4, 15)), "hu": float(r.uniform(50, 80))})
                else:
                    lesions.append({"type": t, "side": side, "hu": float(r.uniform(50, 70))})
            else:
                from .chest_radiograph import lung_contains_xz
                for _ in range(r.integers(1, 3)):
                    d = float(round(r.uniform(8, 50), 1))
                    while True:
                        c = [float(r.choice([-1, 1]) * r.uniform(30, 135)), float(r.uniform(-40, 40)),
                             float(r.uniform(-190, 10))]
                        if lung_contains_xz(c[0], c[2], d / 2 * 0.6):
                            break
                    lesions.append({"type": "mass" if d > 30 else "nodule", "diameter": d,
                                    "center": c,
                                    "malignant": bool(d > 30 or r.uniform() < 0.4)})
        pat = f"{i:05d}"
        out.append(dict(folder=f"{kind.upper()}_{pat}", kind=kind, key=key, patient=None,
                        patient_obj=Patient(f"LBX-TR-{pat}", f"PHANTOM^TRAIN{pat}", "19600101", "O"),
                        date="20260101", time="120000", description=f"TRAINING {kind.upper()}", syntax=syntax,
                        accession=f"LBXT{pat}",
                        anatomy={"density": float(r.uniform(0.2, 0.85)), "depth": float(r.uniform(90, 120)),
                                 "width": float(r.uniform(68, 84)), "height": float(r.uniform(62, 76))},
                        photometric="MONOCHROME2", lesions=lesions,
                        teaching=T("Synthetic training case.", "See lesions.", "See lesions.", "Generated.")))
    return out
