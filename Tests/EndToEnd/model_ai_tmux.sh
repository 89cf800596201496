#!/usr/bin/env bash
# End-to-end: the bundled models run inside the workstation in the background, 2-D ones included.
# A mammogram and a chest radiograph (no analysis.json beside them) are opened; the worklist's AI
# column must finish, and the mammogram's findings panel must show the model, the synthetic-data
# warning, per-breast suspicion with BI-RADS, and the not-for-clinical-use banner.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux.
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
WAIT_GREP=-qiF   # names on these screens vary in case
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys, sql …
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-model-ai.XXXXXX)
SESSION=lightbox-model-ai-$$
trap cleanup EXIT
mkdir -p "$WORK/studies" "$WORK/config"
cp -r SampleStudies/03_MG_BEATRIZ_2026 "$WORK/studies/mg"
cp -r SampleStudies/07_CXR_YAMADA_2026 "$WORK/studies/cxr"
rm -f "$WORK"/studies/*/analysis.json

# Run from the repository root so the bundled Models/ are found; data and cache go to $WORK.
tmux new-session -d -s "$SESSION" -x 180 -y 45 \
    "unset OMP_WAIT_POLICY GOMP_SPINCOUNT OPENBLAS_THREAD_TIMEOUT GOTO_THREAD_TIMEOUT; export XDG_CONFIG_HOME='$WORK/config' XDG_DATA_HOME='$WORK/data' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open '$WORK/studies' --reader model-ai --protocol blocks"
wait_for "Yamada" 30 && ok "worklist lists the radiograph" || fail "radiograph not listed"
# The workstation re-executed itself with the short OpenMP and OpenBLAS spinning `analyze` uses
# (the pane's process is lightbox itself: the shell exec'd it).
pane_env=$(tr '\0' '\n' < "/proc/$(tmux display -p -t "$SESSION" '#{pane_pid}')/environ" 2>/dev/null)
echo "$pane_env" | grep -qx "GOMP_SPINCOUNT=1000" && echo "$pane_env" | grep -qx "OPENBLAS_THREAD_TIMEOUT=20" \
    && ok "the workstation runs its AI with short OpenMP/OpenBLAS spinning (re-executed like analyze)" \
    || fail "the workstation's environment lacks GOMP_SPINCOUNT=1000 / OPENBLAS_THREAD_TIMEOUT=20"
# Both studies finish analysis (AI column leaves queued/running).
deadline=$((SECONDS + 120))
while [ $SECONDS -lt $deadline ]; do
    s=$(screen)
    if ! echo "$s" | grep -qE "queued|running|not run" && [ "$(echo "$s" | grep -cE "findings?(,| )")" -ge 2 ]; then break; fi
    sleep 0.5
done
if screen | grep -qE "queued|running|not run|failed" || [ "$(screen | grep -cE "findings?(,| )")" -lt 2 ]; then fail "AI did not finish on both studies: $(screen | grep -E 'AI' | head -3)"; else ok "AI finished on the mammogram and the radiograph"; fi
# Open the mammogram (search for the patient, then Enter).
tmux send-keys -t "$SESSION" / B E A T R I Z Enter
sleep 0.5
tmux send-keys -t "$SESSION" Enter
wait_for "mammo-suspicion-v1" 30 && ok "the panel names the mammography model" || fail "no model in the panel"
wait_for "NOT FOR CLINICAL USE" 5 && ok "the not-for-clinical-use banner shows" || fail "no banner"
wait_for "synthetic-data model" 5 && ok "the panel says the model is trained on synthetic data" || fail "no synthetic-data warning"
wait_for "R breast: " 5 && ok "right breast suspicion score" || fail "no right-breast score"
wait_for "L breast: " 5 && ok "left breast suspicion score" || fail "no left-breast score"
screen | grep -qE "breast: [0-9]+/10, BI-RADS [0-6]" && ok "suggested BI-RADS per breast" || fail "no BI-RADS"
[ -n "${SHOW:-}" ] && screen  # SHOW=1 prints the last screen
tmux send-keys -t "$SESSION" q
sleep 0.5
tmux send-keys -t "$SESSION" Q 2>/dev/null
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
