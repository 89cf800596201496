#!/usr/bin/env python3
"""Issue 18's install check: `make install PREFIX=<temp>`, then, from `/` and with a fresh HOME (so
no per-user install or LIGHTBOX_HOME can help), the installed binary finds its own Models, Themes
and SampleStudies: `lightbox doctor` says so, `lightbox models` lists the models, and `lightbox
analyze` on an installed sample runs a model. A binary with nothing beside it says where it looked
(exit 20). `make uninstall` removes the install. Prints `install: N passed, M failed`."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
passed = failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
    print(("ok   - " if cond else "FAIL - ") + msg, flush=True)


def main():
    tmp = tempfile.mkdtemp(prefix="lightbox-install-")
    try:
        prefix = os.path.join(tmp, "prefix")
        p = subprocess.run(["make", "-s", "-C", REPO, "install", f"PREFIX={prefix}"], capture_output=True, text=True, timeout=1800)
        binary = os.path.join(prefix, "bin", "lightbox")
        share = os.path.join(prefix, "share", "lightbox")
        check(p.returncode == 0 and os.access(binary, os.X_OK) and all(os.path.isdir(os.path.join(share, d))
              for d in ("Models", "Themes", "SampleStudies")),
              f"make install PREFIX=…: bin/lightbox and share/lightbox/{{Models,Themes,SampleStudies}} (exit {p.returncode}) {p.stderr[-200:]}")
        env = {k: v for k, v in os.environ.items() if k not in ("LIGHTBOX_HOME", "XDG_DATA_HOME", "LIGHTBOX_REVIEW_DB")}
        env["HOME"] = os.path.join(tmp, "home")
        os.makedirs(env["HOME"])

        def run(*args, exe=binary):
            return subprocess.run([exe, *args], capture_output=True, text=True, cwd="/", env=env, timeout=600)

        d = run("doctor")
        check(d.returncode == 0 and f"{share}/Models (beside the binary)" in d.stdout and "sha256 ok" in d.stdout,
              f"from /: doctor finds the installed models beside the binary (exit {d.returncode})")
        m = run("models", "--json")
        try:
            ids = sorted(x["id"] for x in json.loads(m.stdout))
        except (json.JSONDecodeError, KeyError, TypeError):
            ids = []
        check(m.returncode == 0 and len(ids) >= 4 and all(x.startswith(share) for x in
              [y["model_file"] for y in json.loads(m.stdout)]), f"from /: models lists the installed models ({', '.join(ids)})")
        sample = os.path.join(share, "SampleStudies", "07_CXR_YAMADA_2026")
        a = run("analyze", sample, "--json", "--no-cache")
        try:
            runs = json.loads(a.stdout)["runs"]
        except (json.JSONDecodeError, KeyError):
            runs = []
        check(a.returncode in (0, 10) and any((r.get("model") or {}).get("id") == "cxr-abnormality-v1" for r in runs),
              f"from /: analyze on an installed sample runs the installed radiograph model (exit {a.returncode})")
        bare = os.path.join(tmp, "bare", "bin")
        os.makedirs(bare)
        shutil.copy2(binary, bare)
        n = run("analyze", sample, exe=os.path.join(bare, "lightbox"))
        check(n.returncode == 20 and "looked in" in n.stderr and "share/lightbox/Models" in n.stderr,
              f"a binary with no models beside it says where it looked (exit {n.returncode}): {n.stderr.strip()[:160]}")
        dn = run("doctor", exe=os.path.join(bare, "lightbox"))
        check(dn.returncode == 1 and "MISSING" in dn.stdout, f"doctor on that binary reports the missing folders (exit {dn.returncode})")
        u = subprocess.run(["make", "-s", "-C", REPO, "uninstall", f"PREFIX={prefix}"], capture_output=True, text=True, timeout=120)
        check(u.returncode == 0 and not os.path.exists(binary) and not os.path.exists(share),
              f"make uninstall removes bin/lightbox and share/lightbox (exit {u.returncode})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"install: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
