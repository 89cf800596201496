#!/usr/bin/env python3
"""Lightbox against onnxruntime on one model, alternating run by run so that machine load hits
both alike. Lightbox runs as `lightbox onnx bench --interleave` (one timed run per line we send);
onnxruntime runs in this process. Both get THREADS intra-op threads, the same input values and
the same warm-up. Prints one JSON line: medians, ratio, peak RSS of each process, load averages.

onnxruntime's intra-op pool keeps one core spinning for about 50 ms after every run (measured on
the 2-core benchmark machine: ~50 ms of CPU in any idle gap of 50 ms or more after a run). Run back
to back, each Lightbox run then found one of the two cores taken, and the ratio measured the
spinner rather than the kernels. So the session sets onnxruntime's own option for sessions that
share cores, `session.force_spinning_stop=1`: its workers still spin between the parallel loops of
a run, and stop when the run returns (ORT_SPINNING_STOP=0 restores the default). The CPU each
process uses between its turns is reported (`*_idle_cpu_ms`, median per gap) so a leftover spinner
on either side shows. SETTLE_MS (default 0) adds an idle gap after each turn.

usage: bench_interleaved.py LIGHTBOX MODEL RUNS THREADS [BACKEND]"""
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort


def process_cpu_ms(pid):
    """CPU time of a whole process (all its threads), in ms, from each thread's schedstat (ns)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass   # a thread that ended meanwhile
    return total / 1e6


def settle(seconds, pid):
    """Sleeps, and returns the CPU milliseconds process `pid` used meanwhile."""
    before = process_cpu_ms(pid)
    time.sleep(seconds)
    return process_cpu_ms(pid) - before


def main():
    lightbox, model, runs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    backend = sys.argv[5] if len(sys.argv) > 5 else None
    load_before = os.getloadavg()[0]
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.add_session_config_entry("session.force_spinning_stop", os.environ.get("ORT_SPINNING_STOP", "1"))
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
    gap = float(os.environ.get("SETTLE_MS", "0")) / 1000
    ours, theirs, our_idle, their_idle = [], [], [], []
    for _ in range(runs):
        their_idle.append(settle(gap, os.getpid()) if gap else 0.0)
        cpu = process_cpu_ms(os.getpid())
        proc.stdin.write("\n")
        proc.stdin.flush()
        ours.append(float(proc.stdout.readline()))
        # Without a gap: what this process burned while Lightbox ran (onnxruntime's leftover spin).
        if not gap:
            their_idle[-1] = process_cpu_ms(os.getpid()) - cpu
        our_cpu = process_cpu_ms(proc.pid)
        if gap:
            time.sleep(gap)
        s = time.perf_counter()
        sess.run(None, {inp.name: x})
        theirs.append((time.perf_counter() - s) * 1000)
        # Lightbox's CPU since its run returned: the gap, if any, and onnxruntime's whole turn.
        our_idle.append(process_cpu_ms(proc.pid) - our_cpu)
    proc.stdin.close()
    tail = proc.stdout.read().split()
    proc.wait()
    rss = int(tail[-1]) if tail and tail[-1].isdigit() else 0
    a, b = float(np.median(ours)), float(np.median(theirs))
    print(json.dumps({"model": os.path.basename(model), "lightbox_ms": a, "ort_ms": b, "ratio": a / b,
                      "lightbox_rss_kib": rss, "ort_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "load_before": load_before, "load_after": os.getloadavg()[0], "runs": runs, "settle_ms": gap * 1000,
                      "lightbox_idle_cpu_ms": float(np.median(our_idle)), "ort_idle_cpu_ms": float(np.median(their_idle)),
                      "ort_spinning_stop": os.environ.get("ORT_SPINNING_STOP", "1")}))


if __name__ == "__main__":
    main()
