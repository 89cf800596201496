#!/usr/bin/env bash
# End-to-end test of teaching sessions (`lightbox teach`): drives the real binary in tmux.
#
#   1. a three-case quiz (two abnormal chest radiographs and a normal one): marks placed with the
#      cursor keys, an assessment, reveal on each case, the session summary; the score on screen
#      and in the database matches the score this script computes itself from the ground-truth
#      sidecars and the marks' positions (a hit: within max(radius, 5 mm) on the same image);
#   2. the same cases in known mode with --presenter: answers visible at once, de-identified.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux, sqlite3, python3.
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
CASES="07_CXR_YAMADA_2026 08_CR_DMITRI_2026 09_DX_EMMA_2026"
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys, sql …

for tool in tmux sqlite3 python3; do
    command -v $tool >/dev/null || { echo "0 passed, 1 failed ($tool not installed)"; exit 1; }
done
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX; build it or set LIGHTBOX)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-teach-e2e.XXXXXX)
SESSION=lightbox-teach-e2e-$$
trap cleanup EXIT
mkdir -p "$WORK/cases" "$WORK/config"
for c in $CASES; do
    [ -d "SampleStudies/$c" ] || { echo "0 passed, 1 failed (no SampleStudies/$c)"; exit 1; }
    cp -r "SampleStudies/$c" "$WORK/cases/$c"
done

# start DB FLAGS…: `lightbox teach` in a fresh tmux session.
start() {
    local db=$1; shift
    tmux kill-session -t "$SESSION" 2>/dev/null
    tmux new-session -d -s "$SESSION" -x 170 -y 50 \
        "cd '$WORK' && export XDG_CONFIG_HOME='$WORK/config' TERM=tmux-256color && exec '$LIGHTBOX' teach cases --db '$db' $*"
}
# cursor_to CASE: arrow presses from the image centre to the case's first lesion (step max(w,h)/64 px).
cursor_to() {
    python3 - "$WORK/cases/$1/ground_truth.json" <<'PY'
import json, sys
gt = json.load(open(sys.argv[1])); s = gt["series"][0]; x, y = gt["lesions"][0]["center_px"]
w, h = s["columns"], s["rows"]; st = max(1, max(w, h) / 64)
print(round((w / 2 - x) / st), round((h / 2 - y) / st))
PY
}
loaded() { if wait_gone "Loading" 30; then ok "$1"; else fail "$1"; fi; }

DB="$WORK/review.sqlite"
echo "# run 1: three-case quiz"
start "$DB" --mode unknown --order fixed --trainee quiz-trainee
step "session opens on case 1 as a quiz" "CASE 1/3 — quiz"
loaded "case 1 image loads"
absent "no answer before the reveal" "adenocarcinoma"
absent "no ground truth before the reveal" "GROUND TRUTH"
read NL NU < <(cursor_to 07_CXR_YAMADA_2026)
press Left "$NL"; press Up "$NU"
keys F; keys -l "nodule"; keys Enter
step "mark on the nodule is listed" "1. nodule"
press Right 20
keys F; keys Enter
step "a second, stray mark is listed" "2. reader finding"
keys b
step "assessment prompt" "Your assessment"
keys 5
step "assessment recorded" "Assessment: highly suspicious"
keys R
step "reveal scores case 1" "SCORE:"
step "reveal shows the teaching text" "DIAGNOSIS"
step "reveal shows the ground truth" "GT 1. nodule, right upper zone"
keys .
step "next case" "CASE 2/3 — quiz"
loaded "case 2 image loads"
keys F; keys Enter
step "mark on the normal film" "1. reader finding"
keys R
step "reveal on the normal case" "GROUND TRUTH (normal)"
keys .
step "third case" "CASE 3/3 — quiz"
keys R
step "reveal with no marks" "SCORE: 0 hits"
keys ,
step "previous case key goes back" "CASE 2/3"
keys . .
step "past the last case: the summary" "Teaching session summary"
SUMMARY=$(screen)
keys Q
sleep 1

