#!/usr/bin/env bash
# End-to-end test of linked scrolling (issue 21, synchronised comparison): the sample low-dose CT
# and a second series made from every second slice of it (new Series and SOP Instance UIDs, the
# same Frame of Reference UID) are opened side by side (`l`, 1×2), linking is turned on (`Y`), and
# while the active viewport is stepped through the volume the two slice positions read from the
# corner annotations ("Z 42.5 mm") must stay within half a slice of the coarser series.
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

WORK=$(mktemp -d /tmp/lightbox-link.XXXXXX)
SESSION=lightbox-link-$$
trap cleanup EXIT
mkdir -p "$WORK/studies/ct" "$WORK/config" "$WORK/data"

# The original series, and every second slice of it as a second series of the same study.
HALF=$("$PY" - SampleStudies/05_LDCT_YAMADA_2026 "$WORK/studies/ct" <<'PY'
import glob, os, sys
import numpy as np, pydicom
from pydicom.uid import generate_uid
src, dst = sys.argv[1], sys.argv[2]
files = [pydicom.dcmread(f) for f in sorted(glob.glob(os.path.join(src, "*.dcm")))]
n = np.cross(np.array(files[0].ImageOrientationPatient[:3], float), np.array(files[0].ImageOrientationPatient[3:], float))
files.sort(key=lambda d: float(np.dot(n, np.array(d.ImagePositionPatient, float))))
frame = getattr(files[0], "FrameOfReferenceUID", None) or generate_uid()
coarse_uid = generate_uid()
for k, d in enumerate(files):
    d.FrameOfReferenceUID = frame
    d.save_as(os.path.join(dst, "a_%04d.dcm" % k))
    if k % 2 == 0:
        d.SeriesInstanceUID, d.SeriesNumber, d.SeriesDescription = coarse_uid, 902, "EVERY 2ND SLICE"
        d.SOPInstanceUID = generate_uid(); d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
        d.InstanceNumber = k // 2 + 1
        d.save_as(os.path.join(dst, "b_%04d.dcm" % k))
z = [float(np.dot(n, np.array(d.ImagePositionPatient, float))) for d in files[::2]]
print(max(abs(b - a) for a, b in zip(z, z[1:])) / 2)
PY
) || { echo "0 passed, 1 failed (could not write the series)"; exit 1; }
ok "wrote the sample CT and an every-second-slice series (half a coarse slice: $HALF mm)"

tmux new-session -d -s "$SESSION" -x 160 -y 40 \
    "cd '$WORK' && export LANG=C.UTF-8 XDG_CONFIG_HOME='$WORK/config' XDG_DATA_HOME='$WORK/data' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open studies --reader link"
wait_for "CT" 30 || true; sleep 1
keys Enter
if wait_gone "Loading" 40; then ok "viewer opens the study"; else fail "viewer did not load"; fi
keys l; sleep 0.5; wait_gone "Loading" 40 || true
keys Y; sleep 0.3; keys g; sleep 0.5
# zs SCREEN: the "Z … mm" values on the screen, in reading order.
zs() { grep -o 'Z -\?[0-9.]* mm' <<<"$1" | awk '{print $2}'; }
bad=0; steps=0; pairs=0; differ=0; first=""; last=""
for ((i = 0; i < 24; i++)); do
    shot=$(screen)
    read -r a b _ <<<"$(zs "$shot" | tr '\n' ' ')"
    if [ -n "${a:-}" ] && [ -n "${b:-}" ]; then
        pairs=$((pairs + 1)); [ -z "$first" ] && first=$a; last=$a
        [ "$a" != "$b" ] && differ=$((differ + 1))
        if ! "$PY" -c "import sys; sys.exit(0 if abs($a - $b) <= $HALF + 0.051 else 1)"; then
            bad=$((bad + 1)); echo "  step $i: Z $a vs $b (more than $HALF mm apart)"
        fi
    fi
    keys j; steps=$((steps + 1)); sleep 0.25
done
if [ "$pairs" -ge 20 ]; then ok "both viewports show Z positions ($pairs of $steps steps)"; else fail "Z positions on $pairs of $steps steps"; fi
check "linked positions within half a coarse slice at every step" "$bad" "0"
# The proof needs both: the active viewport moved, and the series are not at equal positions
# throughout (every second fine slice lies between two coarse ones).
if [ "$first" != "$last" ] && [ "$differ" -gt 0 ]; then ok "scrolled from Z $first to Z $last; $differ steps between coarse slices"
else fail "no movement or never between slices (Z $first → $last, $differ differing)"; fi
if grep -qF "⇄" <<<"$(screen)"; then ok "link marker shown"; else fail "no link marker"; fi
keys Y; sleep 0.3
if grep -qF "⇄" <<<"$(screen)"; then fail "link marker after unlinking"; else ok "Y unlinks"; fi
keys q; sleep 0.3; keys Q
sleep 0.5
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
