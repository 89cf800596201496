#!/usr/bin/env bash
# DICOM reading benchmarks, ours beside the peers in the same run (ratios, not assertions).
#   1. header indexing: files/s, lightbox (StudyIndex) vs pydicom dcmread(stop_before_pixels) vs dcmdump
#   2. volume load of a 512×512×300 CT series into Float32 HU: MB/s, lightbox vs pydicom+numpy
# Env: PY (python with pydicom), BENCH_FILES (default 3000), BENCH_SLICES (default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
N=${BENCH_FILES:-3000}
S=${BENCH_SLICES:-300}
WORK=${BENCH_DIR:-/tmp/lightbox-bench}
swift build -c release --product DICOMBench 2>&1 | grep -E "error|Compiling|Build" | tail -3
BIN=.build/release/DICOMBench
[ -d "$WORK/index-$N" ] || $PY Benchmarks/dicom/make_series.py "$WORK/index-$N" "$N" 64 64
[ -d "$WORK/volume-$S" ] || $PY Benchmarks/dicom/make_series.py "$WORK/volume-$S" "$S" 512 512
sync
rate() { grep -oE '^[0-9.]+' <<<"$1"; }

echo "== header indexing, $N files"
cat "$WORK"/index-$N/* > /dev/null   # warm the page cache for every tool alike
ours=$($BIN index "$WORK/index-$N"); echo "lightbox:  $ours"
peer=$($PY Benchmarks/dicom/pydicom_peer.py index "$WORK/index-$N"); echo "pydicom:   $peer"
t0=$(date +%s.%N); dcmdump -q +sd +r +sb PixelData "$WORK/index-$N" > /dev/null; t1=$(date +%s.%N)
dcm=$(echo "$N / ($t1 - $t0)" | bc -l); printf 'dcmdump:   %.1f files/s (whole process, printing)\n' "$dcm"
printf 'ratio vs pydicom: %.1fx   ratio vs dcmdump: %.1fx\n' "$(echo "$(rate "$ours") / $(rate "$peer")" | bc -l)" "$(echo "$(rate "$ours") / $dcm" | bc -l)"

echo "== volume load, 512x512x$S uncompressed"
cat "$WORK"/volume-$S/* > /dev/null
ours=$($BIN volume "$WORK/volume-$S"); echo "lightbox:  $ours"
peer=$($PY Benchmarks/dicom/pydicom_peer.py volume "$WORK/volume-$S"); echo "pydicom:   $peer"
printf 'ratio vs pydicom+numpy: %.1fx\n' "$(echo "$(rate "$ours") / $(rate "$peer")" | bc -l)"
