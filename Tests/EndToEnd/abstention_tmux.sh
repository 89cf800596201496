#!/usr/bin/env bash
# End-to-end: a real chest radiograph the models never saw (pydicom-data's RG1_UNCR.dcm, re-headered
# into the radiograph card's validated range: DX, CHEST, PA, 1024², 0.4 mm, MONOCHROME2, so every
# header check passes) sits in the worklist beside a synthetic one. The AI must abstain on it from
# the image content: the worklist must not make it STAT (or URGENT), its findings panel must say
# "AI abstained" with the reason, and W must reveal the withheld findings, each marked OOD.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox) and $PY (default .venv/bin/python,
# with pydicom and pydicom-data). Needs tmux. Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
REPO=$(pwd)
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
PY=${PY:-.venv/bin/python}
WAIT_GREP=-qiF
. Tests/EndToEnd/lib/harness.sh
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-abstention.XXXXXX)
SESSION=lightbox-abstention-$$
trap cleanup EXIT
mkdir -p "$WORK/studies" "$WORK/config"
"$PY" Training/trust/real_images.py --task cxr --write "$WORK/real" >/dev/null 2>&1 \
    && cp -r "$WORK/real/cxr-abnormality-v1/RG1_UNCR" "$WORK/studies/real" \
    || { echo "0 passed, 1 failed (could not re-header the real radiograph)"; exit 1; }
cp -r SampleStudies/07_CXR_YAMADA_2026 "$WORK/studies/synthetic"
rm -f "$WORK"/studies/*/analysis.json

# The CLI first: abstained, no findings, exit 0, and no header reason (only the content one).
out=$(cd "$WORK" && "$LIGHTBOX" analyze studies/real --models "$REPO/Models" --no-cache --json); rc=$?
check "analyze exits 0 on the abstained radiograph" "$rc" 0
echo "$out" | "$PY" -c 'import json,sys; r=json.load(sys.stdin); ran=[x for x in r["runs"] if x.get("model")]; \
    sys.exit(0 if ran and all(x["status"] == "abstained" for x in ran) and not r["findings"] and any("image content" in o for x in ran for o in x["ood"]) else 1)' \
    && ok "analyze abstains on image content with no findings" || fail "analyze did not abstain: $(echo "$out" | head -c 600)"

# Run from another folder; the models are named explicitly.
tmux new-session -d -s "$SESSION" -x 180 -y 45 \
    "cd '$WORK' && export XDG_CONFIG_HOME='$WORK/config' XDG_DATA_HOME='$WORK/data' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open studies --reader abstention --protocol blocks"
wait_for "Yamada" 30 && ok "worklist lists the synthetic radiograph" || fail "synthetic radiograph not listed"
wait_for "RG1" 30 && ok "worklist lists the real radiograph" || fail "real radiograph not listed"
deadline=$((SECONDS + 120))
while [ $SECONDS -lt $deadline ]; do   # until the real radiograph's AI column has a result
    screen | grep -iF "RG1" | grep -qE "AI: (abstained|no findings|[0-9]+ finding|failed)" && break
    sleep 0.5
done
row=$(screen | grep -iF "RG1" | head -1)
echo "$row" | grep -qE "STAT|URGENT" && fail "the abstained study was prioritised: $row" || ok "the abstained study is not STAT: $row"
echo "$row" | grep -qF "abstained" && ok "its AI column says the AI abstained" || fail "AI column does not say abstained: $row"
tmux send-keys -t "$SESSION" / R G 1 Enter
sleep 0.5
tmux send-keys -t "$SESSION" Enter
wait_for "AI abstained" 30 && ok "the panel says the AI abstained" || fail "no abstention in the panel"
wait_for "image content unlike" 5 && ok "the panel gives the reason" || fail "no reason in the panel"
wait_for "W shows them" 5 && ok "the panel offers to show the withheld findings" || fail "no reveal hint"
screen | grep -qF "OOD, withheld" && fail "withheld findings shown before the reveal" || ok "withheld findings hidden until asked"
tmux send-keys -t "$SESSION" W
wait_for "OOD, withheld" 10 && ok "W reveals the findings, marked OOD" || fail "W revealed nothing"
[ -n "${SHOW:-}" ] && screen
tmux send-keys -t "$SESSION" q
sleep 0.5
tmux send-keys -t "$SESSION" Q 2>/dev/null
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
