#!/usr/bin/env bash
# DICOM reading benchmarks, ours beside the peers in the same run (ratios, not assertions).
#   1. header indexing of BENCH_FILES files: files/s, lightbox (StudyIndex) vs pydicom
#      dcmread(stop_before_pixels) vs dcmdump; the study index store: cold scan into an empty store,
#      warm reopen with every file unchanged, the worklist the workstation shows from the store
#      while that reopen checks it, peak RSS of ours; the issue 18 aims printed beside
#   2. volume load of a 512×512×300 CT series into Float32 HU: MB/s, lightbox vs pydicom+numpy
# Env: PY (python with pydicom), BENCH_FILES (default 10000; 100000 with BENCH_LARGE=1),
#      BENCH_SLICES (default 300), LIGHTBOX (release binary: whole-process rate of `ls --no-cache`;
#      without it DICOMBench's whole process is timed). The load average is printed before each
#      measurement: figures from a loaded machine are not timings to quote.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
if [ "${BENCH_LARGE:-0}" = 1 ]; then N=${BENCH_FILES:-100000}; else N=${BENCH_FILES:-10000}; fi
S=${BENCH_SLICES:-300}
WORK=${BENCH_DIR:-/tmp/lightbox-bench}
swift build -c release --product DICOMBench 2>&1 | grep -E "error|Compiling|Build" | tail -3
BIN=.build/release/DICOMBench
[ -d "$WORK/index-$N" ] || $PY Benchmarks/dicom/make_series.py "$WORK/index-$N" "$N" 64 64
[ -d "$WORK/volume-$S" ] || $PY Benchmarks/dicom/make_series.py "$WORK/volume-$S" "$S" 512 512
sync
rate() { grep -oE '^[0-9.]+' <<<"$1"; }
load() { echo "  (load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime))"; }
# timed CMD…: whole-process wall time in ELAPSED (s) and peak RSS in RSS_MB (0 without /usr/bin/time).
timed() {
  local t0 t1 tf; tf=$(mktemp)
  t0=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then /usr/bin/time -f %M -o "$tf" "$@" > /dev/null; else "$@" > /dev/null; fi
  t1=$(date +%s.%N)
  ELAPSED=$(echo "$t1 - $t0" | bc -l)
  RSS_MB=$(if [ -s "$tf" ]; then echo "$(tail -1 "$tf") / 1024" | bc -l; else echo 0; fi)
  rm -f "$tf"
}

echo "== header indexing, $N files"
find "$WORK/index-$N" -type f -exec cat {} + > /dev/null   # warm the page cache for every tool alike (find: 100,000 names exceed one argument list)
load; ours=$($BIN index "$WORK/index-$N"); echo "lightbox:  $ours   (in-process, no store)"
load; peer=$($PY Benchmarks/dicom/pydicom_peer.py index "$WORK/index-$N"); echo "pydicom:   $peer"
load; timed dcmdump -q +sd +r +sb PixelData "$WORK/index-$N"
dcm=$(echo "$N / $ELAPSED" | bc -l); printf 'dcmdump:   %.1f files/s (whole process, printing; peak RSS %.0f MB)\n' "$dcm" "$RSS_MB"
if [ -n "${LIGHTBOX:-}" ] && [ -x "$LIGHTBOX" ]; then
  load; timed "$LIGHTBOX" ls --json --no-cache "$WORK/index-$N"; what="lightbox ls --json --no-cache"
else
  load; timed "$BIN" index "$WORK/index-$N"; what="DICOMBench index (set LIGHTBOX for lightbox ls)"
fi
proc=$(echo "$N / $ELAPSED" | bc -l)
printf 'lightbox:  %.1f files/s (whole process: %s; peak RSS %.0f MB)\n' "$proc" "$what" "$RSS_MB"
printf 'ratio vs pydicom: %.1fx   ratio vs dcmdump (whole processes): %.1fx\n' \
  "$(echo "$(rate "$ours") / $(rate "$peer")" | bc -l)" "$(echo "$proc / $dcm" | bc -l)"

echo "== study index store, $N files (one series in one folder)"
STORE="$WORK/store-$N/index.sqlite"
rm -rf "$WORK/store-$N"
load; cold=$($BIN store-cold "$WORK/index-$N" "$STORE"); echo "cold scan into an empty store:   $cold"
load; warm=$($BIN store-warm "$WORK/index-$N" "$STORE"); echo "warm reopen, paged (worklist):   $warm"
load; warm=$($BIN store-warm "$WORK/index-$N" "$STORE"); echo "warm reopen, paged, again:       $warm"
load; full=$($BIN store-warm-full "$WORK/index-$N" "$STORE"); echo "warm reopen, every header:       $full"
printf 'store on disk: %s\n' "$(du -sh "$WORK/store-$N" | cut -f1)"
warm_s=$(rate "$warm")

