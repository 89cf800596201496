#!/usr/bin/env python3
"""Results back to the archive (issue 20): a signed study's SR and SEG go to a real Orthanc by STOW-RS
through the persisted results outbox, and a failure stays queued until the archive takes them.

`[archives.test] store_results = true` in a temporary config.toml points at a loopback port where
nothing listens yet. For a copy of a low-dose CT with its analysis.json and a signed reading in a
real review database (SQLite, schema created by the binary):

- `lightbox review send-results` makes the SR and SEG, cannot reach the archive, keeps both in the
  outbox (exit 3) and `lightbox review outbox` lists the job with its error (exit 3);
- the outbox survives the process: Orthanc (Debian's orthanc + orthanc-dicomweb) is started on that
  port, `lightbox review outbox --retry` sends the job (exit 0) and the outbox is empty;
- QIDO-RS on Orthanc finds, in the study, an SR series and a SEG series holding exactly the SOP
  Instance UIDs of the files that were queued, and the SR is VERIFIED (signed);
- no password reaches any output.

The workstation does the same on sign-off (Runtime+Results: queued off the UI loop, sent by
ResultsOutboxWorker, shown in the worklist as "[results …]" until the archive has them).
Needs: LIGHTBOX, Orthanc with the DICOMweb plugin, pydicom, highdicom, numpy.
"""
import base64
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

import pydicom

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dicomweb_orthanc import ORTHANC, PASSWORD, PLUGIN, USER, free_port  # noqa: E402
from seg_export import CT_DIR, check, decide, failures, prepare  # noqa: E402  (one failure list)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.path.abspath(os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox")))
outputs = []


def lightbox(env, *args):
    r = subprocess.run([LIGHTBOX, *args], capture_output=True, text=True, timeout=900, env=env)
    outputs.append(r.stdout + r.stderr)
    return r


