"""Runs a committed model (onnxruntime, all outputs including `features`) over a generated split
through evaluate.py's own evaluation code, and keeps what trust.py needs per unit and per run:
features, heatmap energy and peak, input statistics, candidate records with evaluate.py's hit rule.

  unit: what the model reads in one go (CT: one slice stack; mammography: one view with its
        partner; chest radiograph: one image);  run: one series (CT volume, 4-view exam, image)."""
from __future__ import annotations

import contextlib
import os
import sys

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402
import ood  # noqa: E402
from tasks import MODELS, TASKS  # noqa: E402


class RecordingSession:
    """onnxruntime session that returns the heatmap (and score) to evaluate.py, and records the
    features, heatmap energy and peak, and input statistics of every unit it runs, in order."""

    def __init__(self, task, threads=2):
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        path = os.path.join(MODELS, TASKS[task]["id"] + ".onnx")
        self.sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        self.names = [o.name for o in self.sess.get_outputs()]
        assert self.names[-1] == "features", "run add_feature_output.py first"
        self.reset()

    def reset(self):
        self.rec = {"features": [], "energy": [], "peak": [], "stats": [], "score": []}

    def run(self, _names, feeds):
        out = self.sess.run(None, feeds)
        heat = out[0]
        self.rec["features"].append(out[-1])
        self.rec["energy"].append(ood.energy(heat))
        self.rec["peak"].append(heat.reshape(len(heat), -1).max(1))
        self.rec["stats"].append(ood.input_stats(feeds["input"]))
        if len(out) == 3:
            self.rec["score"].append(out[1][:, 0])
        return out[:-1]

    def units(self):
        return {k: (np.concatenate(v) if v else None) for k, v in self.rec.items()}

    def run_inputs(self, x, batch=8):
        """Records a run given as model inputs [K, C, H, W] (proxies, real images); returns its units."""
        self.reset()
        for i in range(0, len(x), batch):
            self.run(None, {"input": np.ascontiguousarray(x[i:i + batch], np.float32)})
        return self.units()


@contextlib.contextmanager
def split_size(task, split, n):
    """evaluate.py reads the split's size from tasks.TASKS; override it for one call."""
    cfg = TASKS[task]
    key = f"n_{split}"
    old = cfg.get(key)
    cfg[key] = n
    try:
        yield
    finally:
        if old is None:
            cfg.pop(key)
        else:
            cfg[key] = old


def collect(task, split, n, sess):
    """evaluate.py's evaluation of `n` cases of `split` with raw records, plus per-unit records.
    Returns dict(res (evaluate's result, with `_raw`), units (arrays per unit), run_of_unit)."""
    sess.reset()
    with split_size(task, split, n):
        if task == "mammo":
            res = evaluate.evaluate_mammo(split, sess)
        elif task == "cxr":
            res = evaluate.evaluate_cxr(split, sess)
        elif task == "mr_stroke":
            res = evaluate.evaluate_mr(split, sess, evaluate._stroke_rules())
        else:
            res = evaluate.evaluate(task, split, sess)
    units = sess.units()
    raw = res["_raw"]
    if task == "mammo":
        run_of_unit = np.repeat(np.arange(n), 4)
    elif task == "cxr":
        run_of_unit = np.arange(n)
    else:
        run_of_unit = np.repeat(np.arange(n), raw["units_per_run"])
    assert len(run_of_unit) == len(units["features"])
    return {"res": res, "raw": raw, "units": units, "run_of_unit": run_of_unit, "n_runs": n}


def collect_cached(task, split, n, sess):
    """`collect`, memoised in Training/generated/trust_cache/<task>_<split>_<n>_<model sha256>.pkl
    (git-ignored; keyed by the model bytes, so a new model is never read from an old cache)."""
    import hashlib
    import pickle
    with open(os.path.join(MODELS, TASKS[task]["id"] + ".onnx"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    d = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "generated", "trust_cache")
    path = os.path.join(d, f"{task}_{split}_{n}_{digest}.pkl")
    if os.path.exists(path):
        with open(path, "rb") as f:
            return pickle.load(f)
    out = collect(task, split, n, sess)
    os.makedirs(d, exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        pickle.dump(out, f)
    os.replace(path + ".tmp", path)
    return out
