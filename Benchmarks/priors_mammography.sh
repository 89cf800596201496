#!/usr/bin/env bash
# Mammography with priors (issue 19): false marks per exam and sensitivity of `lightbox analyze`
# without and with the prior, and how often `present_on_prior` agrees with the truth, on held-out
# pairs from Training/generate_prior_pairs.py (seed 2719 by default: keys heldout-pairs/2719/...,
# never the samples' `sample/...` nor the models' `train/...`). Each current exam is analysed twice:
# --no-prior, and --prior PAIR/prior (the prior's run comes from the cache the first run filled).
# Scoring: Benchmarks/priors/score_mammography.py (hit rule as Analysis.LesionMatching).
# Env: LIGHTBOX (binary, default .build/release/lightbox, else .build/debug/lightbox), PY, MODELS,
# N (pairs, default 30), SEED (default 2719), PAIRS (folder of pairs; generated when missing),
# OUT (where the JSON goes, default a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
LIGHTBOX=${LIGHTBOX:-.build/release/lightbox}
[ -x "$LIGHTBOX" ] || LIGHTBOX=.build/debug/lightbox
PY=${PY:-.venv/bin/python}
MODELS=${MODELS:-Models}
N=${N:-30}
SEED=${SEED:-2719}
PAIRS=${PAIRS:-Tests/Fixtures/generated/priors-mammography-$SEED}
OUT=${OUT:-$(mktemp -d)}
CACHE="$OUT/cache"
mkdir -p "$OUT" "$CACHE"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
have=$(ls -d "$PAIRS"/mammography_*/ 2>/dev/null | wc -l || true)
if [ "$have" -lt "$N" ]; then
  echo "generating $N held-out mammography pairs (seed $SEED) into $PAIRS" >&2
  nice -n 10 "$PY" Training/generate_prior_pairs.py "$PAIRS" "$N" --kind mammography --seed "$SEED" >&2
fi
pairs=()
for p in $(ls -d "$PAIRS"/mammography_*/ | head -n "$N"); do
  name=$(basename "$p")
  "$LIGHTBOX" analyze "$p/current" --json --no-prior --models "$MODELS" --cache-dir "$CACHE" > "$OUT/$name.noprior.json" || [ $? -eq 10 ]
  "$LIGHTBOX" analyze "$p/current" --json --prior "$p/prior" --models "$MODELS" --cache-dir "$CACHE" > "$OUT/$name.prior.json" || [ $? -eq 10 ]
  pairs+=("$p")
done
echo "== $LIGHTBOX on ${#pairs[@]} held-out pairs (seed $SEED)"
"$PY" Benchmarks/priors/score_mammography.py "$OUT" "${pairs[@]}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
