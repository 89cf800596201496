#!/usr/bin/env bash
# Train, export and evaluate every Lightbox model from a clean clone (CPU only, deterministic).
#   Training/models/run_all.sh [task ...]      (default: ldct head_ct mammo cxr mr_stroke)
# Renders the phantoms it needs into Training/generated/model_cache (git-ignored), trains each
# model (Training/generated/checkpoints, git-ignored), exports Models/<id>.onnx + Models/<id>.json
# and writes the held-out and shifted validation figures into the card, then the trust keys
# (ood_detector, calibration, operating_point; trust.py).
# PY=python to use another interpreter; NICE=0 to run at normal priority.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
NICE=${NICE:-10}
run() { echo "+ $*"; nice -n "$NICE" "$PY" "$@"; }
"$PY" -c "import torch, onnx, onnxruntime, pydicom" 2>/dev/null || \
  "$PY" -m pip install -q --disable-pip-version-check -r Training/requirements-train.txt
tasks=("$@"); [ ${#tasks[@]} -gt 0 ] || tasks=(ldct head_ct mammo cxr mr_stroke)
for t in "${tasks[@]}"; do
  read -r ntrain nval nshift < <("$PY" -c "import sys; sys.path.insert(0,'Training/models'); from tasks import TASKS; c=TASKS['$t']; print(c['n_train'], c['n_val'], c['n_shifted'])")
  case "$t" in
    mammo) gen=(Training/models/mammo_data.py) ;;
    cxr) gen=(Training/models/cxr_data.py) ;;
    mr_stroke) gen=(Training/models/mr_data.py) ;;
    *) gen=(Training/models/data.py --kind "$t") ;;
  esac
  run "${gen[@]}" --split train --count "$ntrain"
  run "${gen[@]}" --split val --count "$nval"
  run "${gen[@]}" --split shifted --count "$nshift"
  # the thread count the committed model was trained with (torch's CPU kernels are deterministic
  # for a fixed count, not across counts), so a re-run reproduces the committed weights
  threads=$("$PY" -c "import json,sys; sys.path.insert(0,'Training/models'); from tasks import TASKS, MODELS; print(json.load(open(MODELS + '/' + TASKS['$t']['id'] + '.json')).get('training', {}).get('threads', 1))")
  run Training/models/train.py --task "$t" --threads "$threads"
  run Training/models/export.py --task "$t"
  if [ "$t" = mr_stroke ]; then
    # the stroke reporting rules (pixel threshold, minimum volume, FLAIR rSI threshold) on the tuning split
    ntune=$("$PY" -c "import sys; sys.path.insert(0,'Training/models'); from tasks import TASKS; print(TASKS['$t']['n_tune'])")
    run "${gen[@]}" --split tune --count "$ntune"
    run Training/models/stroke.py
  fi
  run Training/models/evaluate.py --task "$t"
  run Training/models/evaluate.py --task "$t" --shifted
  # OOD detector, calibration, operating point, ECE, reliability diagram (renders the tuning split
  # it needs on the way; Training/generated/trust_cache memoises the model's outputs per model sha256)
  run Training/models/trust.py --task "$t"
done
"$PY" Tests/Conformance/model_cards.py