def start_orthanc(work, http_port):
    storage = os.path.join(work, "orthanc-db")
    os.makedirs(storage, exist_ok=True)
    config = {
        "Name": "LightboxResults", "StorageDirectory": storage, "IndexDirectory": storage,
        "HttpPort": http_port, "DicomPort": free_port(), "DicomAet": "ORTHANC",
        "RemoteAccessAllowed": False, "AuthenticationEnabled": True, "RegisteredUsers": {USER: PASSWORD},
        "Plugins": [PLUGIN], "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
        "HttpCompressionEnabled": False, "StorageCompression": False, "ConcurrentJobs": 1,
    }
    path = os.path.join(work, "orthanc.json")
    with open(path, "w") as f:
        json.dump(config, f)
    log = open(os.path.join(work, "orthanc.log"), "w")
    proc = subprocess.Popen([ORTHANC, path], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            get(http_port, "/system")
            return proc, log
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("Orthanc exited; see " + log.name)
            time.sleep(0.2)
    raise RuntimeError("Orthanc did not start")


def get(port, path):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


def main():
    if not (os.path.exists(ORTHANC) and os.path.exists(PLUGIN)):
        check(False, "Orthanc and its DICOMweb plugin are installed")
        return 1
    tmp = tempfile.mkdtemp(prefix="lightbox-results-")
    orthanc = None
    try:
        port = free_port()
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"), XDG_DATA_HOME=os.path.join(tmp, "data"),
                   XDG_CACHE_HOME=os.path.join(tmp, "cache"))
        os.makedirs(os.path.join(tmp, "config/lightbox"))
        with open(os.path.join(tmp, "config/lightbox/config.toml"), "w") as f:
            f.write(f'[archives.test]\nbase_url = "http://127.0.0.1:{port}/dicom-web"\nusername = "{USER}"\n'
                    f'password = "{PASSWORD}"\nstore_results = true\n')
        db_path = os.path.join(tmp, "review.sqlite")
        check(lightbox(env, "review", "list", "--db", db_path).returncode == 0, "the binary creates the review database")
        folder, analysis, headers = prepare(CT_DIR, tmp, "CT")
        findings = [f for f in analysis["findings"] if f.get("id")]
        check(len(findings) >= 2, "the CT analysis has findings to segment")
        decide(db_path, analysis, headers, findings[0], findings[1])
        study_uid = next(iter(headers.values())).StudyInstanceUID
        db = sqlite3.connect(db_path)
        db.execute("INSERT INTO signoffs (reader, at, study_uid, assessment, undecided, forced) VALUES (?,?,?,?,?,?)",
                   ("dr.okafor", "2026-12-01T10:05:00.000Z", study_uid, "Lung-RADS 4A", len(findings) - 2, 0))
        db.commit()
        db.close()

        # The archive is down: the results stay in the outbox.
        r = lightbox(env, "review", "send-results", folder, "--archive", "test", "--db", db_path)
        check(r.returncode == 3 and "queued sr.dcm + seg.dcm for test" in r.stdout,
              f"send-results with the archive down queues the SR and SEG (exit 3): {r.stdout.strip()} {r.stderr.strip()[-200:]}")
        r = lightbox(env, "review", "outbox")
        check(r.returncode == 3 and f"{study_uid} → test: sr.dcm + seg.dcm, 1 try" in r.stdout and "last error" in r.stdout,
              f"review outbox lists the queued job with its error: {r.stdout.strip()[:300]}")
        jobs = os.listdir(os.path.join(tmp, "data/lightbox/outbox"))
        check(len(jobs) == 1, "the job is persisted under $XDG_DATA_HOME/lightbox/outbox")
        queued = {}
        for name in ("sr.dcm", "seg.dcm"):
            ds = pydicom.dcmread(os.path.join(tmp, "data/lightbox/outbox", jobs[0], name), stop_before_pixels=True)
            queued[ds.Modality] = ds.SOPInstanceUID
            if ds.Modality == "SR":
                check(ds.VerificationFlag == "VERIFIED", "the queued SR is VERIFIED (signed)")

        # The archive comes up: a retry sends the job and empties the outbox.
        orthanc = start_orthanc(tmp, port)
        r = lightbox(env, "review", "outbox", "--retry")
        check(r.returncode == 0 and "0 jobs" in r.stdout, f"review outbox --retry sends the job: {r.stdout.strip()[:300]}")
        check(os.listdir(os.path.join(tmp, "data/lightbox/outbox")) == [], "the outbox is empty afterwards")

        # QIDO-RS finds both in the study.
        series = json.loads(get(port, f"/dicom-web/studies/{study_uid}/series"))
        found = {}
        for s in series:
            modality = s.get("00080060", {}).get("Value", [""])[0]
            suid = s["0020000E"]["Value"][0]
            insts = json.loads(get(port, f"/dicom-web/studies/{study_uid}/series/{suid}/instances"))
            found.setdefault(modality, set()).update(i["00080018"]["Value"][0] for i in insts)
        check(found.get("SR") == {queued["SR"]}, f"QIDO finds the SR in the study ({found.get('SR')})")
        check(found.get("SEG") == {queued["SEG"]}, f"QIDO finds the SEG in the study ({found.get('SEG')})")

        # Sent again: the signed reading's SR and SEG keep their UIDs, so the archive still holds one of each.
        r = lightbox(env, "review", "send-results", folder, "--archive", "test", "--db", db_path)
        check(r.returncode == 0 and "sent sr.dcm + seg.dcm" in r.stdout, f"send-results with the archive up sends at once: {r.stdout.strip()}")
        again = {}
        for s in json.loads(get(port, f"/dicom-web/studies/{study_uid}/series")):
            suid = s["0020000E"]["Value"][0]
            insts = json.loads(get(port, f"/dicom-web/studies/{study_uid}/series/{suid}/instances"))
            again.setdefault(s.get("00080060", {}).get("Value", [""])[0], set()).update(i["00080018"]["Value"][0] for i in insts)
        check(again.get("SR") == {queued["SR"]} and again.get("SEG") == {queued["SEG"]},
              "sent twice, the signed reading's SR and SEG are still one of each in the archive (same UIDs)")
        check(not any(PASSWORD in o for o in outputs), "the archive password appears in no output")
    finally:
        if orthanc:
            proc, log = orthanc
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"results_archive: {len(failures)} failure(s)" if failures else "results_archive: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
