#!/usr/bin/env python3
"""Compare training-recipe variants on the tuning split (cases train/45000..), which is neither
trained on nor reported in a card: recipes are chosen here, and the chosen one is then trained,
exported and evaluated once on the held-out split by run_all.sh.

  python Training/models/tune.py --task ldct --out /tmp/tune \\
      --variant base: --variant more:n_train=60 --variant boost:n_train=60,small_boost=3 \\
      [--device cuda] [--jobs 4] [--render-jobs 8]

A variant is NAME:knob=value,... with the knobs of train.RECIPES plus n_train (and n_tune). Each one is trained
(train.py --set ...) into OUT/NAME and evaluated on the tuning split in its own process; the
figures go to OUT/NAME/tune.json and a table to OUT/summary.json. `--device cuda` is for quick
comparisons only: the committed models are trained on the CPU."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from nets import load_checkpoint  # noqa: E402
from tasks import TASKS  # noqa: E402


class TorchSession:
    """A trained checkpoint behind onnxruntime's `run(None, {"input": x})`, so evaluate.py's
    functions run it unchanged (on the GPU when there is one)."""

    def __init__(self, task, ckpt_dir, device):
        self.model = load_checkpoint(os.path.join(ckpt_dir, f"{task}.pt"), TASKS[task]).to(device)
        self.device = device

    def run(self, _names, feeds):
        with torch.no_grad():
            out = self.model(torch.from_numpy(np.ascontiguousarray(feeds["input"])).to(self.device))
        out = out if isinstance(out, tuple) else (out,)
        return [o.float().cpu().numpy() for o in out]


def _render(args):
    task, split, i = args
    if task == "mammo":
        import mammo_data
        mammo_data.make_exam(split, i)
    elif task == "cxr":
        import cxr_data
        cxr_data.make_image(split, i)
    else:
        import data
        data.make_case(TASKS[task]["kind"], split, i)
    return i


def render_all(task, n_train, jobs):
    cfg = TASKS[task]
    work = [(task, "train", i) for i in range(n_train)] + [(task, "tune", i) for i in range(cfg["n_tune"])]
    torch.set_num_threads(1)
    with ProcessPoolExecutor(jobs) as ex:
        list(ex.map(_render, work, chunksize=1))


def one(task, name, knobs, out, device, threads):
    """Train one variant and evaluate it on the tuning split (runs in a child process)."""
    import evaluate
    import train
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    argv = ["--task", task, "--out", d, "--device", device, "--threads", str(threads)]
    for k, v in knobs.items():
        if k == "n_tune":          # smoke tests: a smaller tuning set
            TASKS[task]["n_tune"] = int(v)
        else:
            argv += ["--n-train", v] if k == "n_train" else ["--set", f"{k}={v}"]
    t0 = time.time()
    train.main(argv)
    t_train = time.time() - t0
    res = evaluate.evaluate_split(task, "tune", TorchSession(task, d, device))
    res.update(variant=name, knobs=knobs, train_wall_s=round(t_train, 1))
    with open(os.path.join(d, "tune.json"), "w") as f:
        json.dump(res, f, indent=1)


def parse_variant(s):
    name, _, rest = s.partition(":")
    knobs = dict(kv.split("=", 1) for kv in rest.split(",") if kv)
    return name, knobs


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", required=True, choices=list(TASKS))
    ap.add_argument("--variant", action="append", required=True, help="NAME:knob=value,...")
    ap.add_argument("--out", required=True)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--jobs", type=int, default=1, help="variants trained at once")
    ap.add_argument("--threads", type=int, default=1, help="torch threads per variant")
    ap.add_argument("--render-jobs", type=int, default=0, help="pre-render train + tune cases with N processes")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    variants = [parse_variant(v) for v in a.variant]
    if a.one:
        name, knobs = next(v for v in variants if v[0] == a.one)
        one(a.task, name, knobs, a.out, a.device, a.threads)
        return
    if a.render_jobs:
        n_train = max([int(k.get("n_train", TASKS[a.task]["n_train"])) for _, k in variants])
        TASKS[a.task]["n_tune"] = max([int(k.get("n_tune", TASKS[a.task]["n_tune"])) for _, k in variants])
        t = time.time()
        render_all(a.task, n_train, a.render_jobs)
        print(f"rendered {a.task}: {n_train} train + {TASKS[a.task]['n_tune']} tune in {time.time() - t:.0f} s", flush=True)
    os.makedirs(a.out, exist_ok=True)

    def launch(v):
        log = open(os.path.join(a.out, f"{v[0]}.log"), "w")
        cmd = [sys.executable, os.path.abspath(__file__), "--one", v[0], "--task", a.task, "--out", a.out,
               "--device", a.device, "--threads", str(a.threads)] + sum([["--variant", x] for x in a.variant], [])
        return v[0], subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT)

    with ThreadPoolExecutor(a.jobs) as ex:
        rcs = dict(ex.map(launch, variants))
    summary = {}
    for name, knobs in variants:
        p = os.path.join(a.out, name, "tune.json")
        if os.path.exists(p):
            with open(p) as f:
                r = json.load(f)
            summary[name] = {"knobs": knobs, "train_wall_s": r["train_wall_s"], **r["figures"]}
        else:
            summary[name] = {"knobs": knobs, "error": f"exit {rcs[name]}, see {name}.log"}
        print(name, json.dumps(summary[name]), flush=True)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
