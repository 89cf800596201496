"""The committed brain MR sample studies (stroke protocol: DWI, ADC, FLAIR, T1)."""
from __future__ import annotations

from .write_dicom import Patient

MR_PATIENTS = {
    "greta": Patient("LBX-PH-0011", "PHANTOM^GRETA", "19520517", "F"),
    "jonas": Patient("LBX-PH-0012", "PHANTOM^JONAS", "19470122", "M"),
    "carlos": Patient("LBX-PH-0004", "PHANTOM^CARLOS", "19611107", "M"),
}


def T(history, findings, diagnosis, discussion):
    return {"history": history, "findings": findings, "diagnosis": diagnosis, "discussion": discussion}


MR_SAMPLES = [
    dict(folder="16_MR_BRAIN_GRETA_2026", kind="brain_mr", patient="greta", date="20260603", time="031500",
         description="MR BRAIN STROKE PROTOCOL", syntax="jpeg_ls",
         lesions=[{"type": "acute_infarct", "territory": "left MCA", "volume_ml": 18.0, "onset_hours": 2.5,
                   "label": "acute infarct, left MCA territory"},
                  {"type": "wmh", "center": [16.0, -12.0, 58.0], "axes": [3.0, 4.0, 3.0],
                   "label": "white-matter hyperintensity, left frontal"},
                  {"type": "wmh", "center": [-18.0, 20.0, 54.0], "axes": [2.5, 3.5, 2.5],
                   "label": "white-matter hyperintensity, right parietal"}],
         teaching=T("{age}-year-old woman found at 03:00 with right-sided weakness and aphasia; last seen well "
                    "at bedtime (unknown onset).",
                    "Restricted diffusion in the left MCA territory: bright on b1000, dark on ADC, about 18 mL. "
                    "No corresponding FLAIR hyperintensity (DWI–FLAIR mismatch). Two small periventricular "
                    "FLAIR hyperintensities without restricted diffusion.",
                    "Acute left MCA infarct with DWI–FLAIR mismatch: likely under 4.5 hours old.",
                    "With an unknown onset time, a DWI lesion without FLAIR change marks a stroke likely "
                    "within 4.5 hours (WAKE-UP trial): thrombolysis may be considered. The FLAIR spots "
                    "without restricted diffusion are chronic small-vessel change, not new infarcts.")),
    dict(folder="17_MR_BRAIN_JONAS_2026", kind="brain_mr", patient="jonas", date="20260611", time="141000",
         description="MR BRAIN STROKE PROTOCOL", syntax="jpeg_ls", enhanced=True,
         lesions=[{"type": "acute_infarct", "territory": "right MCA", "volume_ml": 9.0, "onset_hours": 10.0,
                   "label": "acute infarct, right MCA territory"},
                  {"type": "chronic_infarct", "territory": "left PCA", "volume_ml": 6.0,
                   "label": "chronic infarct, left PCA territory"}],
         teaching=T("{age}-year-old man with left hemiparesis since the morning (about 10 hours).",
                    "Restricted diffusion in the right MCA territory (about 9 mL) with a matching FLAIR "
                    "hyperintensity. Old left occipital infarct: CSF-like core, gliotic FLAIR rim, high ADC.",
                    "Acute right MCA infarct without DWI–FLAIR mismatch; chronic left PCA infarct.",
                    "A visible FLAIR correlate says the infarct is probably older than 4.5 hours. The old "
                    "infarct shows facilitated diffusion (bright ADC): do not call it acute. The series are "
                    "Enhanced MR objects: one file per sequence, the DWI holding both b-values.")),
    dict(folder="18_MR_BRAIN_CARLOS_2026", kind="brain_mr", patient="carlos", date="20260620", time="101500",
         description="MR BRAIN STROKE PROTOCOL", syntax="jpeg_ls",
         lesions=[{"type": "wmh", "center": [14.0, -14.0, 60.0], "axes": [3.5, 4.5, 3.0],
                   "label": "white-matter hyperintensity, left frontal"},
                  {"type": "wmh", "center": [-16.0, 18.0, 56.0], "axes": [3.0, 4.0, 3.0],
                   "label": "white-matter hyperintensity, right parietal"},
                  {"type": "wmh", "center": [20.0, 26.0, 50.0], "axes": [2.5, 3.0, 2.5],
                   "label": "white-matter hyperintensity, left parietal"}],
         teaching=T("{age}-year-old man with transient dizziness, now resolved.",
                    "No restricted diffusion. A few small periventricular and deep white-matter FLAIR "
                    "hyperintensities, not bright on b1000 and not dark on ADC.",
                    "No acute infarct. Mild chronic small-vessel disease (Fazekas 1).",
                    "Mimics: white-matter hyperintensities can look a little bright on b1000 through T2 "
                    "shine-through; the ADC map, not the DWI alone, decides whether diffusion is restricted.")),
]


def mr_sample_specs() -> list[dict]:
    out = []
    for i, s in enumerate(MR_SAMPLES):
        s = dict(s)
        s["key"] = "sample/" + s["folder"]
        s["accession"] = f"LBXM{i + 1:05d}"
        s["patient_obj"] = MR_PATIENTS[s["patient"]]
        out.append(s)
    return out
