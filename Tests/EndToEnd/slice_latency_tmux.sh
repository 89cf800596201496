#!/usr/bin/env bash
# Keystroke-to-screen latency of a slice step through a real terminal (tmux, half blocks):
# sends `j` and polls capture-pane until the slice counter changes. Includes tmux's own parsing
# and the polling interval (~2 ms), so it is an upper bound. Uses $LIGHTBOX (default
# .build/release/lightbox) and SampleStudies/05_LDCT_YAMADA_2026; prints median and p90 in ms.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
STEPS=${STEPS:-40}
WORK=$(mktemp -d /tmp/lightbox-latency.XXXXXX)
SESSION=lightbox-latency-$$
tmux() { command tmux -L "$SESSION" "$@"; }
trap 'tmux kill-server 2>/dev/null; rm -rf "$WORK"' EXIT
tmux new-session -d -s "$SESSION" -x 160 -y 48 \
    "cd '$PWD' && XDG_CONFIG_HOME='$WORK' exec '$LIGHTBOX' open SampleStudies/05_LDCT_YAMADA_2026 --db '$WORK/r.sqlite' --reader bench"
slice() { tmux capture-pane -p -t "$SESSION" | grep -o 'slice [0-9]*/' | head -1; }
for _ in $(seq 100); do tmux capture-pane -p -t "$SESSION" | grep -q 'LOW DOSE' && break; sleep 0.1; done
tmux send-keys -t "$SESSION" Enter
for _ in $(seq 200); do tmux capture-pane -p -t "$SESSION" | grep -q 'Im ' && break; sleep 0.1; done
tmux send-keys -t "$SESSION" g; sleep 0.5
python3 - "$SESSION" "$STEPS" <<'PY'
import subprocess, sys, time
session, steps = sys.argv[1], int(sys.argv[2])
def slice_text():
    out = subprocess.run(["tmux", "-L", session, "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
    i = out.find("slice ")
    return out[i:i + 12] if i >= 0 else ""
times = []
for _ in range(steps):
    before = slice_text()
    t0 = time.perf_counter()
    subprocess.run(["tmux", "-L", session, "send-keys", "-t", session, "j"])
    while slice_text() == before and time.perf_counter() - t0 < 2:
        pass
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(f"slice step through tmux (blocks): median {times[len(times)//2]:.1f} ms, p90 {times[int(len(times)*0.9)]:.1f} ms over {steps} steps")
PY
