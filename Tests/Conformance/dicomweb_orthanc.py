#!/usr/bin/env python3
"""Conformance of the DICOMweb client (`lightbox ls`, `pull`, `stow`) against a real Orthanc.

Run by `make test` (env LIGHTBOX = our binary). Starts Debian's Orthanc with the DICOMweb plugin on
127.0.0.1 (free HTTP and DICOM ports, temporary storage, HTTP basic auth), configured as
`[archives.test]` in a temporary $XDG_CONFIG_HOME/lightbox/config.toml, and checks:
  * the sample studies uploaded through Orthanc's REST API are all found by QIDO (`lightbox ls --json`),
    and the filters (modality, patient ID, patient name wildcard, date range, accession) return exactly
    the studies the local files say they should;
  * `lightbox pull` of a study writes every instance, byte-identical in its data set to the local file,
    with equal decoded pixels (pydicom);
  * our TID 1500 SR (`lightbox review export --sr`) for a sample study, uploaded with `lightbox stow`, is
    found again by QIDO (modality SR in that study) and pulled back byte-identical;
  * a wrong password gives HTTP 401 and exit 3, and no password appears in any output;
  * faults: a malformed multipart body, a body without a boundary, a body cut short, a non-JSON QIDO
    answer and a slow server (all from a small local http.server) give clear errors and no crash;
    Orthanc killed mid-retrieval gives a clear message and the instances received before it stay intact;
    a stopped archive gives "connection failed".
Prints `dicomweb orthanc: N passed, M failed`; exits 1 on any failure.
"""
from __future__ import annotations

import base64
import glob
import http.server
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import numpy as np
import pydicom

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(ROOT, "SampleStudies")
ORTHANC = "/usr/sbin/Orthanc"
PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
USER, PASSWORD = "reader", "Pw-7f3a9c1e"
passed = failed = 0
outputs: list[str] = []


def check(ok: bool, what: str) -> None:
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dataset_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        data = f.read()
    group_length = struct.unpack_from("<I", data, 140)[0]
    return data[144 + group_length:]


class Lightbox:
    def __init__(self, exe: str, env: dict):
        self.exe, self.env = exe, env

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        p = subprocess.run([self.exe, *args], capture_output=True, text=True, timeout=timeout, env=self.env)
        outputs.append(p.stdout + p.stderr)
        check(p.returncode >= 0 and "Fatal error" not in p.stderr, f"lightbox {' '.join(args[:2])} crashed: rc {p.returncode} {p.stderr[-300:]}")
        return p

    def ls(self, *args: str) -> list[dict]:
        p = self.run("ls", "dicomweb://test", "--json", *args)
        if p.returncode != 0:
            check(False, f"ls {args}: rc {p.returncode}: {p.stderr[-300:]}")
            return []
        return json.loads(p.stdout)["studies"]


class Orthanc:
    def __init__(self, work: str):
        self.http, self.dicom = free_port(), free_port()
        storage = os.path.join(work, "orthanc-db")
        os.makedirs(storage)
        config = {
            "Name": "LightboxTest", "StorageDirectory": storage, "IndexDirectory": storage,
            "HttpPort": self.http, "DicomPort": self.dicom, "DicomAet": "ORTHANC",
            "RemoteAccessAllowed": False, "AuthenticationEnabled": True, "RegisteredUsers": {USER: PASSWORD},
            "Plugins": [PLUGIN], "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
            "HttpCompressionEnabled": False, "StorageCompression": False, "ConcurrentJobs": 1,
        }
        self.config_path = os.path.join(work, "orthanc.json")
        with open(self.config_path, "w") as f:
            json.dump(config, f)
        self.log = open(os.path.join(work, "orthanc.log"), "w")
        self.proc = subprocess.Popen([ORTHANC, self.config_path], stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.http}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                self.rest("GET", "/system")
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("Orthanc exited; see " + self.log.name)
                time.sleep(0.2)
        raise RuntimeError("Orthanc did not start")

    def rest(self, method: str, path: str, data: bytes | None = None) -> bytes:
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class KillingProxy:
    """Forwards one HTTP exchange to Orthanc; after `limit` response bytes it kills Orthanc (SIGKILL)
    and drops the connection, as an archive crashing mid-retrieval would."""

    def __init__(self, orthanc: Orthanc, limit: int):
        self.orthanc, self.limit = orthanc, limit
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.forwarded = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.orthanc.http))
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = client.recv(65536)
                if not chunk:
                    break
                request += chunk
            upstream.sendall(request)
            while True:
                chunk = upstream.recv(16384)
                if not chunk:
                    break
                client.sendall(chunk)
                self.forwarded += len(chunk)
                if self.forwarded >= self.limit:
                    self.orthanc.proc.kill()
                    break
                time.sleep(0.002)
            upstream.close()
            client.close()


