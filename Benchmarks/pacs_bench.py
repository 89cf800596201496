#!/usr/bin/env python3
"""Driver for Benchmarks/pacs.sh (see there). Prints medians of RUNS runs and ratios."""
import glob
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import pydicom

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
SLICES = int(os.environ.get("BENCH_SLICES", "300"))
RUNS = int(os.environ.get("RUNS", "3"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    work = tempfile.mkdtemp(prefix="lightbox-pacs-bench-")
    series = os.path.join(work, "series")
    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks/dicom/make_series.py"), series, str(SLICES), "512", "512"], check=True)
    files = sorted(glob.glob(os.path.join(series, "*")))
    study = pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID
    http, dicom, scp = free_port(), free_port(), free_port()
    db = os.path.join(work, "db")
    cfg = {"Name": "Bench", "StorageDirectory": db, "IndexDirectory": db, "HttpPort": http, "DicomPort": dicom,
           "RemoteAccessAllowed": False, "AuthenticationEnabled": False, "DicomAet": "ORTHANC",
           "DicomAlwaysAllowGet": True, "DicomAlwaysAllowStore": True, "DicomCheckCalledAet": False,
           "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"], "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
           "HttpCompressionEnabled": False, "StorageCompression": False}
    with open(os.path.join(work, "orthanc.json"), "w") as f:
        json.dump(cfg, f)
    log = open(os.path.join(work, "orthanc.log"), "w")
    orthanc = subprocess.Popen(["/usr/sbin/Orthanc", os.path.join(work, "orthanc.json")], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/system", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        for path in files:
            with open(path, "rb") as f:
                urllib.request.urlopen(urllib.request.Request(base + "/instances", data=f.read(), method="POST"), timeout=60).read()
        total_mb = sum(os.path.getsize(p) for p in files) / 1e6
        print(f"== {SLICES}-slice 512x512 CT, {total_mb:.0f} MB, Orthanc on loopback, median of {RUNS} runs")
        ours_first, ours_total, curl_first, curl_total, get_total = [], [], [], [], []
        for run in range(RUNS):
            out = os.path.join(work, f"ours-{run}")
            p = subprocess.run([LIGHTBOX, "pull", base + "/dicom-web", study, "--to", out, "--json"], capture_output=True, text=True, check=True)
            s = json.loads(p.stdout)
            assert s["instances"] == SLICES, s
            ours_first.append(s["firstInstanceSeconds"])
            ours_total.append(s["totalSeconds"])
            shutil.rmtree(out)
            p = subprocess.run(["curl", "-s", "-o", os.path.join(work, "curl.bin"), "-w", "%{time_starttransfer} %{time_total}",
                                "-H", 'Accept: multipart/related; type="application/dicom"; transfer-syntax=*',
                                f"{base}/dicom-web/studies/{study}"], capture_output=True, text=True, check=True)
            a, b = map(float, p.stdout.split())
            curl_first.append(a)
            curl_total.append(b)
            os.remove(os.path.join(work, "curl.bin"))
            out = os.path.join(work, f"getscu-{run}")
            os.makedirs(out)
            t = time.time()
            subprocess.run(["getscu", "-aet", "BENCH", "-aec", "ORTHANC", "-S", "-k", "0008,0052=STUDY",
                            "-k", f"0020,000D={study}", "-od", out, "127.0.0.1", str(dicom)],
                           capture_output=True, check=True)
            get_total.append(time.time() - t)
            got = len(os.listdir(out))
            assert got == SLICES, f"getscu stored {got}"
            shutil.rmtree(out)
        med = statistics.median
        print(f"lightbox pull (WADO-RS, streamed): first instance {med(ours_first):.3f} s, full series {med(ours_total):.2f} s "
              f"({total_mb / med(ours_total):.0f} MB/s)")
        print(f"curl WADO-RS download:             first byte {med(curl_first):.3f} s, full body {med(curl_total):.2f} s "
              f"(first usable image only after the full body)")
        print(f"DCMTK getscu (C-GET, DIMSE):        full series {med(get_total):.2f} s")
        print(f"ratio time-to-first-image, curl/ours: {med(curl_total) / med(ours_first):.1f}x")
        print(f"ratio full series, ours/curl: {med(ours_total) / med(curl_total):.2f}   ours/getscu: {med(ours_total) / med(get_total):.2f}   (lower is better for us)")
    finally:
        orthanc.terminate()
        orthanc.wait(timeout=30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
