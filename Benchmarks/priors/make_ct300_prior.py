#!/usr/bin/env python3
"""A "prior" of the 300-slice timing CT (Benchmarks/analysis/make_ct300.py), for timing the
comparison: the same pixels as a study one year earlier, with Image Position (Patient) moved by
(4, -3, 6) mm (the patient lay elsewhere on the table), new UIDs. Timing only: the nodules are the
same size, so every match is "stable".

  make_ct300_prior.py CT300_DIR OUT_DIR"""
import os
import sys

import pydicom

src, out = sys.argv[1], sys.argv[2]
DONE = out.rstrip("/") + ".done"
if os.path.exists(DONE):
    sys.exit(0)
os.makedirs(out, exist_ok=True)
for name in sorted(os.listdir(src)):
    if not name.endswith(".dcm"):
        continue
    d = pydicom.dcmread(os.path.join(src, name))
    d.SOPInstanceUID = d.SOPInstanceUID.replace("2.25.3300", "2.25.3301", 1)
    d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
    d.SeriesInstanceUID = "2.25.33019999991"
    d.StudyInstanceUID = "2.25.33019999990"
    d.StudyDate = str(int(d.StudyDate[:4]) - 1) + d.StudyDate[4:]
    x, y, z = map(float, d.ImagePositionPatient)
    d.ImagePositionPatient = [x + 4, y - 3, z + 6]
    d.save_as(os.path.join(out, name), enforce_file_format=True)
open(DONE, "w").close()
