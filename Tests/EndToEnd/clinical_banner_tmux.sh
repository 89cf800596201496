#!/usr/bin/env bash
# End-to-end: the NOT FOR CLINICAL USE banner comes from the model card, not from the code.
# The chest radiograph 09 (no analysis.json beside it) is opened twice in the workstation, each time
# with its own copy of Models/ found through LIGHTBOX_HOME (first in the resource order):
#   - stock:    the cards as shipped ("not_for_clinical_use": true): the banner and the panel's
#               synthetic-data line show;
#   - clinical: the same files, but cxr-abnormality-v1.json says "not_for_clinical_use": false
#               (the card's sha256 is of the .onnx file, so the card still verifies): the model's
#               findings show and neither the banner nor the synthetic-data line does.
# A hard-coded banner fails the second half; a banner that never shows fails the first.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux and python3.
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
WAIT_GREP=-qiF   # names on these screens vary in case
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys, sql …
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
command -v python3 >/dev/null || { echo "0 passed, 1 failed (python3 not installed)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-clinical-banner.XXXXXX)
SESSION=lightbox-clinical-banner-$$
trap cleanup EXIT
MODEL=cxr-abnormality-v1
mkdir -p "$WORK/studies" "$WORK/stock" "$WORK/clinical"
cp -r SampleStudies/09_DX_EMMA_2026 "$WORK/studies/dx"
rm -f "$WORK"/studies/*/analysis.json
cp -r Models "$WORK/stock/Models"
cp -r Models "$WORK/clinical/Models"
python3 - "$WORK/clinical/Models/$MODEL.json" <<'EOF'
import json, sys
path = sys.argv[1]
card = json.load(open(path))
assert card["not_for_clinical_use"] is True, "the shipped card should say not for clinical use"
card["not_for_clinical_use"] = False
json.dump(card, open(path, "w"), indent=1)
EOF
cmp -s "Models/$MODEL.onnx" "$WORK/clinical/Models/$MODEL.onnx" && ok "the clinical copy keeps the model file (its sha256 still matches the card)" || fail "model file differs"

# Preconditions through the CLI: each home's card is the one read, and both verify.
models() { LIGHTBOX_HOME="$WORK/$1" XDG_DATA_HOME="$WORK/$1/data" "$LIGHTBOX" models 2>&1; }
models stock | grep "^$MODEL " | grep -qF "NOT FOR CLINICAL USE" && ok "stock card: models lists $MODEL as not for clinical use" || fail "stock card not read: $(models stock | head -3)"
if models clinical | grep -q "^$MODEL "; then
    models clinical | grep "^$MODEL " | grep -qF "NOT FOR CLINICAL USE" && fail "clinical card still marked not for clinical use" || ok "clinical card: models lists $MODEL without the mark"
else
    fail "clinical card not listed: $(models clinical | head -3)"
fi

# open_study NAME: opens the study with $WORK/NAME as LIGHTBOX_HOME (own cache, data and config),
# waits for the AI to finish, opens the viewer and leaves the screen in $WORK/NAME.screen.
open_study() {
    local name=$1 home="$WORK/$1"
    tmux new-session -d -s "$SESSION" -x 160 -y 45 \
        "export LIGHTBOX_HOME='$home' XDG_CONFIG_HOME='$home/config' XDG_DATA_HOME='$home/data' XDG_CACHE_HOME='$home/cache' TERM=tmux-256color && exec '$LIGHTBOX' open '$WORK/studies' --reader banner --protocol blocks"
    wait_for "Emma" 30 && ok "$name: worklist lists the radiograph" || fail "$name: radiograph not listed"
    local deadline=$((SECONDS + 120))
    while [ $SECONDS -lt $deadline ]; do
        screen | grep -qE "queued|running|not run" || break
        sleep 0.5
    done
    if screen | grep -qE "queued|running|not run|failed"; then fail "$name: AI did not finish: $(screen | grep -E 'AI' | head -3)"; else ok "$name: AI finished"; fi
    keys Enter
    wait_for "$MODEL" 30 && ok "$name: the findings panel names $MODEL" || fail "$name: no model in the panel"
    wait_for "1. " 10 && ok "$name: the model's finding is listed" || fail "$name: no finding listed"
    sleep 0.5
    screen > "$WORK/$name.screen"
    [ -n "${SHOW:-}" ] && cat "$WORK/$name.screen"  # SHOW=1 prints both screens
    keys q; sleep 0.3; keys Q 2>/dev/null; sleep 0.3
    tmux kill-session -t "$SESSION" 2>/dev/null
}

open_study stock
grep -qF "NOT FOR CLINICAL USE" "$WORK/stock.screen" && ok "stock: the NOT FOR CLINICAL USE banner shows" || fail "stock: no banner"
grep -qF "synthetic-data model" "$WORK/stock.screen" && ok "stock: the panel warns of a synthetic-data model" || fail "stock: no synthetic-data warning"

open_study clinical
[ -s "$WORK/clinical.screen" ] || fail "clinical: no screen"
grep -qF "NOT FOR CLINICAL USE" "$WORK/clinical.screen" && fail "clinical: the banner shows though the card allows clinical use" || ok "clinical: no NOT FOR CLINICAL USE banner"
grep -qF "synthetic-data model" "$WORK/clinical.screen" && fail "clinical: the synthetic-data warning shows though the card says otherwise" || ok "clinical: no synthetic-data warning"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
