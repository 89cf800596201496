#!/usr/bin/env bash
# End-to-end test of the reading tools (issue 21) in the real binary under tmux:
#
#   1. open a CT study, accept its finding, set the lung window and zoom, mark the image key (*):
#      the corner and the panel show it and the review database holds the mark with its view;
#      draft the report (d), edit it (type, Enter, Backspace), keep it (Esc), sign (S): the database
#      holds the kept draft and the signed text naming its sign-off;
#   2. export the KOS and GSPS into the study folder, the report as text and the SR (dsrdump reads
#      the report's text);
#   3. a fresh database (no marks in the store): the KOS flags the image and arriving at it applies
#      the GSPS window.
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux, sqlite3, python3, dsrdump.
set -u
cd "$(dirname "$0")/../.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
STUDY_SRC=${STUDY_SRC:-SampleStudies/05_LDCT_YAMADA_2026}
. Tests/EndToEnd/lib/harness.sh

for tool in tmux sqlite3 python3 dsrdump; do
    command -v $tool >/dev/null || { echo "0 passed, 1 failed ($tool not installed)"; exit 1; }
done
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX; build it or set LIGHTBOX)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-reading.XXXXXX)
SESSION=lightbox-reading-$$
trap cleanup EXIT
mkdir -p "$WORK/studies" "$WORK/config"
cp -r "$STUDY_SRC" "$WORK/studies/ct"
"$LIGHTBOX" ls --json --no-cache "$WORK/studies" > "$WORK/ls.json" || { echo "0 passed, 1 failed (lightbox ls)"; exit 1; }
python3 - "$WORK/ls.json" "$WORK/studies/ct/analysis.json" <<'PY'
import json, sys
study = json.load(open(sys.argv[1]))["studies"][0]
series = max(study["series"], key=lambda s: len(s["instances"]))
inst = sorted(series["instances"], key=lambda i: i["instanceNumber"] or 0)
a = inst[len(inst) // 3]
json.dump({
    "study_instance_uid": study["studyInstanceUID"],
    "model": {"id": "e2e-demo-model", "version": "0.0.1", "sha256": "0" * 64, "clinical_use": False},
    "findings": [
        {"id": 1, "label": "solid nodule", "probability": 0.91, "risk": "high", "series_instance_uid": series["seriesInstanceUID"],
         "sop_instance_uid": a["sopInstanceUID"], "center_px": [100, 120], "bbox_px": [92, 112, 16, 16], "diameter_mm": 11.0},
    ]}, open(sys.argv[2], "w"))
PY

start() {
    tmux kill-session -t "$SESSION" 2>/dev/null
    tmux new-session -d -s "$SESSION" -x 160 -y 45 \
        "cd '$WORK' && export XDG_CONFIG_HOME='$WORK/config' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open studies --db '$1' --reader e2e-reader"
}

echo "# run 1: mark a key image, write and sign the report"
DB="$WORK/run1.sqlite"
start "$DB"
step "worklist lists the study" "AI: 1 finding"
keys Enter
step "series loads" "Im " 30
keys n
step "n jumps to the finding" "Finding 1/1: solid nodule"
keys A
step "accepted" "accepted"
keys 2 z
keys -l '*'
step "the corner marks the key image" "★ KEY"
step "the panel counts it" "Key images: 1"
check "the store holds the mark with its window and zoom" \
    "$(sql "SELECT count(*) || ':' || window_center || ':' || window_width || ':' || (area_left IS NOT NULL) FROM key_images")" "1:-600.0:1500.0:1"
keys d
step "d opens the draft" "FINDINGS:"
step "the draft words the nodule with Lung-RADS v2022" "Solid nodule, 11.0 mm. Lung-RADS v2022 category 4A (suspicious)."
keys Down End
keys -l " Stable since 2024."
keys Enter
keys -l "2. Emphysema, 山田 mild.x"
keys BSpace
step "typed text shows in the editor" "2. Emphysema, 山田 mild."
keys Escape
step "Esc keeps the draft" "Report: draft kept"
keys S
step "sign-off asks for an assessment" "overall assessment"
keys 4
step "signed" "SIGNED: suspicious"
step "the panel says the report is signed" "Report: signed with the sign-off"
keys Q
sleep 1
check "two report rows: the kept draft, then the signed text" "$(sql "SELECT count(*) || ':' || sum(signoff_id IS NULL) FROM reports")" "2:1"
check "the signed row names the sign-off" "$(sql "SELECT count(*) FROM reports r JOIN signoffs s ON r.signoff_id = s.id")" "1"
check "the signed text is the edited one" \
    "$(sql "SELECT instr(findings, 'Stable since 2024.') > 0 AND instr(findings, '2. Emphysema, 山田 mild.') > 0 AND instr(findings, 'mild.x') = 0 FROM reports ORDER BY id DESC LIMIT 1")" "1"
if sql "UPDATE reports SET findings = ''" 2>/dev/null; then fail "reports refuse UPDATE"; else ok "reports refuse UPDATE"; fi

echo "# run 2: exports"
"$LIGHTBOX" review export "$WORK/studies/ct" --db "$DB" --kos "$WORK/studies/ct/kos.dcm" --gsps "$WORK/studies/ct/gsps.dcm" \
    --sr "$WORK/sr.dcm" --report "$WORK/report.txt" > "$WORK/export.log" 2>&1
check "review export succeeds" "$?" "0"
check "the text export is the signed report" "$(grep -c -e '^Status signed' -e 'Stable since 2024.' "$WORK/report.txt")" "2"
check "dsrdump prints the report's impression from the SR" "$(dsrdump +Pl "$WORK/sr.dcm" 2>/dev/null | grep -c 'Impression")="Lung-RADS v2022 category 4A')" "1"

echo "# run 3: a fresh store; the study folder's KOS and GSPS"
DB="$WORK/run3.sqlite"
start "$DB"
step "worklist lists the study" "AI: 1 finding"
keys Enter
step "series loads" "Im " 30
keys n
step "the KOS flags the finding's image" "★ KEY (KOS)"
step "arriving applies the GSPS window" "W 1500 L -600"
step "and its zoom" "zoom 1.5×"
[ -n "${SHOW_SCREEN:-}" ] && screen
keys Q

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
