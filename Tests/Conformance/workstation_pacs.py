#!/usr/bin/env python3
"""The workstation fed by a PACS, end to end in tmux.

A real Orthanc (Debian's orthanc + orthanc-dicomweb, started here on loopback) holds two sample
studies. `lightbox open dicomweb://test --listen PORT` must list them in its worklist as WADO-RS
brings them in, then a study pushed by DCMTK's storescu to the workstation's own C-STORE SCP must
join the worklist too, without a key press. The archive password never reaches the screen or the
workstation's log, and opening a study received over the network shows its images. Reopened with a
tiny --cache-limit, the local copy is pruned and fetching stops once it is full.

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
from dicomweb_orthanc import ORTHANC, PASSWORD, PLUGIN, SAMPLES, USER, Orthanc, free_port  # noqa: E402

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
    for tool in ("tmux", "storescu"):
        if not shutil.which(tool):
            print(f"0 passed, 1 failed ({tool} not installed)")
            return 1
    if not (os.path.exists(ORTHANC) and os.path.exists(PLUGIN)):
        print("0 passed, 1 failed (orthanc / orthanc-dicomweb not installed)")
        return 1
    work = tempfile.mkdtemp(prefix="lightbox-ws-pacs.")
    session = f"lightbox-ws-pacs-{os.getpid()}"
    tmux = ["tmux", "-L", session]
    servers = [session]
    orthanc = None
    try:
        orthanc = Orthanc(work)
        for study in ("07_CXR_YAMADA_2026", "11_CT_HEAD_CARLOS_2026"):
            for path in sorted(glob.glob(os.path.join(SAMPLES, study, "*.dcm"))):
                with open(path, "rb") as f:
                    orthanc.rest("POST", "/instances", f.read())
        os.makedirs(os.path.join(work, "config", "lightbox"))
        with open(os.path.join(work, "config", "lightbox", "config.toml"), "w") as f:
            f.write(f'[archives.test]\nbase_url = "{orthanc.base}/dicom-web"\nusername = "{USER}"\npassword = "{PASSWORD}"\n')
        port = free_port()
        env = (f"export XDG_CONFIG_HOME='{work}/config' XDG_DATA_HOME='{work}/data' XDG_CACHE_HOME='{work}/cache' "
               f"TERM=tmux-256color")
        subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "160", "-y", "40",
                               f"cd '{work}' && {env} && exec '{LIGHTBOX}' open dicomweb://test --listen {port} "
                               f"--ae-title LBXWS --reader pacs-e2e --protocol blocks --watch 1"], check=True)

        def screen():
            return subprocess.run(tmux + ["capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

        def wait_for(text, seconds=60):
            deadline = time.time() + seconds
            while time.time() < deadline:
                if text.lower() in screen().lower():
                    return True
                time.sleep(0.3)
            return False

        check(wait_for("Yamada"), "the archive's radiograph joins the worklist", screen()[-400:])
        check(wait_for("CARLOS"), "the archive's head CT joins the worklist", screen()[-400:])
        check("FANT" not in screen().upper(), "a study not in the archive is not listed")

        # A modality pushes a third study (JPEG-LS, as stored) to the workstation's own SCP.
        files = sorted(glob.glob(os.path.join(SAMPLES, "10_CT_HEAD_HELENE_2026", "*.dcm")))
        push = subprocess.run(["storescu", "-R", "-xt", "-aet", "MODALITY", "-aec", "LBXWS", "127.0.0.1", str(port), *files],
                              capture_output=True, text=True, timeout=180)
        check(push.returncode == 0, "storescu pushes a study to lightbox open --listen", push.stderr[-300:])
        check(wait_for("FANT", 30), "the pushed study joins the worklist without a key press", screen()[-400:])
        received = glob.glob(os.path.join(work, "data", "lightbox", "received", "*", "*.dcm"))
        check(len(received) == len(files), "every pushed instance is stored", f"{len(received)} of {len(files)}")
        check(wait_for("Yamada", 5) and wait_for("CARLOS", 5), "the archive's studies are still listed")

        # Open the worklist's first study (the rows are all network studies) and see images.
        subprocess.run(tmux + ["send-keys", "-t", session, "Enter"])
        time.sleep(3)
        shown = screen()
        check("▀" in shown or "▄" in shown, "a network study opens with its images drawn")
        subprocess.run(tmux + ["send-keys", "-t", session, "q"])
        time.sleep(1)

        def read_logs():
            text = ""
            for path in glob.glob(os.path.join(work, "data", "lightbox", "*.log")):
                with open(path, errors="replace") as f:
                    text += f.read()
            return text

        logs = read_logs()
        check(PASSWORD not in shown and PASSWORD not in logs, "the archive password appears neither on screen nor in the log")

        # The local copy is a cache with a size limit: reopened with a tiny limit, the complete
        # studies are pruned first and fetching stops after one study.
        mirror = os.path.join(work, "cache", "lightbox", "dicomweb", "test")
        before = [d for d in os.listdir(mirror) if glob.glob(os.path.join(mirror, d, "*.dcm"))]
        check(len(before) == 2, "both archive studies were cached", str(before))
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        # A second private tmux server: reusing the first socket races with its shutdown.
        session = session + "-b"
        tmux[:] = ["tmux", "-L", session]
        servers.append(session)
        subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "160", "-y", "40",
                               f"cd '{work}' && {env} && exec '{LIGHTBOX}' open dicomweb://test --cache-limit 0.0001 "
                               f"--reader pacs-e2e --protocol blocks --watch 1"], check=True)
        # Generous: under a loaded CI machine the second start, its scan and the prune take a while.
        deadline = time.time() + 150
        while time.time() < deadline and "cache is full" not in read_logs():
            time.sleep(0.3)
        check("cache is full" in read_logs(), "fetching stops when the cache is full",
              "log tail: " + read_logs()[-600:] + " | screen: " + screen()[-400:])
        after = [d for d in os.listdir(mirror) if glob.glob(os.path.join(mirror, d, "*.dcm"))]
        check(len(after) == 1, "only one study is kept under a 100 KiB limit", str(after))
        subprocess.run(tmux + ["send-keys", "-t", session, "q"])
        time.sleep(1)
    finally:
        for name in servers:
            subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True)
        if orthanc:
            orthanc.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
