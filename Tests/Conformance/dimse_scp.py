#!/usr/bin/env python3
"""Conformance of `lightbox listen` (C-ECHO / C-STORE SCP) against DCMTK's echoscu and storescu.

Run by `make test` (env LIGHTBOX = our binary). On a free loopback port:
  * echoscu echoes; a calling AE not on --allow and a wrong called AE are rejected;
  * storescu pushes sample studies in five transfer syntaxes (J2K, RLE, JPEG lossless SV1, JPEG-LS,
    explicit VR LE); every instance lands in <store>/<StudyUID>/<SOPInstanceUID>.dcm with the data set
    byte-identical to the source file's and a file meta group pydicom reads (same SOP/TS UIDs);
  * a push of an unsupported SOP class (12-lead ECG) is rejected at negotiation, nothing stored;
  * hostile peers (garbage bytes, an oversized PDU length, a C-STORE cut off mid data set) are aborted,
    leave no partial file, and the SCP keeps serving;
  * storescu killed mid-study: what was stored stays complete and readable, nothing partial is left;
  * SIGTERM stops the listener cleanly.
Prints `dimse scp: N passed, M failed`; exits 1 on any failure.
"""
from __future__ import annotations

import glob
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

import pydicom

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(ROOT, "SampleStudies")
AE = "LBXTEST"
passed = failed = 0


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
    """The bytes after the file meta group (preamble + DICM + group 0002)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[128:132] == b"DICM", path
    # (0002,0000) UL: tag(4) VR(2) len(2) value(4) at offset 132.
    group_length = struct.unpack_from("<I", data, 140)[0]
    return data[144 + group_length:]


def pdu(kind: int, body: bytes) -> bytes:
    return struct.pack(">BBI", kind, 0, len(body)) + body


def item(kind: int, value: bytes) -> bytes:
    return struct.pack(">BBH", kind, 0, len(value)) + value


def associate_rq(called: str, calling: str, abstract: str, ts: str) -> bytes:
    body = struct.pack(">HH", 1, 0) + called.ljust(16).encode() + calling.ljust(16).encode() + bytes(32)
    body += item(0x10, b"1.2.840.10008.3.1.1.1")
    body += item(0x20, bytes([1, 0, 0, 0]) + item(0x30, abstract.encode()) + item(0x40, ts.encode()))
    body += item(0x50, item(0x51, struct.pack(">I", 16384)) + item(0x52, b"1.2.3.4"))
    return pdu(0x01, body)


def command_set(elements: list[tuple[int, bytes]]) -> bytes:
    body = b"".join(struct.pack("<HHI", 0, el, len(v)) + v for el, v in elements)
    return struct.pack("<HHII", 0, 0, 4, len(body)) + body


def recv_pdu(sock: socket.socket) -> tuple[int, bytes]:
    head = b""
    while len(head) < 6:
        chunk = sock.recv(6 - len(head))
        if not chunk:
            return -1, b""
        head += chunk
    kind, _, length = struct.unpack(">BBI", head)
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            break
        body += chunk
    return kind, body


class Listener:
    def __init__(self, exe: str, store: str):
        self.port = free_port()
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [exe, "listen", "--host", "127.0.0.1", "--port", str(self.port), "--ae-title", AE,
             "--allow", "STORESCU,ECHOSCU,RAWPEER", "--store", store],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._pump, daemon=True).start()
        deadline = time.time() + 30
        while time.time() < deadline and not any(l.startswith("listening") for l in self.lines):
            if self.proc.poll() is not None:
                raise RuntimeError("listener exited: " + "\n".join(self.lines))
            time.sleep(0.05)

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, predicate, timeout=15.0) -> bool:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(predicate(l) for l in list(self.lines)):
                return True
            time.sleep(0.05)
        return False


def echo(port: int, calling: str, called: str = AE) -> int:
    return subprocess.run(["echoscu", "-aet", calling, "-aec", called, "127.0.0.1", str(port)],
                          capture_output=True, timeout=60).returncode


def storescu(port: int, files: list[str], flags: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(["storescu", "-R", *flags, "-aet", "STORESCU", "-aec", AE, "127.0.0.1", str(port), *files],
                          capture_output=True, text=True, timeout=300)


def check_stored(store: str, files: list[str], label: str) -> None:
    same = 0
    for src in files:
        ds = pydicom.dcmread(src, stop_before_pixels=True)
        dest = os.path.join(store, ds.StudyInstanceUID, ds.SOPInstanceUID + ".dcm")
        if not os.path.exists(dest):
            check(False, f"{label}: {os.path.basename(src)} not stored at {dest}")
            continue
        got = pydicom.dcmread(dest, stop_before_pixels=True)
        meta_ok = (got.file_meta.TransferSyntaxUID == ds.file_meta.TransferSyntaxUID
                   and got.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
                   and got.file_meta.MediaStorageSOPClassUID == ds.SOPClassUID)
        check(meta_ok, f"{label}: {os.path.basename(src)} file meta differs")
        if dataset_bytes(dest) == dataset_bytes(src):
            same += 1
        else:
            check(False, f"{label}: {os.path.basename(src)} data set bytes differ")
    check(same == len(files), f"{label}: {same}/{len(files)} byte-identical")
    print(f"  {label}: {same}/{len(files)} instances byte-identical in their data set")


def main() -> int:
    exe = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
    exe = exe if os.path.isabs(exe) else os.path.join(ROOT, exe)
    if not shutil.which("storescu") or not shutil.which("echoscu"):
        print("FAIL: DCMTK storescu/echoscu not installed")
        return 1
    work = tempfile.mkdtemp(prefix="lightbox-dimse-")
    store = os.path.join(work, "store")
    listener = Listener(exe, store)
    try:
        port = listener.port
        # Echo and AE checks.
        check(echo(port, "ECHOSCU") == 0, "echoscu from an allowed AE")
        check(echo(port, "INTRUDER") != 0, "calling AE not on the allow-list must be rejected")
        check(listener.wait_for(lambda l: "INTRUDER" in l and "rejected" in l), "rejection logged")
        check(echo(port, "ECHOSCU", called="SOMEONEELSE") != 0, "wrong called AE must be rejected")

        # Pushes in five transfer syntaxes.
        pushes = [("05_LDCT_YAMADA_2026", ["-xv"], "J2K lossless CT"),
                  ("11_CT_HEAD_CARLOS_2026", ["-xr"], "RLE CT"),
                  ("12_CT_HEAD_FRANK_2026", ["-xs"], "JPEG lossless SV1 CT"),
                  ("01_MG_ALICE_2024_PRIOR", ["-xt"], "JPEG-LS MG"),
                  ("08_CR_DMITRI_2026", [], "explicit VR LE CR")]
        for folder, flags, label in pushes:
            files = sorted(glob.glob(os.path.join(SAMPLES, folder, "*.dcm")))
            t = time.time()
            r = storescu(port, files, flags)
            check(r.returncode == 0, f"{label}: storescu exit {r.returncode}: {r.stderr[-400:]}")
            print(f"  {label}: {len(files)} instances pushed in {time.time() - t:.2f} s")
            check_stored(store, files, label)

        # Unsupported SOP class: a 12-lead ECG object.
        src = sorted(glob.glob(os.path.join(SAMPLES, "08_CR_DMITRI_2026", "*.dcm")))[0]
        ecg = pydicom.dcmread(src)
        ecg.SOPClassUID = ecg.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.9.1.1"
        ecg.SOPInstanceUID = ecg.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.99999"
        ecg_path = os.path.join(work, "ecg.dcm")
        ecg.save_as(ecg_path)
        r = storescu(port, [ecg_path], [])
        check(r.returncode != 0, "unsupported SOP class push must fail on the SCU side")
        check(listener.wait_for(lambda l: "STORESCU" in l and " 0 context(s) accepted" in l), "unsupported context rejected at negotiation")
        check(not glob.glob(os.path.join(store, "*", "1.2.826.0.1.3680043.8.498.99999.dcm")), "unsupported instance not stored")

        # Hostile peers.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(os.urandom(64) + b"\x09" + os.urandom(200))
            kind, _ = recv_pdu(s)
            check(kind in (7, -1), f"garbage: expected A-ABORT or close, got PDU type {kind}")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"\x04\x00\xff\xff\xff\xff")  # P-DATA-TF announcing 4 GiB
            kind, _ = recv_pdu(s)
            check(kind in (7, -1), f"oversized PDU: expected A-ABORT or close, got PDU type {kind}")
        cut_uid = "1.2.826.0.1.3680043.8.498.77777"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(associate_rq(AE, "RAWPEER", "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.1.2.1"))
            kind, _ = recv_pdu(s)
            check(kind == 2, f"raw peer association accepted (got PDU type {kind})")
            cmd = command_set([(0x0002, b"1.2.840.10008.5.1.4.1.1.1\x00"), (0x0100, struct.pack("<H", 1)),
                               (0x0110, struct.pack("<H", 1)), (0x0700, struct.pack("<H", 0)),
                               (0x0800, struct.pack("<H", 0)), (0x1000, cut_uid.encode())])
            pdv = struct.pack(">IBB", len(cmd) + 2, 1, 0x03) + cmd
            s.sendall(pdu(0x04, pdv))
            half = dataset_bytes(src)[:5000]
            s.sendall(pdu(0x04, struct.pack(">IBB", len(half) + 2, 1, 0x00) + half))
            time.sleep(0.3)
        check(listener.wait_for(lambda l: "RAWPEER" in l and "partial instance discarded" in l), "cut-off C-STORE reported as aborted")
        check(echo(port, "ECHOSCU") == 0, "SCP still serving after hostile peers")
        time.sleep(0.5)
        check(not glob.glob(os.path.join(store, "*", cut_uid + ".dcm")), "cut-off instance not stored")
        check(os.listdir(os.path.join(store, ".incoming")) == [], "no partial files left in .incoming")

        # storescu killed mid-study.
        # (a study not pushed above: 06, 96 JPEG-LS slices)
        files = sorted(glob.glob(os.path.join(SAMPLES, "06_LDCT_DMITRI_2026", "*.dcm")))
        before = len(listener.lines)
        p = subprocess.Popen(["storescu", "-R", "-xt", "-aet", "STORESCU", "-aec", AE, "127.0.0.1", str(port), *files],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        study_uid = pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID
        deadline = time.time() + 30
        while time.time() < deadline and len(glob.glob(os.path.join(store, study_uid, "*.dcm"))) < 5:
            time.sleep(0.01)
        p.kill()
        p.wait()
        check(listener.wait_for(lambda l: "aborted" in l or "released" in l, 10) and len(listener.lines) > before,
              "killed storescu: association end reported")
        time.sleep(0.5)
        kept = glob.glob(os.path.join(store, study_uid, "*.dcm"))
        readable = 0
        by_uid = {pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID: f for f in files}
        for f in kept:
            uid = os.path.basename(f)[:-4]
            if uid in by_uid and dataset_bytes(f) == dataset_bytes(by_uid[uid]):
                readable += 1
        check(0 < len(kept) and readable == len(kept), f"killed storescu: {readable}/{len(kept)} kept instances intact")
        check(os.listdir(os.path.join(store, ".incoming")) == [], "killed storescu: no partial file left")
        print(f"  killed storescu after {len(kept)}/{len(files)} instances: all kept instances intact")
        check(echo(port, "ECHOSCU") == 0, "SCP still serving after a killed SCU")

        listener.proc.send_signal(signal.SIGTERM)
        try:
            rc = listener.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            rc = None
        check(rc == 0, f"listener exits 0 on SIGTERM (got {rc})")
        leaked = [l for l in listener.lines if "ALICE" in l.upper() or "YAMADA" in l.upper()]
        check(not leaked, "patient names must not appear in listener output")
    finally:
        if listener.proc.poll() is None:
            listener.proc.kill()
            listener.proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"dimse scp: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
