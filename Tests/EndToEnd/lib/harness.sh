# Shared by the Tests/EndToEnd/*_tmux.sh scripts (sourced after they cd to the repository root and
# set SESSION, WORK and, where they query the review database, DB).
#
# A private tmux server per script (tmux -L $SESSION), so a test neither sees nor disturbs anyone
# else's sessions; screen text comes from capture-pane. WAIT_GREP=-qiF makes wait_for ignore case.
PASS=0 FAIL=0
WAIT_GREP=${WAIT_GREP:--qF}
ok()    { PASS=$((PASS + 1)); echo "ok   - $1"; }
fail()  { FAIL=$((FAIL + 1)); echo "FAIL - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected '$3', got '$2'"; fi; }
tmux()  { command tmux -L "$SESSION" "$@"; }
cleanup() { tmux kill-server 2>/dev/null; rm -rf "$WORK"; }
screen() { tmux capture-pane -p -t "$SESSION" 2>/dev/null; }
keys()  { tmux send-keys -t "$SESSION" "$@"; }
press() { local k; for ((k = 0; k < $2; k++)); do keys "$1"; done; }
sql()   { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows; on timeout prints the screen.
wait_for() {
    local deadline=$((SECONDS + ${2:-20}))
    while [ $SECONDS -lt $deadline ]; do
        screen | grep $WAIT_GREP -- "$1" && return 0
        sleep 0.2
    done
    echo "--- screen while waiting for '$1':"; screen | sed 's/^/    /'
    return 1
}
# wait_gone TEXT [SECONDS]: polls until TEXT is no longer on screen.
wait_gone() {
    local deadline=$((SECONDS + ${2:-30}))
    while [ $SECONDS -lt $deadline ]; do
        screen | grep -qF -- "$1" || return 0
        sleep 0.2
    done
    return 1
}
# step NAME TEXT [SECONDS]: ok when TEXT shows in time.
step() { if wait_for "$2" "${3:-20}"; then ok "$1"; else fail "$1"; fi; }
# absent NAME TEXT: ok when the screen is drawn and TEXT is not on it.
absent() {
    local text; text=$(screen)
    if [ -z "$text" ]; then fail "$1 (no screen)"; elif grep -qF -- "$2" <<<"$text"; then fail "$1 ('$2' on screen)"; else ok "$1"; fi
}
