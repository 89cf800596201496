#!/usr/bin/env bash
# Fuzzes the ONNX protobuf reader and model loader with libFuzzer (+ AddressSanitizer).
# usage: Tools/onnx/fuzz/run-onnx-fuzzer.sh [SECONDS]   (default 300)
# Seeds: the committed fixture models and, if generated, a sample of the backend node tests.
set -euo pipefail
cd "$(dirname "$0")/../../.."
SECONDS_TO_RUN=${1:-300}
OUT=.build-fuzz-onnx
mkdir -p "$OUT/corpus" "$OUT/crashes"
cp Tests/Fixtures/onnx/*.onnx "$OUT/corpus/" 2>/dev/null || true
if [ -d Tests/Fixtures/generated/onnx-node ]; then
  ls -d Tests/Fixtures/generated/onnx-node/test_* | sed -n 1,200p | while read -r d; do cp "$d/model.onnx" "$OUT/corpus/$(basename "$d").onnx"; done
fi
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name InferenceFuzz \
  -I Sources/Shims/COpenBLAS -lopenblas \
  $(find Sources/Inference -name '*.swift') Tools/onnx/fuzz/FuzzONNX.swift -o "$OUT/fuzz-onnx"
"$OUT/fuzz-onnx" "$OUT/corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=262144 -rss_limit_mb=4096 \
  -timeout=20 -artifact_prefix="$OUT/crashes/" -print_final_stats=1
