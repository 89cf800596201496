#!/usr/bin/env bash
# End-to-end test of the brain MR stroke reading (issue 22): the acute-stroke sample (16, GRETA:
# left MCA infarct with a DWI–FLAIR mismatch, two white-matter mimics) is opened with no
# analysis.json beside it, so the bundled stroke model runs in the workstation. Checks:
#   - the study opens in the 2×2 MR hanging (DWI, ADC, FLAIR, T1 viewports);
#   - linked scrolling keeps the four viewports at the same anatomy: the "Z … mm" corner values stay
#     within half the coarsest slice spacing of each other while the active viewport is stepped;
#   - the findings panel shows the acute infarct with its volume in mL, territory and the
#     DWI–FLAIR call, and the synthetic-data warning;
#   - the reader accepts it; `lightbox review export --sr` writes an SR in which DCMTK's dsrdump
#     reads the volume and the DWI–FLAIR mismatch.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux and dsrdump (dcmtk).
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
REPO=$(pwd)
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys …
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
command -v dsrdump >/dev/null || { echo "0 passed, 1 failed (dsrdump not installed: apt-get install dcmtk)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX)"; exit 1; }
[ -f Models/mr-stroke-dwi-v1.onnx ] || { echo "0 passed, 1 failed (no Models/mr-stroke-dwi-v1.onnx)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-stroke.XXXXXX)
SESSION=lightbox-stroke-$$
trap cleanup EXIT
mkdir -p "$WORK/studies" "$WORK/config" "$WORK/data"
cp -r SampleStudies/16_MR_BRAIN_GRETA_2026 "$WORK/studies/mr"
rm -f "$WORK/studies/mr/analysis.json"
DB="$WORK/data/review.sqlite"

# From the work folder, with the repository's models named by LIGHTBOX_HOME.
tmux new-session -d -s "$SESSION" -x 200 -y 50 \
    "cd '$WORK' && export LANG=C.UTF-8 LIGHTBOX_HOME='$REPO' XDG_CONFIG_HOME='$WORK/config' XDG_DATA_HOME='$WORK/data' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open studies --reader stroke --db '$DB'"
wait_for "GRETA" 30 && ok "worklist lists the stroke study" || fail "stroke study not listed"
deadline=$((SECONDS + 120))
while [ $SECONDS -lt $deadline ]; do
    s=$(screen)
    if ! grep -qE "queued|running" <<<"$s" && grep -qE "finding" <<<"$s"; then break; fi
    sleep 0.5
done
grep -qE "queued|running" <<<"$(screen)" && fail "AI did not finish: $(screen | grep -i greta)" || ok "AI finished on the MR study"
keys Enter
wait_gone "Loading" 40 || true; sleep 1
shot=$(screen)
missing=""
for name in DWI ADC FLAIR T1; do grep -qF "$name" <<<"$shot" || missing="$missing $name"; done
if [ -z "$missing" ]; then ok "2×2 hanging shows DWI, ADC, FLAIR and T1"; else fail "hanging lacks:$missing"; fi

# Linked scroll: each viewport's Z stays within half its own slice spacing of the active (DWI)
# viewport's: ADC and FLAIR have 5 mm slices (2.5 mm), T1 3.5 mm (1.75 mm); 0.05 mm for rounding.
zs() { grep -o 'Z -\?[0-9.]* mm' <<<"$1" | awk '{print $2}'; }
TOL=(0 2.55 2.55 1.8)
bad=0; shots=0; first=""; last=""
for ((i = 0; i < 10; i++)); do
    mapfile -t z < <(zs "$(screen)")
    if [ "${#z[@]}" -ge 4 ]; then
        shots=$((shots + 1)); [ -z "$first" ] && first=${z[0]}; last=${z[0]}
        for k in 1 2 3; do
            if awk -v a="${z[0]}" -v b="${z[$k]}" -v t="${TOL[$k]}" 'BEGIN{d=a-b; if (d<0) d=-d; exit !(d > t)}'; then
                bad=$((bad + 1)); echo "  step $i: Z ${z[*]:0:4} (viewport $k more than ${TOL[$k]} mm from the DWI)"
            fi
        done
    fi
    keys j; sleep 0.3
done
if [ "$shots" -ge 8 ]; then ok "four Z positions on $shots of 10 steps"; else fail "four Z positions on only $shots of 10 steps: $(zs "$(screen)" | tr '\n' ' ')"; fi
check "each linked viewport within half its slice spacing of the DWI at every step" "$bad" "0"
[ "$first" != "$last" ] && ok "scrolled from Z $first to Z $last" || fail "the active viewport did not move (Z $first)"

wait_for "acute infarct" 10 && ok "panel lists the acute infarct" || fail "no acute infarct in the panel"
screen | grep -qE "[0-9]+\.[0-9] mL" && ok "its volume in mL" || fail "no volume in mL"
screen | grep -qE "(left|right) (MCA|ACA|PCA)" && ok "its territory: $(screen | grep -oE '(left|right) (MCA|ACA|PCA)' | head -1)" || fail "no territory"
screen | grep -qF "DWI–FLAIR mismatch" && ok "the DWI–FLAIR call" || fail "no DWI–FLAIR call"
screen | grep -qiF "synthetic" && ok "the synthetic-data warning" || fail "no synthetic-data warning"
[ -n "${SHOW:-}" ] && screen
# Jump to the infarct (the echo of its outline on the other sequences is checked by OverlayEchoTests).
keys n; sleep 0.8
mapfile -t z < <(zs "$(screen)")
if [ "${#z[@]}" -ge 1 ] && awk -v z="${z[0]}" 'BEGIN{exit !(z >= 28 && z <= 68)}'; then ok "n jumps to the infarct (DWI at Z ${z[0]} mm)"
else fail "n did not reach the infarct's slices (Z ${z[*]:-none})"; fi
# Accept the selected infarct.
keys A; sleep 0.5
wait_for "accepted" 5 && ok "the reader accepts the infarct" || fail "no accepted decision"
keys q; sleep 0.3; keys Q; sleep 0.5

SR="$WORK/stroke-sr.dcm"
if "$LIGHTBOX" review export "$WORK/studies/mr" --db "$DB" --reader stroke --sr "$SR" >/dev/null 2>"$WORK/export.err"; then
    ok "review export wrote the SR"
else
    fail "review export failed: $(cat "$WORK/export.err")"
fi
dump=$(dsrdump "$SR" 2>&1)
grep -qF "acute infarct" <<<"$dump" && ok "dsrdump: the finding label" || fail "dsrdump: no acute infarct"
grep -qE '"Volume"\)="[0-9.]+" \(ml' <<<"$dump" && ok "dsrdump: the volume in ml" || fail "dsrdump: no volume: $(grep -i volume <<<"$dump" | head -2)"
grep -qE 'DWI-FLAIR mismatch"\)=\(373066001,SCT,"Yes"\)' <<<"$dump" && ok "dsrdump: DWI-FLAIR mismatch = Yes" || fail "dsrdump: no mismatch: $(grep -i flair <<<"$dump" | head -3)"
grep -qE 'Arterial territory \(estimated\)"\)="left MCA"' <<<"$dump" && ok "dsrdump: territory left MCA" || fail "dsrdump: territory: $(grep -i territory <<<"$dump" | head -2)"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
