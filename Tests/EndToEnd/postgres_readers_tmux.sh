#!/usr/bin/env bash
# End-to-end test of screening double reading across workstations on one shared PostgreSQL review
# store (issue 20): two lightbox processes in two tmux sessions, each with its own XDG folders,
# on the same --db postgresql://… URL, and psql checks of the exact rows.
#
#   0. a throw-away PostgreSQL (Tests/Support/start_postgres.sh) on a loopback port; stopped and
#      removed on exit, whatever happens;
#   1. B, the arbitrator, opens first: its queue is empty. A, the first reader, reads blinded,
#      marks, records per-breast BI-RADS and reveals: the study arrives in B's live arbitration
#      worklist within 4 s (ReadingPoller, no restart of B), marked "[reading: first-reader]";
#   2. A decides each discordance; A's process is killed with `kill -9` as soon as the last
#      decision is on screen: the decision row is in the database exactly once, B sees A leave,
#      A restarts and signs with everything back; the rows are checked;
#   3. B arbitrates: a decision, then `pg_ctl restart` of the server mid-session, then another
#      decision on the same process: it lands exactly once; B signs; the queue is empty; every
#      row is checked again (counts and readers).
#
# Runs from a temp folder with a copy of a sample mammogram (STUDY_SRC) and an analysis.json
# beside it, LIGHTBOX_HOME pointing at the repository. Builds nothing: uses $LIGHTBOX (default
# .build/release/lightbox). Needs tmux, python3 and the PostgreSQL server binaries (Debian
# `postgresql`); like the other scripts it fails, saying so, when one is missing (make test
# installs them). Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
REPO=$(pwd)
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
STUDY_SRC=${STUDY_SRC:-SampleStudies/03_MG_BEATRIZ_2026}
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, screen, wait_for, keys, …

for tool in tmux python3; do
    command -v $tool >/dev/null || { echo "0 passed, 1 failed ($tool not installed)"; exit 1; }
done
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/psql" ]; then
    echo "0 passed, 1 failed (no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: apt-get install postgresql)"
    exit 1
