#!/usr/bin/env bash
# End-to-end test of reading a low-dose CT follow-up against its prior (issue 19):
#   - the follow-up (06_LDCT_DMITRI_2026) and its prior a year earlier (14_LDCT_DMITRI_2025) are
#     copied without analysis.json; the workstation runs the models, registers the prior and
#     matches the nodules in the background;
#   - opening the follow-up shows the prior beside it (1×2, "PRIOR · 12 months earlier");
#   - the panel shows the growing nodule's change ("+… mm, VDT … d, growing, Lung-RADS …") and the
#     nodule that resolved;
#   - the reader accepts the growing nodule, unlinks another match (U, 1): a prior_links row;
#   - `lightbox review export --sr` writes an SR whose comparison (time point, status, doubling
#     time) DCMTK's dsrdump reads. (That the Tracking UID is shared with the prior's report is
#     PriorComparisonExportTests'.)
#
# Builds nothing: uses $LIGHTBOX (default .build/release/lightbox). Needs tmux, sqlite3, dsrdump.
# Prints "N passed, M failed"; exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
REPO=$(pwd)
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
LIGHTBOX=$(cd "$(dirname "$LIGHTBOX")" && pwd)/$(basename "$LIGHTBOX")
. Tests/EndToEnd/lib/harness.sh   # ok/fail/check, tmux, screen, wait_for, keys, sql …
command -v tmux >/dev/null || { echo "0 passed, 1 failed (tmux not installed)"; exit 1; }
command -v dsrdump >/dev/null || { echo "0 passed, 1 failed (dsrdump not installed: apt-get install dcmtk)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "0 passed, 1 failed (sqlite3 not installed)"; exit 1; }
[ -x "$LIGHTBOX" ] || { echo "0 passed, 1 failed (no binary at $LIGHTBOX)"; exit 1; }
CURRENT=SampleStudies/06_LDCT_DMITRI_2026 PRIOR=SampleStudies/14_LDCT_DMITRI_2025
[ -d "$PRIOR" ] || { echo "0 passed, 1 failed (no $PRIOR)"; exit 1; }

WORK=$(mktemp -d /tmp/lightbox-priors.XXXXXX)
SESSION=lightbox-priors-$$
trap cleanup EXIT
mkdir -p "$WORK/studies" "$WORK/config" "$WORK/data"
cp -r "$CURRENT" "$WORK/studies/current"
cp -r "$PRIOR" "$WORK/studies/prior"
rm -f "$WORK"/studies/*/analysis.json
DB="$WORK/data/review.sqlite"

tmux new-session -d -s "$SESSION" -x 200 -y 50 \
    "cd '$WORK' && export LANG=C.UTF-8 LIGHTBOX_HOME='$REPO' XDG_CONFIG_HOME='$WORK/config' XDG_DATA_HOME='$WORK/data' XDG_CACHE_HOME='$WORK/cache' TERM=tmux-256color && exec '$LIGHTBOX' open studies --reader priors --db '$DB'"
WAIT_GREP=-qiF wait_for "dmitri" 30 && ok "worklist lists both studies" || fail "studies not listed"
deadline=$((SECONDS + 180))
while [ $SECONDS -lt $deadline ]; do
    s=$(screen)
    if ! grep -qE "queued|running" <<<"$s" && [ "$(grep -cE "findings?(,| )" <<<"$s")" -ge 2 ]; then break; fi
    sleep 0.5
done
grep -qE "queued|running" <<<"$(screen)" && fail "AI did not finish: $(screen | grep -i dmitri)" || ok "AI finished on both studies"
# The follow-up is the newer study: first in the worklist.
keys Enter
wait_gone "Loading" 60 || true; sleep 1
step "the prior opens beside the follow-up" "PRIOR · 12 months earlier" 20
step "the panel shows a growing nodule's change" ", growing, Lung-RADS" 10
line=$(screen | grep -oE '[+−][0-9.]+ mm, VDT [0-9]+ d, growing, Lung-RADS [0-9A-Z]+' | head -1)
[ -n "$line" ] && ok "change line: $line" || fail "no '+x mm, VDT n d, growing, Lung-RADS' line"
step "the panel lists what resolved" "Resolved since the prior:" 5
[ -n "${SHOW:-}" ] && screen
# Select the growing nodule (n until the selected finding's lines show 'growing'), accept it.
for ((i = 0; i < 8; i++)); do
    keys n; sleep 0.4
    screen | grep -A3 "▶" | grep -qF "growing" && break
done
screen | grep -A3 "▶" | grep -qF "growing" && ok "n selects the growing nodule" || fail "could not select the growing nodule"
mapfile -t z < <(screen | grep -o 'Z -\?[0-9.]* mm' | awk '{print $2}')
[ "${#z[@]}" -ge 2 ] && ok "both viewports show a slice position (Z ${z[0]} | ${z[1]})" || fail "no slice positions: ${z[*]:-none}"
keys A; sleep 0.5
wait_for "accepted" 5 && ok "the reader accepts it" || fail "no accepted decision"
# Select a stable or new nodule and unlink / re-link it: U then 1 (unlink).
for ((i = 0; i < 8; i++)); do
    keys n; sleep 0.4
    screen | grep -A3 "▶" | grep -qE "stable|shrinking" && break
done
keys U; sleep 0.3
wait_for "Prior match of" 5 && ok "U asks which prior nodule it is" || fail "no re-link prompt"
keys 1; sleep 0.5
wait_for "Unlinked" 5 && ok "the reader unlinked the match" || fail "unlink not confirmed"
keys A; sleep 0.3
rows=$(sql "SELECT count(*) FROM prior_links WHERE reader = 'priors' AND prior_status = 'new' AND analysis_finding_id IS NOT NULL")
check "the unlink is a prior_links row naming the analysis's match" "$rows" "1"
keys q; sleep 0.3; keys Q; sleep 0.5

SR="$WORK/followup-sr.dcm"
if "$LIGHTBOX" review export "$WORK/studies/current" --db "$DB" --reader priors --sr "$SR" >/dev/null 2>"$WORK/export.err"; then
    ok "review export wrote the SR"
else
    fail "review export failed: $(cat "$WORK/export.err")"
fi
dump=$(dsrdump "$SR" 2>&1)
grep -qF '"Time Point")="follow-up"' <<<"$dump" && ok "dsrdump: time point context" || fail "dsrdump: no time point: $(grep -i 'time point' <<<"$dump" | head -2)"
grep -qF '"Change since prior")="growing"' <<<"$dump" && ok "dsrdump: the growing status" || fail "dsrdump: no status: $(grep -i 'since prior' <<<"$dump" | head -3)"
grep -qE '"Volume doubling time"\)="[0-9.]+" \(d' <<<"$dump" && ok "dsrdump: the volume doubling time in days" || fail "dsrdump: no VDT"
grep -qF '"Change since prior")="new"' <<<"$dump" && ok "dsrdump: the unlinked nodule is new" || fail "dsrdump: the unlink did not reach the SR"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