# The expected score, from the sidecars and the marks' stored positions, by this script's own rule.
EXPECTED=$(python3 - "$WORK/cases" "$DB" <<'PY'
import json, math, os, sqlite3, sys
cases, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
by_uid = {}
for name in sorted(os.listdir(cases)):
    gt = json.load(open(os.path.join(cases, name, "ground_truth.json")))
    by_uid[gt["study_instance_uid"]] = gt
rows = []
tot = [0, 0, 0]
for (uid, n) in con.execute("SELECT study_uid, case_number FROM teaching_results ORDER BY case_number"):
    gt = by_uid[uid]
    rs, cs = gt["series"][0]["pixel_spacing_mm"]
    marks = con.execute("""SELECT sop_uid, x, y FROM teaching_marks m WHERE study_uid = ? AND removes IS NULL
                           AND NOT EXISTS (SELECT 1 FROM teaching_marks r WHERE r.removes = m.id)""", (uid,)).fetchall()
    hit, fps = set(), 0
    for sop, x, y in marks:
        mine = [i for i, l in enumerate(gt["lesions"]) if l["sop_instance_uid"] == sop and
                math.hypot((x - l["center_px"][0]) * cs, (y - l["center_px"][1]) * rs) <= max(l["diameter_mm"] / 2, 5)]
        hit.update(mine)
        fps += not mine
    les = len(gt["lesions"])
    rows.append(f"{n}:{les}:{len(hit)}:{les - len(hit)}:{fps}")
    tot = [tot[0] + len(hit), tot[1] + les - len(hit), tot[2] + fps]
print(",".join(rows), *tot)
PY
)
read EXP_ROWS EXP_H EXP_M EXP_F <<<"$EXPECTED"
check "the quiz covered three cases, each scored" "$(sql "SELECT count(*) FROM teaching_results WHERE trainee = 'quiz-trainee'")" "3"
check "stored per-case scores match the sidecars (case:lesions:hits:misses:false positives)" \
    "$(sql "SELECT group_concat(case_number || ':' || lesions || ':' || hits || ':' || misses || ':' || false_positives, ',') FROM (SELECT * FROM teaching_results ORDER BY case_number)")" "$EXP_ROWS"
check "the scenario has a hit, a miss and false positives" "$EXP_H $EXP_M $EXP_F" "1 1 2"
plural() { [ "$1" = 1 ] && echo "$1 $2" || echo "$1 $2s"; }
TOTAL="Total over 3 revealed cases: $(plural "$EXP_H" hit), $EXP_M missed, $(plural "$EXP_F" "false positive")"
if grep -qF -- "$TOTAL" <<<"$SUMMARY"; then ok "summary on screen matches: $TOTAL"; else fail "summary on screen: expected '$TOTAL'"; echo "$SUMMARY" | sed 's/^/    /'; fi
check "case 1's assessment stored" "$(sql "SELECT assessment FROM teaching_results WHERE case_number = 1")" "highly suspicious"
check "one quiz session recorded" "$(sql "SELECT count(*) || ':' || mode || ':' || case_order || ':' || cases FROM teaching_sessions")" "1:unknown:fixed:3"
check "marks: two on case 1, one on case 2" "$(sql "SELECT count(*) FROM teaching_marks")" "3"
if sql "DELETE FROM teaching_results" 2>/dev/null; then fail "teaching_results refuse DELETE"; else ok "teaching_results refuse DELETE"; fi
check "teaching leaves the reading tables alone" "$(sql "SELECT (SELECT count(*) FROM reader_findings) + (SELECT count(*) FROM decisions) + (SELECT count(*) FROM signoffs)")" "0"

echo "# run 2: known mode, presenter"
start "$DB" --mode known --presenter --trainee presenter
step "known mode opens on case 1" "CASE 1/3 — known"
step "the answer shows at once" "DIAGNOSIS"
step "ground truth listed" "GT 1. nodule, right upper zone"
step "display is de-identified" "Patient "
absent "no patient name" "YAMADA"
keys E
step "E shows the summary" "Teaching session summary"
keys Q
sleep 1
check "known session recorded without scores" "$(sql "SELECT count(*) FROM teaching_sessions WHERE mode = 'known'"):$(sql "SELECT count(*) FROM teaching_results WHERE trainee = 'presenter'")" "1:0"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
