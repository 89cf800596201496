#!/usr/bin/env bash
# End-to-end test of studies arriving while the workstation is open (`lightbox open --watch N`):
# the worklist starts with one study; a second study is copied into the watched folder file by
# file; it must appear in the worklist without a key press, and the first study's row must stay.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux.
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
PASS=0 FAIL=0
ok()   { PASS=$((PASS + 1)); echo "ok   - $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL - $1"; }
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-arrivals.XXXXXX)
SESSION=lightbox-arrivals-$$
tmux() { command tmux -L "$SESSION" "$@"; }
cleanup() { tmux kill-server 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/inbox" "$WORK/config" "$WORK/data"
cp -r SampleStudies/07_CXR_YAMADA_2026 "$WORK/inbox/first"

screen() { tmux capture-pane -p -t "$SESSION" 2>/dev/null; }
wait_for() {
    local deadline=$((SECONDS + ${2:-20}))
    while [ $SECONDS -lt $deadline ]; do screen | grep -qiF -- "$1" && return 0; sleep 0.2; done
    return 1
}
tmux new-session -d -s "$SESSION" -x 160 -y 40 \
    "cd '$WORK' && export XDG_CONFIG_HOME='$WORK/config' XDG_DATA_HOME='$WORK/data' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open inbox --watch 1 --reader arrivals"
wait_for "Yamada" 30 && ok "worklist shows the first study" || fail "first study not listed"
if screen | grep -qiF "FANT"; then fail "second study listed before it arrived"; else ok "second study not there yet"; fi

# A head CT arrives slice by slice (as a C-STORE push would deliver it).
mkdir -p "$WORK/inbox/second"
for f in SampleStudies/10_CT_HEAD_HELENE_2026/*; do cp -r "$f" "$WORK/inbox/second/"; done
wait_for "FANT" 30 && ok "the arriving study joins the worklist without a key press" || fail "arriving study never listed"
wait_for "arrived" 10 && ok "the status line says a study arrived" || fail "no arrival message"
screen | grep -qiF "Yamada" && ok "the first study is still listed" || fail "first study vanished"
tmux send-keys -t "$SESSION" q
sleep 1
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
