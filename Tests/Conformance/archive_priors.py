#!/usr/bin/env python3
"""Priors from the archive (issue 19): a follow-up fetched from a DICOMweb archive brings its prior.

A real Orthanc (as in dicomweb_orthanc.py) holds the sample low-dose CT follow-up and its prior a
year earlier. `lightbox open dicomweb://test --limit 1` asks for one study; the follow-up arrives,
then the mirror finds its prior by QIDO-RS (same Patient ID and modality, dated before it) and
fetches it too, so opening the follow-up shows the prior beside it ("PRIOR · 12 months earlier").

Prints "N passed, M failed"; exits non-zero on failure.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dicomweb_orthanc import ORTHANC, PASSWORD, PLUGIN, SAMPLES, USER, Orthanc  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIGHTBOX = os.path.abspath(os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox")))
FOLLOW_UP, PRIOR = "06_LDCT_DMITRI_2026", "14_LDCT_DMITRI_2025"
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   - {what}")
    else:
        failed += 1
        print(f"FAIL - {what}{': ' + detail if detail else ''}")


def main():
    if not shutil.which("tmux"):
        print("0 passed, 1 failed (tmux not installed)")
        return 1
    if not (os.path.exists(ORTHANC) and os.path.exists(PLUGIN)):
        print("0 passed, 1 failed (orthanc / orthanc-dicomweb not installed)")
        return 1
    work = tempfile.mkdtemp(prefix="lightbox-archive-priors.")
    session = f"lightbox-archive-priors-{os.getpid()}"
    tmux = ["tmux", "-L", session]
    orthanc = None
    try:
        orthanc = Orthanc(work)
        # The follow-up first: with --limit 1 the archive lists it, and the prior must come by QIDO.
        for study in (FOLLOW_UP, PRIOR):
            for path in sorted(glob.glob(os.path.join(SAMPLES, study, "*.dcm"))):
                with open(path, "rb") as f:
                    orthanc.rest("POST", "/instances", f.read())
        os.makedirs(os.path.join(work, "config", "lightbox"))
        with open(os.path.join(work, "config", "lightbox", "config.toml"), "w") as f:
            f.write(f'[archives.test]\nbase_url = "{orthanc.base}/dicom-web"\nusername = "{USER}"\npassword = "{PASSWORD}"\n')
        env = (f"export LIGHTBOX_HOME='{ROOT}' XDG_CONFIG_HOME='{work}/config' XDG_DATA_HOME='{work}/data' "
               f"XDG_CACHE_HOME='{work}/cache' TERM=tmux-256color LANG=C.UTF-8")
        subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "180", "-y", "45",
                               f"cd '{work}' && {env} && exec '{LIGHTBOX}' open dicomweb://test --limit 1 "
                               f"--reader archive-priors --protocol blocks --watch 1"], check=True)

        def screen():
            return subprocess.run(tmux + ["capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

        def logs():
            text = ""
            for path in glob.glob(os.path.join(work, "data", "lightbox", "*.log")):
                with open(path, errors="replace") as f:
                    text += f.read()
            return text

        mirror = os.path.join(work, "cache", "lightbox", "dicomweb", "test")
        deadline = time.time() + 180
        complete = []
        while time.time() < deadline:
            complete = glob.glob(os.path.join(mirror, "*", ".complete"))
            if len(complete) >= 2:
                break
            time.sleep(0.5)
        check(len(complete) == 2, "the follow-up and its prior are both fetched with --limit 1",
              f"{len(complete)} complete; log: {logs()[-500:]}")
        check("1 prior study fetched for comparison" in logs(), "the log says a prior was fetched", logs()[-500:])
        check(os.environ.get("PATIENT", "DMITRI") not in logs().upper(), "the log names no patient")
        # Both join the worklist; the follow-up (newest) is first: open it.
        deadline = time.time() + 90
        while time.time() < deadline and screen().upper().count("DMITRI") < 2:
            time.sleep(0.5)
        check(screen().upper().count("DMITRI") >= 2, "both studies are in the worklist", screen()[-600:])
        # Open only once the worklist holds every image of both: a rescan (--watch 1) can list the
        # prior while the mirror is still writing it, and the comparison hangs only a prior whose
        # volume is there when the follow-up opens. Under load the last rescan can lag the mirror.
        counts = {study: len(glob.glob(os.path.join(SAMPLES, study, "*.dcm"))) for study in (FOLLOW_UP, PRIOR)}
        def rows_complete():
            rows = [line for line in screen().splitlines() if "DMITRI" in line.upper()]
            return len(rows) >= 2 and all(any(f" {n} " in row for n in counts.values()) for row in rows)
        deadline = time.time() + 60
        while time.time() < deadline and not rows_complete():
            time.sleep(0.5)
        time.sleep(1.5)
        subprocess.run(tmux + ["send-keys", "-t", session, "Enter"])
        deadline = time.time() + 60
        while time.time() < deadline and "PRIOR · 12 months earlier" not in screen():
            time.sleep(0.5)
        check("PRIOR · 12 months earlier" in screen(), "the follow-up opens beside the prior fetched from the archive",
              screen()[-800:])
        subprocess.run(tmux + ["send-keys", "-t", session, "q"])
        time.sleep(0.5)
        subprocess.run(tmux + ["send-keys", "-t", session, "Q"])
        time.sleep(0.5)
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        if orthanc:
            orthanc.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
