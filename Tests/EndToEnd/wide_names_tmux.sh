#!/usr/bin/env bash
# End-to-end test of wide (CJK) characters: a study whose Patient Name is encoded in ISO 2022 IR 87
# (SpecificCharacterSet "\ISO 2022 IR 87", escape sequences in the PN value) is written with
# pydicom, opened with `lightbox open`, and the captured tmux screen must show the kanji:
#
#   1. the worklist row shows "山田 太郎" (not "???"), and the DATE column starts in the same
#      display column on that row as on the header row and on an ASCII-named study's row;
#   2. the viewer's patient header shows the name, its kanji adjacent ("山田 太郎", no gaps from
#      a continuation cell drawn separately) and the study date right after it at the column the
#      name's display width predicts; the viewport's patient annotation shows it too.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox) and $PY (default .venv/bin/python,
# which needs pydicom and numpy). Needs tmux. Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
PY=${PY:-.venv/bin/python}
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys …
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX; build it or set LIGHTBOX)"; exit 1; }
"$PY" -c "import pydicom, numpy" 2>/dev/null || { echo "0 passed, 1 failed ($PY lacks pydicom/numpy; make venv or set PY)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-wide.XXXXXX)
SESSION=lightbox-wide-$$
trap cleanup EXIT
mkdir -p "$WORK/studies" "$WORK/config" "$WORK/data"

# Two CR studies: the Japanese name in ISO 2022 IR 87, and an ASCII one to compare columns with.
"$PY" - "$WORK/studies" <<'PY' || { echo "0 passed, 1 failed (could not write the studies)"; exit 1; }
import os, sys
import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

def study(folder, name, charset, pid, date):
    os.makedirs(folder)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1"   # CR Image Storage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    if charset:
        ds.SpecificCharacterSet = charset
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = name, pid, "19580203", "M"
    ds.StudyDate, ds.StudyTime, ds.AccessionNumber = date, "093000", "ACC" + pid
    ds.StudyDescription, ds.SeriesDescription = "CHEST PA", "PA"
    ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "CR", 1, 1
    ds.Rows = ds.Columns = 128
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelSpacing = [0.5, 0.5]
    ds.WindowCenter, ds.WindowWidth = 2048, 4096
    y, x = np.mgrid[0:128, 0:128]
    ds.PixelData = ((x * 16 + y * 8) % 4096).astype(np.uint16).tobytes()
    ds.save_as(os.path.join(folder, "CR.dcm"), enforce_file_format=True)

root = sys.argv[1]
study(os.path.join(root, "a_yamada"), "Yamada^Tarou=山田^太郎=やまだ^たろう", ["", "ISO 2022 IR 87"], "JP-0001", "20260304")
study(os.path.join(root, "b_smith"), "Smith^John", None, "US-0002", "20250101")
raw = open(os.path.join(root, "a_yamada", "CR.dcm"), "rb").read()
assert b"\x1b$B" in raw and "山田".encode("utf-8") not in raw, "PN is not ISO 2022 IR 87 encoded"
PY
ok "wrote a study whose Patient Name is ISO 2022 IR 87 (ESC \$ B, JIS X 0208)"

tmux new-session -d -s "$SESSION" -x 160 -y 40 \
    "cd '$WORK' && export LANG=C.UTF-8 XDG_CONFIG_HOME='$WORK/config' XDG_DATA_HOME='$WORK/data' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open studies --reader wide"
wait_for "Smith John" 30 || true

# col LINE TEXT: the display column (East Asian Width: W/F take two) where TEXT starts in LINE, or -1.
col() {
    "$PY" -c '
import sys, unicodedata
line, text = sys.argv[1], sys.argv[2]
i = line.find(text)
print(-1 if i < 0 else sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))' "$1" "$2"
}

shot=$(screen)
row=$(grep -F "Yamada" <<<"$shot" | head -1)
header=$(grep -F "PATIENT" <<<"$shot" | head -1)
ascii=$(grep -F "Smith John" <<<"$shot" | head -1)
if grep -qF "山田 太郎" <<<"$row"; then ok "worklist shows the kanji (山田 太郎)"; else fail "worklist row has no kanji: '$row'"; fi
if grep -qF "Yamada Tarou" <<<"$row"; then ok "worklist keeps the alphabetic group"; else fail "no 'Yamada Tarou' in '$row'"; fi
absent "no ?? in place of the name" "??"
hd=$(col "$header" "DATE"); rd=$(col "$row" "2026-03-04"); ad=$(col "$ascii" "2025-01-01")
check "DATE column after the kanji lines up with the header" "$rd" "$hd"
check "DATE column lines up with the ASCII-named row" "$rd" "$ad"
hm=$(col "$header" "MOD"); rm_=$(col "$row" "CR")
check "MOD column after the kanji lines up with the header" "$rm_" "$hm"

# Open the Japanese study (sort order may differ: select its row by searching).
keys /; keys -l "JP-0001"; keys Enter; sleep 0.5; keys Enter
if wait_for "CHEST PA" 20 && wait_gone "Loading" 30; then ok "viewer opens the study"; else fail "viewer did not open"; fi
shot=$(screen)
top=$(head -1 <<<"$shot")
label="Yamada Tarou 山田 太郎 [JP-0001]"
if grep -qF "$label  2026-03-04" <<<"$top"; then ok "viewer header shows the name with kanji, then the date"; else fail "viewer header: '$top'"; fi
lc=$(col "$top" "$label"); dc=$(col "$top" "2026-03-04")
lw=$(col "$label|" "|")   # the label's own display width (32: each kanji counts two)
check "the date starts where the name's display width says" "$dc" "$((lc + lw + 2))"
n=$(grep -cF "$label" <<<"$shot")
if [ "$n" -ge 2 ]; then ok "viewport annotation shows the name too"; else fail "name on $n line(s) in the viewer, want header and viewport"; fi
keys q
sleep 0.5
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
