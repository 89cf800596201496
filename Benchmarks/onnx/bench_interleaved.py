#!/usr/bin/env python3
"""Lightbox against onnxruntime on one model, alternating run by run so that machine load hits
both alike. Lightbox runs as `lightbox onnx bench --interleave` (one timed run per line we send);
onnxruntime runs in this process. Both get THREADS intra-op threads, the same input values and
the same warm-up. Prints one JSON line: medians, ratio, peak RSS of each process, load averages.

usage: bench_interleaved.py LIGHTBOX MODEL RUNS THREADS [BACKEND]"""
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    lightbox, model, runs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    backend = sys.argv[5] if len(sys.argv) > 5 else None
    load_before = os.getloadavg()[0]
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    shape = [d if isinstance(d, int) else 1 for d in inp.shape]
    # The input `lightbox onnx bench` uses: ((k * 7919) % 255) / 255.
    x = ((np.arange(np.prod(shape)) * 7919) % 255 / 255).astype(np.float32).reshape(shape)
    cmd = [lightbox, "onnx", "bench", model, "--interleave", "--threads", str(threads), "--warmup", "2"]
    if backend:
        cmd += ["--backend", backend]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    if proc.stdout.readline().strip() != "ready":
        sys.exit(f"lightbox did not start on {model}")
    for _ in range(2):
        sess.run(None, {inp.name: x})
    ours, theirs = [], []
    for _ in range(runs):
        proc.stdin.write("\n")
        proc.stdin.flush()
        ours.append(float(proc.stdout.readline()))
        s = time.perf_counter()
        sess.run(None, {inp.name: x})
        theirs.append((time.perf_counter() - s) * 1000)
    proc.stdin.close()
    tail = proc.stdout.read().split()
    proc.wait()
    rss = int(tail[-1]) if tail and tail[-1].isdigit() else 0
    a, b = float(np.median(ours)), float(np.median(theirs))
    print(json.dumps({"model": os.path.basename(model), "lightbox_ms": a, "ort_ms": b, "ratio": a / b,
                      "lightbox_rss_kib": rss, "ort_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "load_before": load_before, "load_after": os.getloadavg()[0], "runs": runs}))


if __name__ == "__main__":
    main()
