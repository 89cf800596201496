#!/usr/bin/env bash
# End-to-end: the workstation ends when its terminal goes away or it is told to stop. A reader's
# SSH connection that drops sends SIGHUP; a shutdown sends SIGTERM. Either must end the process
# within seconds, with a study that was open closed in the audit trail and the end recorded
# ("hangup" / "terminated"), not leave it running without a terminal (holding its claims).
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux and sqlite3.
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
REPO=$(pwd)
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys, sql …
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "0 passed, 1 failed (sqlite3 not installed)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-hangup.XXXXXX)
SESSION=lightbox-hangup-$$
trap 'cleanup; [ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null' EXIT
mkdir -p "$WORK/studies" "$WORK/config" "$WORK/data"
cp -r SampleStudies/07_CXR_YAMADA_2026 "$WORK/studies/cxr"
DB="$WORK/data/review.sqlite"

# run SIGNAL: start the workstation, open the study, send SIGNAL to it; ok when it is gone in 5 s.
run() {
    tmux new-session -d -s "$SESSION" -x 160 -y 40 \
        "cd '$WORK' && export LANG=C.UTF-8 LIGHTBOX_HOME='$REPO' XDG_CONFIG_HOME='$WORK/config' XDG_DATA_HOME='$WORK/data' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open studies --reader hangup --db '$DB' --protocol blocks"
    WAIT_GREP=-qiF wait_for "yamada" 30 >/dev/null || true
    keys Enter; sleep 2
    PID=$(tmux list-panes -t "$SESSION" -F '#{pane_pid}' | head -1)
    kill "-$1" "$PID"
    local gone=no
    for ((i = 0; i < 50; i++)); do kill -0 "$PID" 2>/dev/null || { gone=yes; break; }; sleep 0.1; done
    check "SIG$1 ends the workstation within 5 s" "$gone" "yes"
    [ "$gone" = yes ] || kill -9 "$PID" 2>/dev/null
    PID=""
    tmux kill-server 2>/dev/null; sleep 0.5
}
run HUP
check "the hangup is in the audit trail after the open study was closed" \
    "$(sql "SELECT group_concat(action, ',') FROM (SELECT action FROM audit WHERE reader = 'hangup' ORDER BY id)")" "start,open,close,hangup,quit"
run TERM
check "SIGTERM too: closed and recorded" \
    "$(sql "SELECT group_concat(action, ',') FROM (SELECT action FROM audit WHERE reader = 'hangup' ORDER BY id)")" \
    "start,open,close,hangup,quit,start,open,close,terminated,quit"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
