#!/usr/bin/env bash
# lightbox analyze: (a) lesion-level evaluation against ground-truth sidecars on SampleStudies and on
# a generated evaluation set (Training/phantoms cases 70000.., unseen by training, which used 0..,
# 50000.. and 60000..); (b) end-to-end timing (process start, read, preprocess, infer,
# post-process; no cache, no prior) of a four-view mammogram, a chest radiograph and a 300-slice CT
# against the aims (radiograph <= 1 s; issue 17: mammogram <= 0.5 s, 300-slice CT <= 3 s), the CT
# once more with its prior analysed too, and the peers (Benchmarks/analysis/peer_e2e.py:
# onnxruntime making the same model runs, pydicom+openjpeg decoding the same views) in the same run.
# Env: LIGHTBOX (binary), PY (python with pydicom), MODELS (model folder, default Models), EVAL_COUNTS ("mammography:8 chest_radiograph:8
# head_ct:6 ldct:4"; 0 to skip generation), RUNS (timing repetitions, default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-3}
export MODELS=${MODELS:-Models}
GEN=Tests/Fixtures/generated/analysis-eval
EVAL_COUNTS=${EVAL_COUNTS:-"mammography:8 chest_radiograph:8 head_ct:6 ldct:4"}

# Generated evaluation set: deterministic (the generator seeds by case key), rendered once.
roots=(SampleStudies)
if [ "$EVAL_COUNTS" != "0" ]; then
  for kc in $EVAL_COUNTS; do
    kind=${kc%%:*}; count=${kc##*:}
    have=$(ls -d "$GEN/$kind"/*/ 2>/dev/null | wc -l || true)
    if [ "$have" -lt "$count" ]; then
      echo "rendering $count $kind evaluation studies (cases 70000..) into $GEN/$kind" >&2
      nice -n 10 "$PY" Training/generate_samples.py --out "$GEN/$kind" --set train --start 70000 --count "$count" --kinds "$kind" >&2
    fi
    roots+=("$GEN/$kind")
  done
fi

echo "== lesion-level evaluation (centre within the lesion radius; +size: diameter within 20 %)"
echo "-- SampleStudies"
"$PY" Benchmarks/analysis/evaluate.py "$LIGHTBOX" SampleStudies
if [ "${#roots[@]}" -gt 1 ]; then
  echo "-- generated evaluation set (cases 70000..)"
  "$PY" Benchmarks/analysis/evaluate.py "$LIGHTBOX" "${roots[@]:1}"
fi

echo "== end-to-end time (lightbox analyze --no-cache, median of $RUNS)"
CT300=Tests/Fixtures/generated/analysis-ct300
"$PY" Benchmarks/analysis/make_ct300.py "$CT300"
"$PY" - "$LIGHTBOX" "$RUNS" "$CT300" "$MODELS" <<'PYEOF'
import json, statistics, subprocess, sys, time
lightbox, runs, ct300, models = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
import os
print(f"(load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
cases = [("radiograph (1024x1024 DX)", "SampleStudies/07_CXR_YAMADA_2026", 1.0, ["--no-prior"]),
         ("mammogram (4 views, 1000x800 J2K)", "SampleStudies/02_MG_ALICE_2026", 0.5, ["--no-prior"]),
         ("CT 300 slices 512x512", ct300, 3.0, ["--no-prior"]),
         ("CT 300 + its prior, both analysed", ct300, None, [])]
print(f"{'case':36s} {'median s':>9s} {'aim s':>6s}  runs")
for name, path, aim, extra in cases:
    times, status = [], ""
    for _ in range(runs):
        t = time.time()
        p = subprocess.run([lightbox, "analyze", path, "--json", "--no-cache", "--models", models] + extra, capture_output=True, text=True)
        times.append(time.time() - t)
        if p.returncode == 20:
            status = "no applicable model installed: index and selection only, no inference"
        elif p.returncode not in (0, 10):
            status = f"exit {p.returncode}: {p.stderr.strip()[-200:]}"
        else:
            r = json.loads(p.stdout)["runs"]
            status = "; ".join(f"{x['model']['id'] if x.get('model') else '-'} {x['status']}" for x in r)
    m = statistics.median(times)
    verdict = "-" if aim is None else "ok" if m <= aim else "OVER"
    print(f"{name:36s} {m:9.2f} {'-' if aim is None else f'{aim:.1f}':>6s}  {verdict} [{', '.join(f'{t:.2f}' for t in times)}] {status}")
PYEOF
"$PY" Benchmarks/analysis/peer_e2e.py "$MODELS" "$CT300" SampleStudies/02_MG_ALICE_2026
