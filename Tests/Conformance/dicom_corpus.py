#!/usr/bin/env python3
"""Conformance of our DICOM reader against pydicom (+ pylibjpeg plugins) on a corpus nobody here wrote.

The corpus is every DICOM file shipped in the PyPI packages `pydicom` (pydicom/data) and `pydicom-data`
(data_store/data). For each file:
  * pydicom reads it (force=True only as a last resort); if it cannot, we must fail with a clear error.
  * the data sets must agree: the same top-level tags, the same number of items in each sequence,
    and the same text for every decoded text element (names in every character set included).
  * where pydicom decodes the pixels (raw=True, i.e. stored values, no colour conversion), ours
    (`lightbox info FILE --pixels-npy`) must be identical for lossless syntaxes and within
    LOSSY_TOLERANCE for lossy ones.
Prints a table per transfer syntax and ends with "N passed, M failed".

Env: LIGHTBOX=path to the lightbox binary.
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
import pydicom
from pydicom.pixels import pixel_array

warnings.filterwarnings("ignore")

LIGHTBOX = os.environ.get("LIGHTBOX", ".build/release/lightbox")
# Lossy syntaxes: decoders may differ in IDCT rounding and chroma upsampling. Allowed: max abs
# difference ≤ 3% of the stored range and mean abs difference ≤ 0.5% of it.
LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81",
         "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.203"}
LOSSY_MAX, LOSSY_MEAN = 0.03, 0.005
SKIP_SUFFIXES = {".py", ".pyc", ".txt", ".md", ".json", ".dump", ".gz", ".icc", ".bz2", ".zip", ".xml", ".jpg", ".j2k", ".bin"}


def corpus() -> list[Path]:
    roots = [Path(pydicom.__file__).parent / "data"]
    try:
        import data_store  # pydicom-data
        roots.append(Path(data_store.__file__).parent / "data")
    except ImportError:
        print("warning: pydicom-data is not installed; its files are not tested", file=sys.stderr)
    files = []
    for root in roots:
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix.lower() not in SKIP_SUFFIXES and "__pycache__" not in p.parts \
                    and p.name not in ("README", "LICENSE"):
                files.append(p)
    return files


def ours(path: Path, npy: str | None) -> tuple[int, dict | None, str]:
    cmd = [LIGHTBOX, "info", str(path), "--json"] + (["--pixels-npy", npy] if npy else [])
    r = subprocess.run(cmd, capture_output=True, timeout=120)
    try:
        obj = json.loads(r.stdout) if r.stdout.strip() else None
    except json.JSONDecodeError:
        obj = None
    return r.returncode, obj, r.stderr.decode("utf-8", "replace").strip()


def pydicom_text(elem) -> list[str] | None:
    if elem.VR in ("PN",):
        vals = elem.value if elem.VM > 1 else [elem.value]
        return [str(v) for v in vals]
    if elem.VR in ("LO", "SH", "ST", "LT", "UT", "UC", "CS", "UI", "DA", "TM", "AE", "AS"):
        if elem.value is None or elem.value == "":
            return None
        vals = list(elem.value) if elem.VM > 1 else [elem.value]
        return [str(v) for v in vals]
    return None


def our_text(entry: dict) -> list[str] | None:
    vals = entry.get("Value")
    if not vals:
        return None
    if entry.get("vr") == "PN":
        out = []
        for v in vals:
            groups = [v.get("Alphabetic", ""), v.get("Ideographic", ""), v.get("Phonetic", "")]
            while groups and groups[-1] == "":
                groups.pop()
            out.append("=".join(groups))
        return out
    return [str(v) for v in vals]


def compare_datasets(ref, mine: dict, where: str, problems: list[str], depth: int = 0) -> None:
    ref_tags = {f"{int(e.tag):08X}" for e in ref if e.tag.group != 0xFFFE}
    my_tags = set(mine.keys())
    if ref_tags != my_tags:
        problems.append(f"{where}: tags differ: only pydicom {sorted(ref_tags - my_tags)[:5]}, only ours {sorted(my_tags - ref_tags)[:5]}")
        return
    for e in ref:
        key = f"{int(e.tag):08X}"
        entry = mine.get(key, {})
        if e.VR == "SQ":
            items = entry.get("Value", [])
            if len(items) != len(e.value):
                problems.append(f"{where}{key}: {len(e.value)} items in pydicom, {len(items)} in ours")
                continue
            if depth < 8:
                for k, (ri, mi) in enumerate(zip(e.value, items)):
                    compare_datasets(ri, mi, f"{where}{key}[{k}].", problems, depth + 1)
            continue
        if e.tag.group == 0x7FE0 or e.tag.is_private:
            continue
        ref_text = pydicom_text(e)
        if ref_text is None:
            continue
        mine_text = our_text(entry)
        norm = lambda vs: [v.strip(" \x00") for v in (vs or [])]
        if norm(ref_text) != norm(mine_text) and not (not any(norm(ref_text)) and not mine_text):
            problems.append(f"{where}{key} {e.VR}: pydicom {ref_text!r} ours {mine_text!r}")


def main() -> int:
    if not Path(LIGHTBOX).exists():
        print(f"{LIGHTBOX} not found; build first", file=sys.stderr)
        return 2
    files = corpus()
    table = defaultdict(lambda: defaultdict(int))
    failures: list[str] = []
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="lightbox-conf-")
    npy = os.path.join(tmp, "pixels.npy")
    for path in files:
        rel = path.name if "data_store" in str(path) else str(path).split("pydicom/data/")[-1]
        try:
            ref = pydicom.dcmread(path)
        except Exception:
            try:
                ref = pydicom.dcmread(path, force=True)
                if len(ref) == 0 or "TransferSyntaxUID" not in ref.file_meta and len(ref) < 3:
                    raise ValueError("not a data set")
            except Exception as exc:
                # The reference rejects the file: we must reject it too, with a message naming it.
                rc, _, err = ours(path, None)
                ok = rc != 0 and (path.name in err)
                table["(rejected by pydicom)"]["files"] += 1
                table["(rejected by pydicom)"]["clear error" if ok else "accepted/unclear"] += 1
                if ok:
                    passed += 1
                else:
                    failed += 1
                    failures.append(f"{rel}: pydicom rejects it ({type(exc).__name__}); ours rc={rc} err={err[:200]!r}")
                continue
        ts = str(getattr(ref.file_meta, "TransferSyntaxUID", "")) or "(none: bare data set)"
        row = table[ts]
        row["files"] += 1
        has_pixels = "PixelData" in ref
        ref_pixels = None
        ref_error = None
        if has_pixels:
            try:
                ref_pixels = pixel_array(ref, raw=True)
            except Exception as exc:
                ref_error = f"{type(exc).__name__}: {exc}"
        if os.path.exists(npy):
            os.remove(npy)
        rc, obj, err = ours(path, npy if has_pixels else None)
        problems: list[str] = []
        if obj is not None and obj.get("parseError"):
            # pydicom reads what it can of a truncated or malformed file; so do we, and we say where it
            # stops. Pass when the error names the file and what we read agrees with pydicom's start.
            row["malformed, reported"] += 1
            mine_tags = set(obj.get("dataset", {}))
            ref_tags = {f"{int(e.tag):08X}" for e in ref}
            if rc != 4 or path.name not in obj["parseError"] or (ref_tags and not mine_tags <= ref_tags):
                problems.append(f"malformed file not reported clearly: rc={rc} {obj['parseError'][:200]}")
            if problems:
                failed += 1; row["failed"] += 1
                failures.append(f"{rel} [{ts}]: " + "; ".join(problems))
            else:
                passed += 1
            continue
        if obj is None:
            problems.append(f"no data set from us (rc={rc}): {err[:300]}")
        else:
            compare_datasets(ref, obj.get("dataset", {}), "", problems)
        if has_pixels:
            if ref_pixels is None:
                row["pydicom cannot decode"] += 1
                if rc == 0:
                    row["we decode"] += 1  # We are allowed to do better than the reference.
                elif path.name not in err:
                    problems.append(f"pixel error does not name the file: {err[:200]}")
            elif rc != 0 or not os.path.exists(npy):
                problems.append(f"pixels: pydicom decodes, we fail: {err[:300]}")
            else:
                mine = np.load(npy)
                ref_arr = np.asarray(ref_pixels)
                if mine.shape[0] == 1 and ref_arr.ndim == mine.ndim - 1:
                    mine = mine[0]
                row["decoded"] += 1
                if mine.shape != ref_arr.shape:
                    problems.append(f"pixels: shape {mine.shape} vs pydicom {ref_arr.shape}")
                elif np.array_equal(mine.astype(np.int64), ref_arr.astype(np.int64)):
                    row["identical"] += 1
                else:
                    diff = np.abs(mine.astype(np.int64) - ref_arr.astype(np.int64))
                    span = max(1, int(ref_arr.max()) - int(ref_arr.min()))
                    if ts in LOSSY and diff.max() <= LOSSY_MAX * span and diff.mean() <= LOSSY_MEAN * span:
                        row["within tolerance"] += 1
                    else:
                        problems.append(f"pixels differ: max {diff.max()}, mean {diff.mean():.3f}, range {span}, dtype {mine.dtype} vs {ref_arr.dtype}")
        if problems:
            failed += 1
            row["failed"] += 1
            failures.append(f"{rel} [{ts}]: " + "; ".join(problems[:3]))
        else:
            passed += 1
    names = {}
    try:
        from pydicom.uid import UID
        names = {ts: UID(ts).name for ts in table if ts.startswith("1.")}
    except Exception:
        pass
    cols = ["files", "decoded", "identical", "within tolerance", "pydicom cannot decode", "we decode", "malformed, reported", "failed"]
    print(f"{'transfer syntax':58s} " + " ".join(f"{c[:10]:>10s}" for c in cols))
    for ts in sorted(table):
        label = (names.get(ts, ts))[:58]
        print(f"{label:58s} " + " ".join(f"{table[ts].get(c, 0):>10d}" for c in cols))
    rej = table.get("(rejected by pydicom)")
    if rej:
        print(f"files pydicom rejects: {rej['files']}, with a clear error from us: {rej.get('clear error', 0)}")
    for f in failures:
        print("FAIL", f)
    print(f"dicom corpus: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
