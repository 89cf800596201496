#!/usr/bin/env bash
# Lightbox Inference vs onnxruntime (same machine, same run, 2 intra-op threads each):
# median latency and peak RSS for resnet18, resnet50, densenet121 (1×3×224×224) and a U-Net
# (1×1×256×256). Models are built with random weights by Tools/onnx/make_bench_models.py.
# Env: LIGHTBOX (binary), PY (python with onnx + onnxruntime), RUNS (default 10), THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-10}
THREADS=${THREADS:-2}
DIR=Tests/Fixtures/generated/bench-models
"$PY" Tools/onnx/make_bench_models.py "$DIR" >/dev/null
printf "%-12s %12s %12s %8s %14s %14s\n" model "lightbox ms" "ort ms" ratio "lightbox MiB" "ort MiB"
for m in ${MODELS:-resnet18 resnet50 densenet121 unet256}; do
  ours=$(OPENBLAS_NUM_THREADS=$THREADS "$LIGHTBOX" onnx bench "$DIR/$m.onnx" --runs "$RUNS" --threads "$THREADS" --json)
  theirs=$("$PY" Benchmarks/onnx/bench_ort.py "$DIR/$m.onnx" "$RUNS" "$THREADS")
  "$PY" - "$m" "$ours" "$theirs" <<'PYEOF'
import json, sys
m, a, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"{m:<12} {a['median_ms']:12.1f} {b['median_ms']:12.1f} {a['median_ms']/b['median_ms']:8.2f} "
      f"{a['peak_rss_kib']/1024:14.0f} {b['peak_rss_kib']/1024:14.0f}")
PYEOF
done
