"""Peers for the end-to-end aims of `Benchmarks/analysis.sh`: the parts of `lightbox analyze` that
another stack would also have to do, timed in the same script run.

- CT: onnxruntime running the LDCT model over the 300 slices of the generated CT (the same number
  of model runs Lightbox makes), as one session with 2 threads and as 2 sessions of 1 thread side
  by side (how Lightbox runs it). Input preparation is not included: this is the floor set by the
  model itself at onnxruntime's speed.
- Mammogram: pydicom + pylibjpeg-openjpeg decoding the four JPEG 2000 views (one after another,
  then two at a time), plus onnxruntime running the mammography model on each view.

Usage: peer_e2e.py MODELS CT300_DIR MAMMO_DIR
"""
import glob, os, sys, threading, time

import numpy as np
import onnxruntime as ort
import pydicom


def session(path, threads):
    o = ort.SessionOptions()
    o.intra_op_num_threads = threads
    o.inter_op_num_threads = 1
    o.add_session_config_entry("session.force_spinning_stop", "1")
    return ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])


def model_runs(path, shape, runs):
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    one = session(path, 2)
    name = one.get_inputs()[0].name
    for _ in range(3):
        one.run(None, {name: x})
    t = time.perf_counter()
    for _ in range(runs):
        one.run(None, {name: x})
    single = time.perf_counter() - t
    pair = [session(path, 1), session(path, 1)]
    for s in pair:
        for _ in range(2):
            s.run(None, {name: x})

    def work(s, n):
        for _ in range(n):
            s.run(None, {name: x})

    t = time.perf_counter()
    threads = [threading.Thread(target=work, args=(s, n)) for s, n in zip(pair, (runs - runs // 2, runs // 2))]
    [th.start() for th in threads]
    [th.join() for th in threads]
    return single, time.perf_counter() - t


def decode(paths, workers):
    def one(p):
        pydicom.dcmread(p).pixel_array

    t = time.perf_counter()
    if workers == 1:
        for p in paths:
            one(p)
    else:
        chunks = [paths[i::workers] for i in range(workers)]
        threads = [threading.Thread(target=lambda c=c: [one(p) for p in c]) for c in chunks]
        [th.start() for th in threads]
        [th.join() for th in threads]
    return time.perf_counter() - t


def main():
    models, ct300, mammo = sys.argv[1:4]
    slices = len(glob.glob(os.path.join(ct300, "*.dcm")))
    s, p = model_runs(os.path.join(models, "ldct-nodule-v1.onnx"), (1, 5, 256, 256), slices)
    print(f"peer  CT: onnxruntime, {slices} LDCT model runs alone: {s:.2f} s (1 session x 2 threads), "
          f"{p:.2f} s (2 sessions x 1 thread)")
    views = sorted(glob.glob(os.path.join(mammo, "*.dcm")))
    d1, d2 = decode(views, 1), decode(views, 2)
    s, _ = model_runs(os.path.join(models, "mammo-suspicion-v1.onnx"), (1, 2, 256, 208), len(views))
    print(f"peer  mammogram: pydicom+openjpeg decode of {len(views)} views {d1:.2f} s (1 thread), {d2:.2f} s (2 threads); "
          f"onnxruntime, {len(views)} model runs {s:.3f} s")


if __name__ == "__main__":
    main()
