#!/usr/bin/env python3
"""Results back to the archive from the workstation itself, end to end in tmux (issue 20).

A real Orthanc (Debian's orthanc + orthanc-dicomweb, on loopback) holds the sample radiograph;
config.toml says `[archives.test] store_results = true`. `lightbox open dicomweb://test` lists the
study; the reader opens it and signs it off (S, an assessment digit, ! when findings are undecided).
Then, without another key, QIDO-RS on Orthanc must find in that study an SR series (our TID 1500, VERIFIED
by the reader) and a SEG series (the AI's masks), sent by the workstation's results outbox, and the
outbox must be empty.

Prints "N passed, M failed"; exits non-zero on failure.
"""
import glob
import json
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
    work = tempfile.mkdtemp(prefix="lightbox-ws-results.")
    session = f"lightbox-ws-results-{os.getpid()}"
    tmux = ["tmux", "-L", session]
    orthanc = None
    try:
        orthanc = Orthanc(work)
        study_uid = None
        for path in sorted(glob.glob(os.path.join(SAMPLES, "07_CXR_YAMADA_2026", "*.dcm"))):
            with open(path, "rb") as f:
                answer = json.loads(orthanc.rest("POST", "/instances", f.read()))
            study_uid = study_uid or json.loads(orthanc.rest("GET", f"/studies/{answer['ParentStudy']}"))["MainDicomTags"]["StudyInstanceUID"]
        os.makedirs(os.path.join(work, "config", "lightbox"))
        with open(os.path.join(work, "config", "lightbox", "config.toml"), "w") as f:
            f.write(f'[archives.test]\nbase_url = "{orthanc.base}/dicom-web"\nusername = "{USER}"\npassword = "{PASSWORD}"\n'
                    "store_results = true\n")
        env = (f"export XDG_CONFIG_HOME='{work}/config' XDG_DATA_HOME='{work}/data' XDG_CACHE_HOME='{work}/cache' "
               f"LIGHTBOX_OUTBOX_INTERVAL=1 TERM=tmux-256color")
        subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "160", "-y", "40",
                               f"cd '{work}' && {env} && exec '{LIGHTBOX}' open dicomweb://test "
                               f"--reader ws-results --protocol blocks --watch 1"], check=True)

        def screen():
            return subprocess.run(tmux + ["capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

        def wait_for(text, seconds=60):
            deadline = time.time() + seconds
            while time.time() < deadline:
                if text.lower() in screen().lower():
                    return True
                time.sleep(0.3)
            return False

        def keys(*k):
            subprocess.run(tmux + ["send-keys", "-t", session, *k])
            time.sleep(0.8)

        check(wait_for("Yamada"), "the archive's radiograph is in the worklist", screen()[-400:])
        keys("Enter")
        time.sleep(2)
        keys("S")
        check(wait_for("assessment", 10), "S asks for the overall assessment", screen()[-400:])
        keys("1")
        deadline = time.time() + 10
        while time.time() < deadline and not any(w in screen().lower() for w in ("undecided", "signed")):
            time.sleep(0.3)
        if "undecided" in screen().lower():
            keys("!")
        check(wait_for("Signed", 10), "the study is signed", screen()[-600:])

        found = {}
        deadline = time.time() + 180
        while time.time() < deadline and not ("SR" in found and "SEG" in found):
            found = {}
            for s in json.loads(orthanc.rest("GET", f"/dicom-web/studies/{study_uid}/series")):
                found[s.get("00080060", {}).get("Value", [""])[0]] = s["0020000E"]["Value"][0]
            time.sleep(1)
        check("SR" in found, "QIDO finds the SR the workstation sent on sign-off", str(found))
        check("SEG" in found, "QIDO finds the SEG the workstation sent on sign-off", str(found))
        if "SR" in found:
            meta = json.loads(orthanc.rest("GET", f"/dicom-web/studies/{study_uid}/series/{found['SR']}/metadata"))
            check(meta and meta[0].get("0040A493", {}).get("Value", [""])[0] == "VERIFIED", "the SR is VERIFIED (signed off)")
        outbox = os.path.join(work, "data", "lightbox", "outbox")
        deadline = time.time() + 10
        while time.time() < deadline and os.path.isdir(outbox) and [d for d in os.listdir(outbox) if not d.startswith(".")]:
            time.sleep(0.5)
        left = [d for d in os.listdir(outbox) if not d.startswith(".")] if os.path.isdir(outbox) else []
        check(left == [], "the results outbox is empty once the archive has them", str(left))
        keys("q")
        keys("q")
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        if orthanc:
            orthanc.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
