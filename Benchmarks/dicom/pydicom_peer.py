#!/usr/bin/env python3
"""The pydicom side of the DICOM benchmarks, timed in-process (interpreter start-up excluded).

usage: pydicom_peer.py index DIR    → files/s for dcmread(stop_before_pixels=True)
       pydicom_peer.py volume DIR   → MB/s to read, sort by IPP and convert a series to float32 HU
"""
import sys
import time
from pathlib import Path

import numpy as np
import pydicom

mode, folder = sys.argv[1], Path(sys.argv[2])
files = sorted(p for p in folder.rglob("*") if p.is_file())
t0 = time.perf_counter()
if mode == "index":
    n = 0
    for p in files:
        pydicom.dcmread(p, stop_before_pixels=True)
        n += 1
    dt = time.perf_counter() - t0
    print(f"{n / dt:.1f} files/s")
else:
    dss = [pydicom.dcmread(p) for p in files]
    normal = np.cross(np.array(dss[0].ImageOrientationPatient[:3], float), np.array(dss[0].ImageOrientationPatient[3:], float))
    dss.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, float))))
    vol = np.stack([d.pixel_array.astype(np.float32) * float(d.RescaleSlope) + float(d.RescaleIntercept) for d in dss])
    dt = time.perf_counter() - t0
    mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"{mb / dt:.1f} MB/s ({vol.shape}, {dt:.2f} s)")
