#!/usr/bin/env python3
"""Median latency of onnxruntime (CPU, N intra-op threads) on a model with a fixed input,
and this process's peak RSS. usage: bench_ort.py MODEL.onnx RUNS THREADS"""
import json
import resource
import sys
import time

import numpy as np
import onnxruntime as ort

model, runs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
t0 = time.perf_counter()
sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
load = time.perf_counter() - t0
inp = sess.get_inputs()[0]
shape = [d if isinstance(d, int) else 1 for d in inp.shape]
x = ((np.arange(np.prod(shape)) * 7919) % 255 / 255).astype(np.float32).reshape(shape)
for _ in range(2):
    sess.run(None, {inp.name: x})
times = []
for _ in range(runs):
    s = time.perf_counter()
    sess.run(None, {inp.name: x})
    times.append((time.perf_counter() - s) * 1000)
times.sort()
print(json.dumps({"median_ms": float(np.median(times)), "min_ms": times[0], "load_s": load,
                  "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
