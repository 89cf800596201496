#!/usr/bin/env bash
# End-to-end test of second-reader screening: drives the real binary in tmux and checks the
# review database with sqlite3.
#
#   1. a blinded first read of a screening mammogram (the AI's findings, scores, banner and
#      priority are nowhere on screen), two marks, per-breast BI-RADS, `kill -9` and a restart
#      that is still blind with everything back, reveal, a decision on each
#      discordance, sign-off: the database holds exactly those rows; `lightbox review
#      discordance` queues the study and `lightbox review stats` counts it;
#   2. a third reader arbitrates from the queue, is killed with `kill -9` after the decisions,
#      restarts where they were, and signs: the study leaves the queue.
#
# The AI's findings come from an analysis.json written beside a copy of the sample study.
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux, sqlite3, python3.
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
STUDY_SRC=${STUDY_SRC:-SampleStudies/02_MG_ALICE_2026}
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys, sql …

for tool in tmux sqlite3 python3; do
    command -v $tool >/dev/null || { echo "0 passed, 1 failed ($tool not installed)"; exit 1; }
done
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX; build it or set LIGHTBOX)"; exit 1; }
[ -d "$STUDY_SRC" ] || { echo "0 passed, 1 failed (no $STUDY_SRC)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-sr-e2e.XXXXXX)
SESSION=lightbox-sr-e2e-$$
trap cleanup EXIT

# The AI: the sidecar's mass on LCC (concordant with the reader's mark below) and an asymmetry on
# RCC the reader will not mark (AI only). SOP UIDs come from the ground-truth sidecar's file list.
mkdir -p "$WORK/studies" "$WORK/config"
cp -r "$STUDY_SRC" "$WORK/studies/mg"
python3 - "$WORK/studies/mg" <<'PY' || { echo "0 passed, 1 failed (analysis.json)"; exit 1; }
import json, sys, os
d = sys.argv[1]
gt = json.load(open(os.path.join(d, "ground_truth.json")))
s = gt["series"][0]
sop = {f.split("_")[1].split(".")[0]: u for f, u in zip(s["files"], s["sop_instance_uids"])}
mass = gt["lesions"][0]
assert mass["sop_instance_uid"] == sop["LCC"]
json.dump({
    "study_instance_uid": gt["study_instance_uid"],
    "model": {"id": "e2e-mammo-model", "version": "0.0.1", "sha256": "0" * 64, "clinical_use": False},
    "findings": [
        {"id": 1, "label": "spiculated mass", "probability": 0.93, "risk": "high", "sop_instance_uid": sop["LCC"],
         "center_px": mass["center_px"], "diameter_mm": mass["diameter_mm"]},
        {"id": 2, "label": "asymmetry", "probability": 0.35, "risk": "low", "sop_instance_uid": sop["RCC"],
         "center_px": [300, 300], "diameter_mm": 8},
    ]}, open(os.path.join(d, "analysis.json"), "w"))
print(mass["center_px"][0], mass["center_px"][1], s["columns"], s["rows"])
PY
read MASS_X MASS_Y COLS ROWS < <(python3 -c "
import json; gt = json.load(open('$WORK/studies/mg/ground_truth.json')); s = gt['series'][0]
print(gt['lesions'][0]['center_px'][0], gt['lesions'][0]['center_px'][1], s['columns'], s['rows'])")

# start DB READER [FLAGS…]: the workstation in a fresh tmux session (the pane's process is lightbox).
start() {
    local db=$1 reader=$2; shift 2
    tmux kill-session -t "$SESSION" 2>/dev/null
    tmux new-session -d -s "$SESSION" -x 170 -y 48 \
        "cd '$WORK' && export XDG_CONFIG_HOME='$WORK/config' TERM=tmux-256color && exec '$LIGHTBOX' open studies --db '$db' --reader $reader $*"
}
# press KEY N: N presses of one key.

DB="$WORK/review.sqlite"
echo "# run 1: blinded first read, reveal, discordances, sign"
start "$DB" first-reader --second-reader
step "worklist says the AI is hidden" "AI: hidden until reveal"
sleep 1  # give the background AI time to finish: the worklist must still not show it
absent "worklist shows no AI result" "2 findings"
absent "worklist priority does not leak the AI's risk" "URGENT"
keys Enter
step "study opens blinded" "SECOND READER: blinded first read"
step "panel says the AI is hidden" "AI: hidden — blinded first read"
if wait_gone "Loading" 40; then ok "the four views load"; else fail "the four views load"; fi
absent "no AI finding on screen" "spiculated mass"
absent "no not-for-clinical-use banner (it names the model)" "NOT FOR CLINICAL USE"
absent "no model name" "e2e-mammo-model"
keys R
step "reveal needs the BI-RADS first" "Record the BI-RADS for both breasts first"

# Mark the mass on LCC: the cursor starts at the image centre and moves max(w,h)/64 px per key.
keys w
step "w makes LCC the active view" "Active view: LCC"
read NL NU CX CY < <(python3 -c "
w, h, x, y = $COLS, $ROWS, $MASS_X, $MASS_Y; st = max(1, max(w, h) / 64)
nl, nu = round((w / 2 - x) / st), round((h / 2 - y) / st)
print(nl, nu, int(w / 2 - nl * st), int(h / 2 - nu * st))")
press Left "$NL"; press Up "$NU"
step "cursor is on the mass" "($CX,$CY)"
keys F
step "add finding asks for a label" "Label for the new finding"
keys -l "mass"; keys Enter
step "mark is listed" "1. mass"
keys w
step "w again makes RMLO active" "Active view: RMLO"
keys F; keys -l "focal asymmetry"; keys Enter
step "second mark is listed" "2. focal asymmetry"
keys b
step "BI-RADS prompt numbers from 0" "0  0 incomplete"
keys 1
step "left breast asked next" "LEFT breast BI-RADS"
keys 4
step "per-breast assessment recorded" "Reader: R BI-RADS 1 / L BI-RADS 4"
absent "still blinded after the assessment" "spiculated mass"
# kill -9 in the middle of the blinded read: the marks and the assessment are already stored, and
# the restarted read is still blind.
PID=$(tmux display-message -p -t "$SESSION" '#{pane_pid}')
kill -9 "$PID"
sleep 0.5
check "marks and BI-RADS survived kill -9" "$(sql "SELECT (SELECT count(*) FROM reader_findings) || ':' || (SELECT group_concat(right_birads || '/' || left_birads) FROM screening_events WHERE event = 'assess')")" "2:1/4"
start "$DB" first-reader --second-reader
step "restart resumes in the study" "Resumed where you left off" 30
step "assessment is back" "Reader: R BI-RADS 1 / L BI-RADS 4"
step "marks are back" "2. focal asymmetry"
if wait_gone "Loading" 40; then ok "views reload"; else fail "views reload"; fi
absent "still blinded after the restart" "spiculated mass"
keys R
step "reveal lists the discordances" "AI revealed: 2 discordance(s)"
step "AI findings appear" "spiculated mass"
step "per-breast AI scores" "AI per breast: R 35% (1)  L 93% (1)"
step "AI-only region flagged" "DISCORDANT: AI only"
step "reader-only mark flagged" "DISCORDANT: reader only"
keys S
step "sign-off waits for the discordances" "2 discordance(s) need a decision before sign-off"
keys n
step "n steps to the AI-only asymmetry" "Finding 2/4: asymmetry"
keys X; keys 1
step "AI-only region rejected with a reason" "Rejected: asymmetry (artefact / not a lesion)"
keys n n
step "n n steps to the reader-only mark" "Finding 4/4: focal asymmetry"
keys A
step "reader-only mark kept" "Ready to sign (S)"
keys S
step "study is signed with the per-breast BI-RADS" "SIGNED: R BI-RADS 1 / L BI-RADS 4"
keys Q
sleep 1
check "screening events: start, assess, start (after the restart), reveal, sign" "$(sql "SELECT group_concat(event || ':' || ifnull(right_birads, '') || ':' || ifnull(left_birads, ''), ',') FROM (SELECT * FROM screening_events ORDER BY id)")" \
    "start::,assess:1:4,start::,reveal::,sign:1:4"
check "discordances: the AI-only asymmetry and the reader-only mark, both right breast" \
    "$(sql "SELECT group_concat(kind || ':' || label || ':' || laterality, '|') FROM (SELECT * FROM discordances ORDER BY id)")" \
    "ai_only:asymmetry:R|reader_only:focal asymmetry:R"
check "decisions: exactly one per discordance" \
    "$(sql "SELECT group_concat(decision || ':' || source || ':' || label || ':' || ifnull(reason, ''), '|') FROM (SELECT * FROM decisions ORDER BY id)")" \
    "reject:ai:asymmetry:artefact / not a lesion|accept:reader:focal asymmetry:"
check "the AI decision carries the model" "$(sql "SELECT model_id || ':' || length(model_sha256) FROM decisions WHERE source = 'ai'")" "e2e-mammo-model:64"
check "two reader marks" "$(sql "SELECT group_concat(label, '|') FROM (SELECT * FROM reader_findings WHERE removed_at IS NULL ORDER BY id)")" "mass|focal asymmetry"
check "one sign-off, not forced" "$(sql "SELECT count(*) || ':' || group_concat(assessment) || ':' || sum(forced) FROM signoffs")" "1:R BI-RADS 1 / L BI-RADS 4:0"
check "audit records two opens (before and after the kill)" "$(sql "SELECT count(*) FROM audit WHERE action = 'open'")" "2"
if sql "DELETE FROM discordances" 2>/dev/null; then fail "discordances refuse DELETE"; else ok "discordances refuse DELETE"; fi
check "review discordance queues the study" "$("$LIGHTBOX" review discordance --db "$DB" --json | python3 -c 'import json,sys; q=json.load(sys.stdin)["queue"]; print(len(q), q[0]["ai_only"], q[0]["reader_only"], ",".join(q[0]["readers"]))')" "1 1 1 first-reader"
check "review stats: 1 read, recall 100%, discordant 100%, one time" "$("$LIGHTBOX" review stats --db "$DB" --reader first-reader --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["studies_read"], "%g" % s["recall_rate"], "%g" % s["discordance_rate"], len(s["seconds_per_study"]), s["mean_seconds"] > 0)')" "1 1 1 1 True"

echo "# run 2: arbitration from the queue, kill -9 after the decisions"
start "$DB" arbiter --arbitrate
step "arbitration worklist lists the queued study" "1/1 studies" 60
keys Enter
step "arbitrator sees the first read" "First read first-reader: R 1 L 4"
step "arbitrator sees the AI (no blinding)" "spiculated mass"
step "arbitrator sees the first reader's mark" "first-reader: focal asymmetry"
keys n
step "n steps to the AI-only asymmetry" "Finding 2/3: asymmetry"
keys A
step "arbitrator accepts the AI-only region" "accepted"
keys n
step "n steps to the first reader's mark" "Finding 3/3: first-reader: focal asymmetry"
keys X; keys 2
step "arbitrator rejects the reader-only mark" "Rejected: first-reader: focal asymmetry (benign / known finding)"
PID=$(tmux display-message -p -t "$SESSION" '#{pane_pid}')
kill -9 "$PID"
sleep 0.5
check "both arbitration decisions survived kill -9" "$(sql "SELECT group_concat(decision, ',') FROM (SELECT * FROM decisions WHERE reader = 'arbiter' ORDER BY id)")" "accept,reject"
start "$DB" arbiter --arbitrate
step "restart resumes in the study" "Resumed where you left off" 30
step "decisions are back on screen" "✗ rejected: benign / known finding"
keys b 3 1
step "arbitrator's BI-RADS" "Reader: R BI-RADS 3 / L BI-RADS 1"
keys S
step "arbitrated study is signed" "SIGNED: R BI-RADS 3 / L BI-RADS 1"
keys Q
sleep 1
check "arbitration recorded" "$(sql "SELECT count(*) || ':' || group_concat(right_birads || '/' || left_birads) FROM screening_events WHERE event = 'arbitrate' AND reader = 'arbiter'")" "1:3/1"
check "arbiter's sign-off" "$(sql "SELECT count(*) FROM signoffs WHERE reader = 'arbiter'")" "1"
check "queue is empty after arbitration" "$("$LIGHTBOX" review discordance --db "$DB" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["queue"]))')" "0"
check "first reader's rows untouched" "$(sql "SELECT count(*) FROM decisions WHERE reader = 'first-reader'")" "2"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