def fake_server(routes: dict) -> tuple[http.server.ThreadingHTTPServer, int]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?")[0]
            for prefix, (delay, status, headers, body) in routes.items():
                if path.startswith(prefix):
                    time.sleep(delay)
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    try:
                        self.wfile.write(body)
                    except OSError:
                        pass
                    return
            self.send_response(404)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def our_sr(lb: "Lightbox", study_dir: str, work: str) -> str | None:
    """Our own TID 1500 report for `study_dir`: a review database with one accepted AI finding and a
    sign-off (as the workstation records them), exported by `lightbox review export --sr`."""
    import sqlite3
    db_path = os.path.join(work, "review.sqlite")
    if lb.run("review", "list", "--db", db_path).returncode != 0:
        return None
    with open(os.path.join(study_dir, "ground_truth.json")) as f:
        truth = json.load(f)
    lesion = truth["lesions"][0]
    db = sqlite3.connect(db_path)
    db.execute("""INSERT INTO decisions (reader, at, study_uid, series_uid, sop_uid, finding_key, source, label, probability,
                  risk, center_x, center_y, slice, width, height, diameter_mm, model_id, model_version, model_sha256, decision)
                  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
               ("dr.test", "2026-11-28T00:10:00.000Z", truth["study_instance_uid"], truth["series"][0]["series_instance_uid"],
                lesion["sop_instance_uid"], "lung-nodule-demo:1", "ai", lesion["label"], 0.9, "high",
                lesion["center_px"][0], lesion["center_px"][1], lesion["instance_number"] - 1, 0, 0, 12.0,
                "lung-nodule-demo", "0.3.1", "ab" * 32, "accept"))
    db.execute("INSERT INTO signoffs (reader, at, study_uid, assessment, undecided, forced) VALUES (?,?,?,?,?,?)",
               ("dr.test", "2026-11-28T00:15:00.000Z", truth["study_instance_uid"], "Lung-RADS 4B", 0, 0))
    # The lesion's image marked as a key image, in a soft-tissue window (as the viewer's * records it).
    db.execute("""INSERT INTO key_images (reader, at, study_uid, series_uid, sop_uid, frame, note, window_center, window_width, inverted)
                  VALUES (?,?,?,?,?,?,?,?,?,?)""",
               ("dr.test", "2026-11-28T00:12:00.000Z", truth["study_instance_uid"], truth["series"][0]["series_instance_uid"],
                lesion["sop_instance_uid"], 0, "nodule", 40, 400, 0))
    db.commit()
    db.close()
    sr = os.path.join(work, "report.dcm")
    p = lb.run("review", "export", study_dir, "--db", db_path, "--sr", sr,
               "--kos", os.path.join(work, "key-images.dcm"), "--gsps", os.path.join(work, "key-view.dcm"))
    return sr if p.returncode == 0 and os.path.exists(sr) else None


def main() -> int:
    exe = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
    exe = exe if os.path.isabs(exe) else os.path.join(ROOT, exe)
    if not (os.path.exists(ORTHANC) and os.path.exists(PLUGIN)):
        print("FAIL: Debian packages orthanc and orthanc-dicomweb are required (make apt)")
        return 1
    work = tempfile.mkdtemp(prefix="lightbox-dicomweb-")
    orthanc = None
    servers = []
    try:
        orthanc = Orthanc(work)
        cfg = os.path.join(work, "config", "lightbox")
        os.makedirs(cfg)
        with open(os.path.join(cfg, "config.toml"), "w") as f:
            f.write(f'[keys]\n\n[archives.test]\nbase_url = "{orthanc.base}/dicom-web"\n'
                    f'username = "{USER}"\npassword = "{PASSWORD}"\n')
            f.write(f'\n[archives.wrong]\nbase_url = "{orthanc.base}/dicom-web"\nusername = "{USER}"\npassword = "nope-{PASSWORD[::-1]}"\n')
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"), XDG_CACHE_HOME=os.path.join(work, "cache"))
        lb = Lightbox(exe, env)

        # Local truth.
        local: dict[str, dict] = {}
        files_by_study: dict[str, list[str]] = {}
        for path in sorted(glob.glob(os.path.join(SAMPLES, "*", "*.dcm"))):
            ds = pydicom.dcmread(path, stop_before_pixels=True)
            local.setdefault(ds.StudyInstanceUID, {"PatientID": ds.PatientID, "PatientName": str(ds.PatientName),
                                                   "StudyDate": ds.StudyDate, "AccessionNumber": ds.AccessionNumber,
                                                   "Modalities": set()})["Modalities"].add(ds.Modality)
            files_by_study.setdefault(ds.StudyInstanceUID, []).append(path)
        t = time.time()
        for path in sum(files_by_study.values(), []):
            with open(path, "rb") as f:
                orthanc.rest("POST", "/instances", f.read())
        print(f"  uploaded {sum(len(v) for v in files_by_study.values())} instances to Orthanc in {time.time() - t:.1f} s")

        # QIDO through lightbox ls.
        studies = lb.ls()
        check({s["studyInstanceUID"] for s in studies} == set(local), f"ls finds all {len(local)} studies (got {len(studies)})")
        by_uid = {s["studyInstanceUID"]: s for s in studies}
        for uid, truth in local.items():
            s = by_uid.get(uid, {})
            check(s.get("patientID") == truth["PatientID"] and s.get("studyDate") == truth["StudyDate"]
                  and set(s.get("modalities", [])) == truth["Modalities"], f"study {uid} attributes")
        expect = lambda pred: {u for u, t in local.items() if pred(t)}
        got = lambda studies: {s["studyInstanceUID"] for s in studies}
        check(got(lb.ls("--modality", "MG")) == expect(lambda t: "MG" in t["Modalities"]), "QIDO modality MG")
        one = sorted(local)[0]
        check(got(lb.ls("--patient-id", local[one]["PatientID"])) == expect(lambda t: t["PatientID"] == local[one]["PatientID"]), "QIDO patient ID")
        family = local[one]["PatientName"].split("^")[0]
        check(got(lb.ls("--patient-name", family + "*")) == expect(lambda t: t["PatientName"].split("^")[0] == family), "QIDO patient name wildcard")
        check(got(lb.ls("--accession", local[one]["AccessionNumber"])) == {one}, "QIDO accession")
        dates = sorted(t["StudyDate"] for t in local.values())
        lo, hi = dates[len(dates) // 3], dates[2 * len(dates) // 3]
        check(got(lb.ls("--date", f"{lo}-{hi}")) == expect(lambda t: lo <= t["StudyDate"] <= hi), "QIDO date range")
        p = lb.run("ls", "dicomweb://test", "--date", "2026-01-01")
        check(p.returncode == 2 and "YYYYMMDD" in p.stderr, "bad date is refused before sending")
        p = lb.run("ls", "dicomweb://wrong")
        check(p.returncode == 3 and "401" in p.stderr, f"wrong password: HTTP 401, exit 3 (rc {p.returncode}: {p.stderr.strip()[:200]})")
        p = lb.run("ls", "dicomweb://nosuch")
        check(p.returncode == 2 and "no archive named nosuch" in p.stderr, "unknown archive name")

        # WADO through lightbox pull.
        ct = next(u for u, f in files_by_study.items() if "06_LDCT" in f[0])
        dest = os.path.join(work, "pulled")
        p = lb.run("pull", "dicomweb://test", ct, "--to", dest, "--json")
        check(p.returncode == 0, f"pull rc {p.returncode}: {p.stderr[-300:]}")
        if p.returncode == 0:
            summary = json.loads(p.stdout)
            print(f"  pulled {summary['instances']} instances in {summary['totalSeconds']:.2f} s (first after {summary['firstInstanceSeconds']:.3f} s)")
        same_bytes = same_pixels = 0
        for src in files_by_study[ct]:
            d = pydicom.dcmread(src)
            got_path = os.path.join(dest, ct, d.SOPInstanceUID + ".dcm")
            if not os.path.exists(got_path):
                continue
            same_bytes += dataset_bytes(got_path) == dataset_bytes(src)
            same_pixels += np.array_equal(pydicom.dcmread(got_path).pixel_array, d.pixel_array)
        n = len(files_by_study[ct])
        check(same_bytes == n, f"pull: {same_bytes}/{n} data sets byte-identical")
        check(same_pixels == n, f"pull: {same_pixels}/{n} pixel arrays equal")
        print(f"  pull: {same_bytes}/{n} data sets byte-identical, {same_pixels}/{n} pixel arrays equal")

        # STOW our TID 1500 SR (lightbox review export) and find it again by QIDO.
        target = next(u for u, f in files_by_study.items() if "05_LDCT" in f[0])
        sr_path = our_sr(lb, os.path.join(SAMPLES, "05_LDCT_YAMADA_2026"), work)
        check(sr_path is not None, "lightbox review export --sr writes our report")
        if sr_path:
            sr = pydicom.dcmread(sr_path, stop_before_pixels=True)
            check(sr.StudyInstanceUID == target, "our SR belongs to the sample study")
            # The SR goes up with the key object selection and the presentation state exported beside it.
            kos_path, gsps_path = os.path.join(work, "key-images.dcm"), os.path.join(work, "key-view.dcm")
            kos, gsps = (pydicom.dcmread(x, stop_before_pixels=True) for x in (kos_path, gsps_path))
            p = lb.run("stow", "dicomweb://test", sr_path, kos_path, gsps_path)
            check(p.returncode == 0 and all(f"stored {d.SOPInstanceUID}" in p.stdout for d in (sr, kos, gsps)),
                  f"stow of SR + KOS + GSPS: rc {p.returncode}: {p.stdout[-300:]} {p.stderr[-200:]}")
            found = lb.ls("--modality", "SR")
            check(got(found) == {target} and "SR" in found[0]["modalities"], f"QIDO finds the stored SR in its study ({got(found)})")
            for modality in ("KO", "PR"):
                found = lb.ls("--modality", modality)
                check(got(found) == {target}, f"QIDO finds the stored {modality} object in the same study ({got(found)})")
            back = os.path.join(work, "sr-back")
            p = lb.run("pull", "dicomweb://test", target, "--series", sr.SeriesInstanceUID, "--to", back)
            fetched = os.path.join(back, target, sr.SOPInstanceUID + ".dcm")
            check(p.returncode == 0 and os.path.exists(fetched) and dataset_bytes(fetched) == dataset_bytes(sr_path),
                  "the SR pulled back by WADO is byte-identical in its data set")
        p = lb.run("stow", "dicomweb://test", os.path.join(SAMPLES, "05_LDCT_YAMADA_2026", "ground_truth.json"))
        check(p.returncode == 2 and "not a DICOM Part 10" in p.stderr, "stow of a non-DICOM file refused")

        # Faults from a small local server.
        good = files_by_study[ct][0]
        with open(good, "rb") as f:
            good_bytes = f.read()
        mp = lambda b: {"Content-Type": f'multipart/related; type="application/dicom"; boundary={b}'}
        routes = {
            "/bad/dicom-web/studies/1.2.3": (0, 200, mp("XYZ"), b"--XYZ\r\nContent-Type: application/dicom\r\n\r\n" + good_bytes
                                             + b"\r\n--XYZ\r\nContent-Type: application/dicom\r\n\r\nthis is not DICOM\r\n--XYZ--\r\n"),
            "/noboundary/dicom-web/studies/1.2.3": (0, 200, {"Content-Type": "multipart/related"}, b"whatever"),
            "/cut/dicom-web/studies/1.2.3": (0, 200, mp("XYZ"), b"--XYZ\r\n\r\n" + good_bytes + b"\r\n--XYZ\r\n\r\n" + good_bytes[:5000]),
            "/garbage/dicom-web/studies/1.2.3": (0, 200, mp("XYZ"), os.urandom(4096)),
            "/notjson/dicom-web/studies": (0, 200, {"Content-Type": "application/dicom+json"}, b"<html>oops</html>"),
            "/slow/dicom-web/studies": (6, 200, {"Content-Type": "application/dicom+json"}, b"[]"),
        }
        server, port = fake_server(routes)
        servers.append(server)
        base = f"http://127.0.0.1:{port}"
        for name, expect_text in [("bad", "part 2 is not a DICOM Part 10 file"), ("noboundary", "no multipart boundary"),
                                  ("cut", "ended early"), ("garbage", "malformed multipart")]:
            out = os.path.join(work, "fault-" + name)
            p = lb.run("pull", f"{base}/{name}/dicom-web", "1.2.3", "--to", out)
            check(p.returncode == 3 and expect_text in p.stderr, f"{name} multipart: rc {p.returncode}, {p.stderr.strip()[:200]}")
            if name in ("bad", "cut"):
                kept = glob.glob(os.path.join(out, "*", "*.dcm"))
                check(len(kept) == 1 and open(kept[0], "rb").read() == good_bytes, f"{name}: the complete first instance is kept")
            print(f"  fault {name}: {p.stderr.strip().splitlines()[0][:150]}")
        p = lb.run("ls", f"{base}/notjson/dicom-web")
        check(p.returncode == 3 and "not JSON" in p.stderr, f"non-JSON QIDO answer: {p.stderr.strip()[:200]}")
        t = time.time()
        p = lb.run("pull", f"{base}/slow/dicom-web", "1.2.3", "--to", os.path.join(work, "slow"), "--timeout", "1")
        check(p.returncode == 3, f"slow server: rc {p.returncode} {p.stderr.strip()[:200]}")
        p = lb.run("ls", f"{base}/slow/dicom-web")
        check(p.returncode == 0, f"slow server within the default timeout answers: rc {p.returncode} {p.stderr[-200:]}")
        print(f"  fault slow server: handled in {time.time() - t:.1f} s")

        # Orthanc killed mid-retrieval (through a proxy that kills it after ~1.5 MB).
        proxy = KillingProxy(orthanc, 1_500_000)
        out = os.path.join(work, "killed")
        p = lb.run("pull", f"http://{USER}:{PASSWORD}@127.0.0.1:{proxy.port}/dicom-web", ct, "--to", out)
        kept = glob.glob(os.path.join(out, ct, "*.dcm"))
        check(p.returncode == 3 and ("ended early" in p.stderr or "connection failed" in p.stderr),
              f"Orthanc killed mid-retrieval: clear message (rc {p.returncode}: {p.stderr.strip()[:200]})")
        local_by_sop = {pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID: f for f in files_by_study[ct]}
        intact = sum(dataset_bytes(k) == dataset_bytes(local_by_sop[os.path.basename(k)[:-4]]) for k in kept)
        check(0 < len(kept) < n and intact == len(kept), f"killed mid-retrieval: {intact}/{len(kept)} kept instances intact")
        check(not glob.glob(os.path.join(out, ct, ".*.part")), "no partial file left")
        print(f"  Orthanc killed mid-retrieval: {len(kept)}/{n} instances kept intact; message: {p.stderr.strip().splitlines()[0][:160]}")
        orthanc.proc.wait(timeout=10)
        p = lb.run("ls", "dicomweb://test")
        check(p.returncode == 3 and "connection failed" in p.stderr, f"stopped archive: {p.stderr.strip()[:200]}")

        leaked = [o for o in outputs if PASSWORD in o or PASSWORD[::-1] in o]
        check(not leaked, "the password never appears in lightbox output")
    finally:
        for s in servers:
            s.shutdown()
        if orthanc:
            orthanc.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"dicomweb orthanc: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