fi
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX; build it or set LIGHTBOX)"; exit 1; }
[ -d "$STUDY_SRC" ] || { echo "0 passed, 1 failed (no $STUDY_SRC)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-pg-e2e.XXXXXX)
# The server's folder is handed to `nobody` when run as root: not inside the private $WORK.
PGDIR=$(mktemp -d /tmp/lightbox-pg-e2e-server.XXXXXX)
SOCKET=lightbox-pg-e2e-$$          # one private tmux server, two sessions on it
SA=reader-a SB=arbiter-b
SESSION=$SA
tmux() { command tmux -L "$SOCKET" "$@"; }
stop_all() {
    tmux kill-server 2>/dev/null
    bash Tests/Support/start_postgres.sh --stop "$PGDIR"
    rm -rf "$WORK" "$PGDIR"
}
trap stop_all EXIT
trap 'exit 130' INT TERM HUP

as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
URL=$(bash Tests/Support/start_postgres.sh "$PGDIR") || { echo "0 passed, 1 failed (start_postgres.sh)"; cat "$PGDIR"/*.log 2>/dev/null | tail -20; exit 1; }
PGPASSWORD=$(cat "$PGDIR/password")
export PGPASSWORD
PORT=${URL##*:}; PORT=${PORT%%/*}
echo "# PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on $URL"
# pg ONE-SQL: one value (rows joined by newlines) from the shared store, as the workstations see it.
pg() { "$PGBIN/psql" "$URL" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
pg_restart() {
    as_owner "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -m fast restart >/dev/null
}

# The AI: a distortion on LCC (concordant with the reader's mark below) and an asymmetry on RCC the
# reader will not mark (AI only). SOP UIDs come from the ground-truth sidecar's file list.
mkdir -p "$WORK/studies"
cp -r "$STUDY_SRC" "$WORK/studies/mg"
read MASS_X MASS_Y COLS ROWS < <(python3 - "$WORK/studies/mg" <<'PY'
import json, sys, os
d = sys.argv[1]
gt = json.load(open(os.path.join(d, "ground_truth.json")))
s = gt["series"][0]
sop = {f.split("_")[1].split(".")[0]: u for f, u in zip(s["files"], s["sop_instance_uids"])}
lesion = next(l for l in gt["lesions"] if l["sop_instance_uid"] == sop["LCC"])
json.dump({
    "study_instance_uid": gt["study_instance_uid"],
    "model": {"id": "e2e-mammo-model", "version": "0.0.1", "sha256": "0" * 64, "clinical_use": False},
    "findings": [
        {"id": 1, "label": "architectural distortion", "probability": 0.93, "risk": "high", "sop_instance_uid": sop["LCC"],
         "center_px": lesion["center_px"], "diameter_mm": lesion["diameter_mm"]},
        {"id": 2, "label": "asymmetry", "probability": 0.35, "risk": "low", "sop_instance_uid": sop["RCC"],
         "center_px": [300, 300], "diameter_mm": 8},
    ]}, open(os.path.join(d, "analysis.json"), "w"))
print(lesion["center_px"][0], lesion["center_px"][1], s["columns"], s["rows"])
PY
)
[ -n "${ROWS:-}" ] || { echo "0 passed, 1 failed (analysis.json)"; exit 1; }

# start NAME READER FLAGS…: a workstation in tmux session NAME (the pane's process is lightbox),
# with its own XDG folders, run from the temp folder; later keys and screens go to it.
start() {
    local name=$1 reader=$2; shift 2
    local x="$WORK/xdg-$name"
    mkdir -p "$x/config" "$x/data" "$x/cache" "$x/state"
    tmux kill-session -t "$name" 2>/dev/null
    tmux new-session -d -s "$name" -x 170 -y 48 \
        "cd '$WORK' && export XDG_CONFIG_HOME='$x/config' XDG_DATA_HOME='$x/data' XDG_CACHE_HOME='$x/cache' XDG_STATE_HOME='$x/state' \
         LIGHTBOX_HOME='$REPO' PGPASSWORD='$PGPASSWORD' TERM=tmux-256color && exec '$LIGHTBOX' open studies --db '$URL' --reader $reader $*"
    SESSION=$name
}
on() { SESSION=$1; }
pane_pid() { tmux display-message -p -t "$1" '#{pane_pid}'; }
# seconds_until SESSION TEXT LIMIT: how long until TEXT shows on SESSION's screen (LIMIT+1 if never).
seconds_until() {
    local s=$SESSION t0=$(date +%s.%N) deadline=$((SECONDS + $3)); SESSION=$1
    while [ $SECONDS -lt $deadline ]; do
        if screen | grep -qF -- "$2"; then SESSION=$s; python3 -c "import time; print('%.1f' % (time.time() - $t0))"; return; fi
        sleep 0.1
    done
    SESSION=$s; echo $(($3 + 1))
}
within() { python3 -c "import sys; sys.exit(0 if float('$1') <= float('$2') else 1)"; }

echo "# 1. B arbitrates on the shared store, A reads blinded and reveals"
start $SB arbiter --arbitrate
step "B: the arbitration worklist opens on the shared store" "ARBITRATION of reader/AI discordances"
step "B: the queue is empty (the study is filtered out)" "0/1 studies" 60
start $SA first-reader --second-reader
step "A: worklist says the AI is hidden" "AI: hidden until reveal" 60
keys Enter
step "A: study opens blinded" "SECOND READER: blinded first read"
if wait_gone "Loading" 60; then ok "A: the four views load"; else fail "A: the four views load"; fi
absent "A: no AI finding on screen" "architectural distortion"
on $SA
keys w
step "A: w makes LCC the active view" "Active view: LCC"
read NL NU CX CY < <(python3 -c "
w, h, x, y = $COLS, $ROWS, $MASS_X, $MASS_Y; st = max(1, max(w, h) / 64)
nl, nu = round((w / 2 - x) / st), round((h / 2 - y) / st)
print(nl, nu, int(w / 2 - nl * st), int(h / 2 - nu * st))")
if [ "$NL" -ge 0 ]; then press Left "$NL"; else press Right $((-NL)); fi
if [ "$NU" -ge 0 ]; then press Up "$NU"; else press Down $((-NU)); fi
step "A: cursor is on the distortion" "($CX,$CY)"
keys F
step "A: add finding asks for a label" "Label for the new finding"
keys -l "distortion"; keys Enter
step "A: mark is listed" "1. distortion"
keys w
step "A: w again makes RMLO active" "Active view: RMLO"
keys F; keys -l "focal asymmetry"; keys Enter
step "A: second mark is listed" "2. focal asymmetry"
keys b 1 4
step "A: per-breast assessment recorded" "Reader: R BI-RADS 1 / L BI-RADS 4"
absent "A: still blinded" "architectural distortion"
absent "B: nothing queued before the reveal" "1/1 studies"
on $SA
keys R
step "A: reveal lists the discordances" "AI revealed: 2 discordance(s)"
T=$(seconds_until $SB "1/1 studies" 15)
if within "$T" 4; then ok "B: the revealed study joins B's live queue within 4 s (${T} s, no restart)"; else fail "B: the revealed study joins B's live queue within 4 s (${T} s)"; fi
on $SB
check "B: the study's row says discordant (besides the filter line)" "$(screen | grep -c 'discordant')" "2"
step "B: the row says A has it open" "[reading: first-reader]" 6

echo "# 2. A decides, kill -9 right after the last decision shows, restart, sign"
on $SA
keys S
step "A: sign-off waits for the discordances" "2 discordance(s) need a decision before sign-off"
keys n
step "A: n steps to the AI-only asymmetry" "Finding 2/4: asymmetry"
keys X 1
step "A: AI-only region rejected with a reason" "Rejected: asymmetry (artefact / not a lesion)"
keys n n
step "A: n n steps to the reader-only mark" "Finding 4/4: focal asymmetry"
keys A
wait_for "Ready to sign (S)" 20 >/dev/null
kill -9 "$(pane_pid $SA)"
ok "A: killed with kill -9 as soon as the decision showed"
check "A's decisions after kill -9: each exactly once" \
    "$(pg "SELECT string_agg(decision || ':' || source || ':' || label || ':' || coalesce(reason, ''), '|' ORDER BY id) FROM decisions WHERE reader = 'first-reader'")" \
    "reject:ai:asymmetry:artefact / not a lesion|accept:reader:focal asymmetry:"
on $SB
if wait_gone "[reading: first-reader]" 10; then ok "B: A's reading claim is released when A's process dies"; else fail "B: A's reading claim is released when A's process dies"; fi
start $SA first-reader --second-reader
step "A: restart resumes in the study" "Resumed where you left off" 60
on $SB
step "B: A is reading again after the restart" "[reading: first-reader]" 10
on $SA
if wait_gone "Loading" 60; then ok "A: views reload"; else fail "A: views reload"; fi
step "A: still revealed after the restart" "architectural distortion"
keys S
step "A: signs with both decisions back (nothing to decide again)" "SIGNED: R BI-RADS 1 / L BI-RADS 4"
keys Q
sleep 1
check "A: screening events (a start again after the kill -9)" \
    "$(pg "SELECT string_agg(event || ':' || coalesce(right_birads::text, '') || ':' || coalesce(left_birads::text, ''), ',' ORDER BY id) FROM screening_events WHERE reader = 'first-reader'")" \
    "start::,assess:1:4,reveal::,start::,sign:1:4"
check "A: discordances (AI-only asymmetry, reader-only mark, both right breast)" \
    "$(pg "SELECT string_agg(kind || ':' || label || ':' || laterality, '|' ORDER BY id) FROM discordances")" \
    "ai_only:asymmetry:R|reader_only:focal asymmetry:R"
check "A: still exactly two decisions after the restart and sign-off" "$(pg "SELECT count(*) FROM decisions WHERE reader = 'first-reader'")" "2"
check "A: two marks" "$(pg "SELECT string_agg(label, '|' ORDER BY id) FROM reader_findings WHERE reader = 'first-reader' AND removed_at IS NULL")" "distortion|focal asymmetry"
check "A: one sign-off, not forced" "$(pg "SELECT count(*) || ':' || string_agg(assessment, ',') || ':' || sum(forced::int) FROM signoffs WHERE reader = 'first-reader'")" "1:R BI-RADS 1 / L BI-RADS 4:0"
check "the queue (lightbox review discordance on the URL)" \
    "$("$LIGHTBOX" review discordance --db "$URL" --json | python3 -c 'import json,sys; q=json.load(sys.stdin)["queue"]; print(len(q), q[0]["ai_only"], q[0]["reader_only"], ",".join(q[0]["readers"]))')" "1 1 1 first-reader"

echo "# 3. B arbitrates; pg_ctl restart mid-session; another decision lands once"
on $SB
step "B: still queued after A's sign-off" "1/1 studies"
keys Enter
step "B: arbitrator sees the first read" "First read first-reader: R 1 L 4"
step "B: arbitrator sees the AI (no blinding)" "architectural distortion"
step "B: arbitrator sees the first reader's mark" "first-reader: focal asymmetry"
keys n
step "B: n steps to the AI-only asymmetry" "Finding 2/3: asymmetry"
keys A
step "B: arbitrator accepts the AI-only region" "accepted"
sleep 0.5
STARTED=$(pg "SELECT pg_postmaster_start_time()")
if pg_restart; then ok "pg_ctl restart of the server mid-session"; else fail "pg_ctl restart of the server mid-session"; fi
check "the server restarted (a later postmaster start time)" "$(pg "SELECT pg_postmaster_start_time() > '$STARTED'::timestamptz")" "t"
on $SB
keys n
step "B: n steps to the first reader's mark" "Finding 3/3: first-reader: focal asymmetry"
keys X 2
step "B: the decision after the restart is taken" "Rejected: first-reader: focal asymmetry (benign / known finding)"
check "B: decisions around the restart, each exactly once" \
    "$(pg "SELECT string_agg(decision || ':' || source || ':' || label, '|' ORDER BY id) FROM decisions WHERE reader = 'arbiter'")" \
    "accept:ai:asymmetry|reject:reader:first-reader: focal asymmetry"
keys b 3 1
step "B: arbitrator's BI-RADS" "Reader: R BI-RADS 3 / L BI-RADS 1"
keys S
step "B: arbitrated study is signed" "SIGNED: R BI-RADS 3 / L BI-RADS 1"
keys Q
sleep 1
check "B: one arbitration event" "$(pg "SELECT count(*) || ':' || string_agg(right_birads || '/' || left_birads, ',') FROM screening_events WHERE event = 'arbitrate' AND reader = 'arbiter'")" "1:3/1"
check "all screening events, by reader" \
    "$(pg "SELECT string_agg(reader || ':' || event, ',' ORDER BY id) FROM screening_events")" \
    "first-reader:start,first-reader:assess,first-reader:reveal,first-reader:start,first-reader:sign,arbiter:assess,arbiter:arbitrate"
check "all decisions: four, by reader" \
    "$(pg "SELECT string_agg(reader || ':' || decision, ',' ORDER BY id) FROM decisions")" \
    "first-reader:reject,first-reader:accept,arbiter:accept,arbiter:reject"
check "all sign-offs: two, by reader, none forced" \
    "$(pg "SELECT string_agg(reader || ':' || assessment || ':' || forced::int, ',' ORDER BY id) FROM signoffs")" \
    "first-reader:R BI-RADS 1 / L BI-RADS 4:0,arbiter:R BI-RADS 3 / L BI-RADS 1:0"
check "no duplicate decision (reader, study, finding, decision)" \
    "$(pg "SELECT count(*) FROM (SELECT reader, study_uid, finding_key, decision FROM decisions GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d")" "0"
check "queue is empty after arbitration" "$("$LIGHTBOX" review discordance --db "$URL" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["queue"]))')" "0"
check "the database refuses DELETE of a decision (append-only)" \
    "$(pg "DELETE FROM decisions" >/dev/null 2>&1 && echo allowed || echo refused)" "refused"
check "no reading claims left" "$(pg "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2")" "0"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
