#!/usr/bin/env python3
"""Conformance check of the study index store with real processes (run by `make test`; env LIGHTBOX).

Writes a few hundred small DICOM files with pydicom, then, with XDG_CACHE_HOME in a temporary folder:
  * two `lightbox ls --json` processes at once, four rounds, with files changed, added and deleted
    between rounds: each process's listing equals `ls --json --no-cache` of the same tree (the
    store never hides a change, and a scanner that lost the write lock still lists everything);
  * each round, before and after the JSON scans, the paged text listing (`lightbox ls`: one header
    per series decoded, counts from the store) equals `ls --no-cache`'s line for line, but for the
    timing line;
  * afterwards the database passes `PRAGMA integrity_check`, is in WAL mode, and a quiet rescan
    serves every file from the store;
  * the folder is 0700 and index.sqlite (and any -wal/-shm) 0600;
  * garbage written over the database: the next `ls` lists the same, prints one line on stderr that
    the store was rebuilt (no patient name in it), and the one after serves from the store again.
Prints `study index store: N passed, M failed`; exits 1 on any failure.
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PATIENT = "STORE^CONFORMANCE"
passed, failed = 0, 0


def check(ok: bool, what: str) -> None:
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


def write(path: str, study: int, series: int, number: int) -> None:
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = f"2.25.81{study}{series}{number:05d}"
    ds.StudyInstanceUID = f"2.25.810{study}"
    ds.SeriesInstanceUID = f"2.25.811{study}{series}"
    ds.PatientName, ds.PatientID, ds.Modality = PATIENT, "STORE-1", "CT"
    ds.StudyDate = f"2026010{study + 1}"
    ds.SeriesNumber, ds.InstanceNumber = series + 1, number
    ds.Rows, ds.Columns = 2, 2
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.save_as(path, enforce_file_format=True)


def listing(exe: str, tree: str, env: dict, no_cache: bool = False) -> tuple[dict, str]:
    args = [exe, "ls", "--json", tree] + (["--no-cache"] if no_cache else [])
    p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: exit {p.returncode}: {p.stderr[:300]}")
    return json.loads(p.stdout), p.stderr


def text_listing(exe: str, tree: str, env: dict, no_cache: bool = False) -> list[str]:
    """`lightbox ls` as text, without its last line (time and cache counts)."""
    args = [exe, "ls", tree] + (["--no-cache"] if no_cache else [])
    p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: exit {p.returncode}: {p.stderr[:300]}")
    return p.stdout.splitlines()[:-1]


def canonical(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in ("seconds", "cached")}


def main() -> int:
    exe = os.environ.get("LIGHTBOX")
    if not exe:
        print("study index store: skipped (LIGHTBOX not set)")
        return 0
    exe = exe if os.path.isabs(exe) else os.path.join(ROOT, exe)
    with tempfile.TemporaryDirectory(prefix="lightbox-store-") as tmp:
        tree, cache = os.path.join(tmp, "tree"), os.path.join(tmp, "cache")
        for study in range(3):
            for series in range(2):
                for n in range(50):
                    write(os.path.join(tree, f"s{study}", f"se{series}", f"im{n:03d}.dcm"), study, series, n + 1)
        with open(os.path.join(tree, "notes.bin"), "w") as f:
            f.write("not dicom")
        env = dict(os.environ, XDG_CACHE_HOME=cache)
        for rnd in range(4):
            reference, _ = listing(exe, tree, env, no_cache=True)
            reference_text = text_listing(exe, tree, env, no_cache=True)
            # Paged before the JSON scans: the last round's changes are read beside stored rows.
            check(text_listing(exe, tree, env) == reference_text, f"round {rnd}: paged text listing (changed files) differs from --no-cache")
            procs = [subprocess.Popen([exe, "ls", "--json", tree], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, env=env) for _ in range(2)]
            for k, p in enumerate(procs):
                out, err = p.communicate(timeout=120)
                check(p.returncode == 0, f"round {rnd} process {k}: exit {p.returncode} {err[:200]}")
                check(p.returncode == 0 and canonical(json.loads(out)) == canonical(reference),
                      f"round {rnd} process {k}: listing differs from --no-cache")
            paged = text_listing(exe, tree, env)
            check(paged == reference_text and len(paged) > 6, f"round {rnd}: paged text listing differs from --no-cache")
            # Change the tree for the next round: one file rewritten, one added, one deleted.
            write(os.path.join(tree, "s0", "se0", f"im{rnd:03d}.dcm"), 0, 0, 1000 + rnd)
            write(os.path.join(tree, "s2", "se1", f"new{rnd}.dcm"), 2, 1, 2000 + rnd)
            os.remove(os.path.join(tree, "s1", "se0", f"im{10 + rnd:03d}.dcm"))
        db = os.path.join(cache, "lightbox", "index.sqlite")
        con = sqlite3.connect(db)
        check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check after concurrent rounds")
        check(con.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "WAL mode")
        con.close()
        reference, _ = listing(exe, tree, env, no_cache=True)
        files = sum(len(s["instances"]) for st in reference["studies"] for s in st["series"]) + len(reference["unreadable"])
        listing(exe, tree, env)  # saves the last round's changes
        quiet, _ = listing(exe, tree, env)
        check(canonical(quiet) == canonical(reference), "quiet rescan lists the same")
        check(quiet["cached"] == files, f"quiet rescan: {quiet['cached']} of {files} files from the store")
        mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)
        check(mode(os.path.dirname(db)) == 0o700, f"folder mode {oct(mode(os.path.dirname(db)))}")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                check(mode(db + suffix) == 0o600, f"index.sqlite{suffix} mode {oct(mode(db + suffix))}")
        # Garbage over the database: rebuilt, with one line on stderr.
        for suffix in ("-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        with open(db, "wb") as f:
            f.write(os.urandom(40000))
        rebuilt, err = listing(exe, tree, env)
        lines = [l for l in err.splitlines() if l.strip()]
        check(canonical(rebuilt) == canonical(reference), "listing after garbage store")
        check(len(lines) == 1 and "starting a new one" in lines[0], f"one stderr line on rebuild: {lines}")
        check(all(PATIENT not in l and "STORE-1" not in l for l in lines), "no patient name or ID on stderr")
        after, _ = listing(exe, tree, env)
        check(after["cached"] == files, "store works again after the rebuild")
    print(f"study index store: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