# The same at archive shape: one study of 5 files per folder, N/10 and N files. A paged reopen
# keeps a header per series, so its memory follows the study count; the files' list is the rest.
rss() { grep -oE 'peak RSS [0-9]+' <<<"$1" | grep -oE '[0-9]+$'; }
declare -A ARSS AWARM AFULL ASNAP
for A in $((N / 10)) "$N"; do
  [ -d "$WORK/archive-$A" ] || $PY Benchmarks/dicom/make_archive.py "$WORK/archive-$A" "$A" 5
  rm -rf "$WORK/astore-$A"
  echo "== study index store, archive of $A files ($((A / 5)) studies, one folder each)"
  load; out=$($BIN store-cold "$WORK/archive-$A" "$WORK/astore-$A/index.sqlite"); echo "cold scan into an empty store:   $out"
  load; out=$($BIN store-warm "$WORK/archive-$A" "$WORK/astore-$A/index.sqlite"); echo "warm reopen, paged (worklist):   $out"
  load; out=$($BIN store-warm "$WORK/archive-$A" "$WORK/astore-$A/index.sqlite"); echo "warm reopen, paged, again:       $out"
  ARSS[$A]=$(rss "$out"); AWARM[$A]=$(rate "$out")
  # What the workstation shows while that reopen runs: the store's last view, nothing stat'ed.
  load; out=$($BIN store-snapshot "$WORK/archive-$A" "$WORK/astore-$A/index.sqlite"); echo "worklist from the store (shown first): $out"
  load; out=$($BIN store-snapshot "$WORK/archive-$A" "$WORK/astore-$A/index.sqlite"); echo "worklist from the store, again:        $out"
  ASNAP[$A]=$(rate "$out")
  # The floor of any stat-based reopen: listing every folder and stat'ing every file, here by GNU
  # find on one thread (a warm reopen does this on all cores, then reads the store).
  load; timed find "$WORK/archive-$A" -type f -printf '%s %T@ %i\n'
  printf 'find, list + stat every file:    %.3f s (one thread; the walk a warm reopen cannot skip)\n' "$ELAPSED"
  load; out=$($BIN store-warm-full "$WORK/archive-$A" "$WORK/astore-$A/index.sqlite"); echo "warm reopen, every header:       $out"
  AFULL[$A]=$(rss "$out")
done
small=$((N / 10))
growth=$(echo "${ARSS[$N]} / ${ARSS[$small]}" | bc -l)

echo "aims (issue 18), beside this run's figures:"
printf '  cold header parsing >= 50000 files/s:             %.0f files/s in-process (%s)\n' "$(rate "$ours")" \
  "$( [ "$(echo "$(rate "$ours") >= 50000" | bc -l)" = 1 ] && echo met || echo "not met")"
printf '  whole process >= 2x dcmdump:                      %.1fx (%s)\n' "$(echo "$proc / $dcm" | bc -l)" \
  "$( [ "$(echo "$proc >= 2 * $dcm" | bc -l)" = 1 ] && echo met || echo "not met")"
if [ "$N" -eq 100000 ]; then
  printf '  warm reopen of 100000 unchanged files <= 0.5 s:   %.3f s one series, %.3f s archive-shaped (%s)\n' "$warm_s" "${AWARM[$N]}" \
    "$( [ "$(echo "$warm_s <= 0.5 && ${AWARM[$N]} <= 0.5" | bc -l)" = 1 ] && echo met || echo "not met")"
  printf '  worklist on screen from the store, archive-shaped: %.3f s (%s; checked against the disk by the reopen above, in the background)\n' \
    "${ASNAP[$N]}" "$( [ "$(echo "${ASNAP[$N]} <= 0.5" | bc -l)" = 1 ] && echo "<= 0.5 s" || echo "> 0.5 s")"
else
  printf '  warm reopen of 100000 unchanged files <= 0.5 s:   %.3f s for %d files (x%.1f linear: %.2f s; measure with BENCH_LARGE=1)\n' \
    "$warm_s" "$N" "$(echo "100000 / $N" | bc -l)" "$(echo "$warm_s * 100000 / $N" | bc -l)"
fi
printf '  memory less than linear in files:                 peak RSS %s MB at %d files, %s MB at %d (x%.2f for x10 files; %s)\n' \
  "${ARSS[$small]}" "$small" "${ARSS[$N]}" "$N" "$growth" "$( [ "$(echo "$growth < 10" | bc -l)" = 1 ] && echo met || echo "not met")"
printf '  memory per added file: %.0f bytes paged, %.0f bytes with every header decoded\n' \
  "$(echo "(${ARSS[$N]} - ${ARSS[$small]}) * 1048576 / ($N - $small)" | bc -l)" \
  "$(echo "(${AFULL[$N]} - ${AFULL[$small]}) * 1048576 / ($N - $small)" | bc -l)"

echo "== volume load, 512x512x$S uncompressed"
find "$WORK/volume-$S" -type f -exec cat {} + > /dev/null
ours=$($BIN volume "$WORK/volume-$S"); echo "lightbox:  $ours"
peer=$($PY Benchmarks/dicom/pydicom_peer.py volume "$WORK/volume-$S"); echo "pydicom:   $peer"
printf 'ratio vs pydicom+numpy: %.1fx\n' "$(echo "$(rate "$ours") / $(rate "$peer")" | bc -l)"
