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
WAIT_GREP=-qiF   # names on these screens vary in case
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys, sql …
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-arrivals.XXXXXX)
SESSION=lightbox-arrivals-$$
trap cleanup EXIT
mkdir -p "$WORK/inbox" "$WORK/config" "$WORK/data"
cp -r SampleStudies/07_CXR_YAMADA_2026 "$WORK/inbox/first"

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
