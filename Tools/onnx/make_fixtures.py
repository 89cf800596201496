#!/usr/bin/env python3
"""Writes the small committed architecture fixtures (Tests/Fixtures/onnx/) and onnxruntime's
outputs for them. Re-run only to regenerate; `make test` reads the committed files.

Each fixture NAME gets NAME.onnx, NAME.input.npy and NAME.ort.npy (onnxruntime's output,
1 intra-op thread, all graph optimisations off so the reference is the plain graph).
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_builders as B  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Tests/Fixtures/onnx")

FIXTURES = {
    "resnet_mini": lambda: B.resnet(blocks=(1, 1, 1), widths=(8, 16, 32), classes=10, size=64),
    "resnet_bottleneck_mini": lambda: B.resnet(blocks=(1, 2), widths=(8, 16), bottleneck=True, classes=5, size=48),
    "densenet_mini": lambda: B.densenet(growth=8, blocks=(2, 3, 2), init=16, bn_size=2, classes=14, size=64),
    "mobilenet_mini": lambda: B.mobilenet(widths=(8, 16, 24), classes=7, size=64),
    "unet_mini": lambda: B.unet(features=(8, 8, 16, 16, 32, 8), size=64),
    "function_inline": B.function_model,
}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(42)
    for name, make in FIXTURES.items():
        m = make()
        path = os.path.join(OUT, name + ".onnx")
        onnx.save(m, path)
        shape = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
        x = rng.standard_normal(shape).astype(np.float32)
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        y = sess.run(None, {m.graph.input[0].name: x})[0]
        np.save(os.path.join(OUT, name + ".input.npy"), x)
        np.save(os.path.join(OUT, name + ".ort.npy"), y)
        print(f"{name}: {os.path.getsize(path)} bytes, input {shape}, output {list(y.shape)}")
    # The same mini ResNet with its weights in an external data file.
    m = FIXTURES["resnet_mini"]()
    ext = os.path.join(OUT, "resnet_mini_external.onnx")
    onnx.save(m, ext, save_as_external_data=True, all_tensors_to_one_file=True,
              location="resnet_mini_external.data", size_threshold=256)
    print("resnet_mini_external: external data")


if __name__ == "__main__":
    main()
