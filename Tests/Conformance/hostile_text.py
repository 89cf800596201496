#!/usr/bin/env python3
"""Text from DICOM files must never reach the terminal with control characters in it.

Writes (with pydicom) a file whose PatientName, StudyDescription and a private LO carry escape
sequences that would clear the screen, move the cursor, retitle the window (OSC 0) and smuggle a
bidi override, then runs every lightbox command that prints file text and checks its output holds
no C0/C1 control character (other than newline), no ESC, no DEL and no bidi override.
Also: `teach` on a teaching folder whose name is hostile and whose sidecar is broken (the error quotes
the path), and `review discordance` / `review stats` on a review database whose reader names, labels
and study UIDs are hostile (rows written with sqlite3, as another tool could).
Env: LIGHTBOX=path to the lightbox binary.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

LIGHTBOX = os.environ.get("LIGHTBOX", ".build/release/lightbox")
HOSTILE = "Evil\x1b]0;pwned\x07^Name\x1b[2J\x1b[H\x9b31m\u202eedoc"


def hostile_review_db(db: Path) -> None:
    """A review database (schema made by lightbox itself) with hostile reader, label and UID text."""
    subprocess.run([LIGHTBOX, "review", "stats", "--db", str(db), "--reader", "x"], capture_output=True, timeout=60, check=True)
    con = sqlite3.connect(db)
    uid = "2.25.7\x1b[2J"
    con.executemany("INSERT INTO screening_events (reader, at, study_uid, event, right_birads, left_birads, detail) VALUES (?,?,?,?,?,?,?)",
                    [(HOSTILE, "2026-11-28T01:00:00.000Z", uid, "start", None, None, ""),
                     (HOSTILE, "2026-11-28T01:00:00.000Z", uid, "reveal", None, None, HOSTILE),
                     (HOSTILE, "2026-11-28T01:01:30.000Z", uid, "sign", 1, 4, HOSTILE)])
    con.execute("INSERT INTO discordances (reader, at, study_uid, finding_key, kind, label, sop_uid, laterality) VALUES (?,?,?,?,?,?,?,?)",
                (HOSTILE, "2026-11-28T01:00:00.000Z", uid, "k\x1b[1m", "ai_only", HOSTILE, "2.25.8", "L\x9b"))
    con.commit()
    con.close()


def main() -> int:
    base = Path(tempfile.mkdtemp(prefix="lightbox-hostile-"))
    try:
        return run(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run(base: Path) -> int:
    tmp = base / "dicom"
    tmp.mkdir()
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = "2.25.66601"
    ds.StudyInstanceUID = "2.25.66602"
    ds.SeriesInstanceUID = "2.25.66603"
    ds.PatientName = HOSTILE
    ds.PatientID = "ID\x1b[31mRED"
    ds.StudyDescription = "Study\rOverwrite\x08\x08\x1bc"
    ds.Modality = "OT"
    ds.add_new(0x00090010, "LO", "CREATOR\x1bP+q\x1b\\")
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    path = tmp / "hostile.dcm"
    ds.save_as(path, enforce_file_format=True)

    commands = [["info", str(path)], ["info", str(path), "--json"], ["ls", str(tmp), "--no-cache"],
                ["ls", str(tmp), "--no-cache", "--json"], ["ls", str(tmp), "--no-cache", "--instances"]]
    teach = base / "teach" / HOSTILE
    teach.mkdir(parents=True)
    (teach / "ground_truth.json").write_text("{ not json")
    commands.append(["teach", str(base / "teach")])
    db = base / "review.sqlite"
    hostile_review_db(db)
    commands += [["review", "discordance", "--db", str(db)], ["review", "discordance", "--db", str(db), "--json"],
                 ["review", "stats", "--db", str(db), "--reader", HOSTILE], ["review", "stats", "--db", str(db), "--reader", HOSTILE, "--json"]]
    passed = failed = 0
    for args in commands:
        r = subprocess.run([LIGHTBOX, *args], capture_output=True, timeout=60)
        out = r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")
        bad = [hex(ord(c)) for c in out if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F
               or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
        shows_name = "Evil" in out and "Name" in out
        if bad or not shows_name:
            failed += 1
            print(f"FAIL lightbox {' '.join(args)}: control characters {sorted(set(bad))}, name shown: {shows_name}")
        else:
            passed += 1
    print(f"hostile text: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
