#!/usr/bin/env bash
# End-to-end test of the reading workstation: drives the real binary in tmux (send-keys,
# capture-pane) and checks the review database with sqlite3.
#
#   1. open the worklist, open a CT study, step to a finding, accept it, reject another with a
#      reason, add a reader finding, sign, quit: the database holds exactly those rows;
#   2. the same flow killed with `kill -9` right after the second decision: after a restart both
#      decisions are in the database and on screen, and the reader is back in the study.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux, sqlite3, python3.
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
STUDY_SRC=${STUDY_SRC:-SampleStudies/05_LDCT_YAMADA_2026}
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys, sql …

for tool in tmux sqlite3 python3; do
    command -v $tool >/dev/null || { echo "0 passed, 1 failed ($tool not installed)"; exit 1; }
done
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX; build it or set LIGHTBOX)"; exit 1; }
[ -d "$STUDY_SRC" ] || { echo "0 passed, 1 failed (no $STUDY_SRC)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-e2e.XXXXXX)
SESSION=lightbox-e2e-$$
trap cleanup EXIT

# A study folder with an analysis.json beside it: two findings, as a model would write them.
mkdir -p "$WORK/studies" "$WORK/config"
cp -r "$STUDY_SRC" "$WORK/studies/ct"
"$LIGHTBOX" ls --json --no-cache "$WORK/studies" > "$WORK/ls.json" || { echo "0 passed, 1 failed (lightbox ls)"; exit 1; }
python3 - "$WORK/ls.json" "$WORK/studies/ct/analysis.json" <<'PY'
import json, sys
study = json.load(open(sys.argv[1]))["studies"][0]
series = max(study["series"], key=lambda s: len(s["instances"]))
inst = sorted(series["instances"], key=lambda i: i["instanceNumber"] or 0)
a, b = inst[len(inst) // 3], inst[2 * len(inst) // 3]
json.dump({
    "study_instance_uid": study["studyInstanceUID"],
    "model": {"id": "e2e-demo-model", "version": "0.0.1", "sha256": "0" * 64, "clinical_use": False},
    "findings": [
        {"id": 1, "label": "solid nodule", "probability": 0.91, "risk": "high", "series_instance_uid": series["seriesInstanceUID"],
         "sop_instance_uid": a["sopInstanceUID"], "center_px": [100, 120], "bbox_px": [92, 112, 16, 16], "diameter_mm": 11.0},
        {"id": 2, "label": "ground-glass nodule", "probability": 0.62, "risk": "intermediate",
         "series_instance_uid": series["seriesInstanceUID"], "sop_instance_uid": b["sopInstanceUID"], "center_px": [160, 90],
         "diameter_mm": 7.0},
    ]}, open(sys.argv[2], "w"))
PY

# start DB: launches the workstation in a fresh tmux session (the pane's process is lightbox itself).
start() {
    tmux kill-session -t "$SESSION" 2>/dev/null
    tmux new-session -d -s "$SESSION" -x 160 -y 45 \
        "cd '$WORK' && export XDG_CONFIG_HOME='$WORK/config' TERM=tmux-256color && exec '$LIGHTBOX' open studies --db '$1' --reader e2e-reader"
}

# Opens the study and makes the two decisions (shared by both runs).
decide_two() {
    step "worklist lists the study with the model's findings" "AI: 2 findings, high"
    keys Enter
    step "study opens with the findings panel" "solid nodule"
    step "series loads" "Im " 30
    keys n
    step "n steps to the second finding" "Finding 2/2: ground-glass nodule"
    keys A
    step "accept is confirmed" "accepted"
    keys N
    step "N steps back to the first finding" "Finding 1/2: solid nodule"
    keys X
    step "reject asks for a reason" "artefact / not a lesion"
    keys 1
    step "reject is confirmed with its reason" "rejected: artefact / not a lesion"
}

echo "# run 1: the whole reading"
DB="$WORK/run1.sqlite"
start "$DB"
decide_two
keys t
step "the tag browser shows the image's header (read off the UI loop)" "(0002,0010) UI"
keys q
keys F
step "add finding asks for a label" "Label for the new finding"
keys -l "missed nodule"
keys Enter
step "reader finding is listed" "missed nodule"
keys S
step "sign-off asks for an assessment" "overall assessment"
keys 4
step "study is signed" "SIGNED: suspicious"
keys Q
sleep 1
check "decisions are exactly accept + reject" "$(sql "SELECT group_concat(decision || ':' || label || ':' || ifnull(reason, ''), '|') FROM (SELECT * FROM decisions ORDER BY id)")" \
    "accept:ground-glass nodule:|reject:solid nodule:artefact / not a lesion"
check "decisions carry reader, model and SOP UID" "$(sql "SELECT count(*) FROM decisions WHERE reader = 'e2e-reader' AND model_id = 'e2e-demo-model' AND model_version = '0.0.1' AND length(model_sha256) = 64 AND sop_uid <> '' AND study_uid <> ''")" "2"
check "one reader finding" "$(sql "SELECT count(*) || ':' || group_concat(label) FROM reader_findings WHERE removed_at IS NULL")" "1:missed nodule"
check "one sign-off, not forced" "$(sql "SELECT count(*) || ':' || group_concat(assessment) || ':' || sum(forced) FROM signoffs")" "1:suspicious:0"
check "audit records the open" "$(sql "SELECT count(*) FROM audit WHERE action = 'open' AND reader = 'e2e-reader'")" "1"
if sql "DELETE FROM audit" 2>/dev/null; then fail "audit refuses DELETE"; else ok "audit refuses DELETE"; fi
check "lightbox review list --json agrees" "$("$LIGHTBOX" review list --db "$DB" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["decisions"]), len(d["reader_findings"]), len(d["signoffs"]))')" "2 1 1"

echo "# run 2: kill -9 after the second decision"
DB="$WORK/run2.sqlite"
start "$DB"
decide_two
PID=$(tmux display-message -p -t "$SESSION" '#{pane_pid}')
kill -9 "$PID"
sleep 0.5
check "both decisions survived kill -9" "$(sql "SELECT group_concat(decision, ',') FROM (SELECT * FROM decisions ORDER BY id)")" "accept,reject"
start "$DB"
step "restart resumes in the study" "Resumed where you left off" 30
step "earlier accept is on screen" "accepted"
step "earlier reject is on screen" "rejected: artefact / not a lesion"
keys u
step "undo after the restart reverts the reject" "Undone: reject"
keys Q
sleep 1
check "undo appended a row naming the reject" "$(sql "SELECT count(*) FROM decisions d JOIN decisions r ON d.undoes = r.id WHERE d.decision = 'undo' AND r.decision = 'reject'")" "1"
check "audit shows two opens (before and after the kill)" "$(sql "SELECT count(*) FROM audit WHERE action = 'open'")" "2"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
