#!/usr/bin/env bash
# Lightbox Inference vs onnxruntime 1.32, interleaved run by run (Benchmarks/onnx/bench_interleaved.py),
# THREADS intra-op threads each, batch 1: median latency, ratio, peak RSS, and the 1-minute load
# average before and after each model (a ratio from a loaded machine drifts towards 1).
# Models: the shipped Models/*.onnx; builder-made resnet18/resnet50/densenet121/U-Net
# (Tools/onnx/make_bench_models.py); and, when torch imports, networks made by MONAI (installed
# with pip --target into the generated folder if missing) and torchvision (when it loads)
# (Tools/onnx/export_torch_bench_models.py).
# Env: LIGHTBOX (binary), PY (python with onnx + onnxruntime), RUNS (default 30), THREADS (2),
#      BACKEND (openblas|dnnl; default: Lightbox's own default), MODELS (paths, to override the set),
#      SETTLE_MS (idle gap after each turn, default 0), ORT_SPINNING_STOP (default 1: onnxruntime's
#      pool otherwise spins one core for ~50 ms after each run, through Lightbox's turn; see
#      bench_interleaved.py). "idle CPU" is each process's CPU time during the other's turn.
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-30}
THREADS=${THREADS:-2}
GEN=Tests/Fixtures/generated
if [ -z "${MODELS:-}" ]; then
  MODELS=$(ls Models/*.onnx)
  MODELS="$MODELS $("$PY" Tools/onnx/make_bench_models.py "$GEN/bench-models")"
  if "$PY" -c "import torch" 2>/dev/null; then
    PKGS="$GEN/bench-pkgs"
    if ! PYTHONPATH="$PKGS" "$PY" -c "import monai" 2>/dev/null; then
      "$PY" -m pip install -q --disable-pip-version-check --no-deps --target "$PKGS" monai
    fi
    MODELS="$MODELS $(PYTHONPATH="$PKGS" "$PY" Tools/onnx/export_torch_bench_models.py "$GEN/bench-torch")"
  else
    echo "(torch is not installed: skipping the MONAI/torchvision exports)" >&2
  fi
fi
echo "lightbox $LIGHTBOX${BACKEND:+ --backend $BACKEND}, $THREADS threads, $RUNS interleaved runs, ${SETTLE_MS:-0} ms gap, ort force_spinning_stop=${ORT_SPINNING_STOP:-1}; $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
printf "%-24s %11s %11s %7s %13s %9s %11s %15s\n" model "lightbox ms" "ort ms" ratio "lightbox MiB" "ort MiB" "load 1-min" "idle CPU ms l/o"
for m in $MODELS; do
  r=$("$PY" Benchmarks/onnx/bench_interleaved.py "$LIGHTBOX" "$m" "$RUNS" "$THREADS" ${BACKEND:-})
  "$PY" - "$r" <<'PYEOF'
import json, sys
r = json.loads(sys.argv[1])
print(f"{r['model'][:-5]:<24} {r['lightbox_ms']:11.2f} {r['ort_ms']:11.2f} {r['ratio']:7.2f} "
      f"{r['lightbox_rss_kib']/1024:13.0f} {r['ort_rss_kib']/1024:9.0f} {r['load_before']:5.2f}→{r['load_after']:<5.2f} "
      + f"{r['lightbox_idle_cpu_ms']:7.1f}/{r['ort_idle_cpu_ms']:<7.1f}")
PYEOF
done
