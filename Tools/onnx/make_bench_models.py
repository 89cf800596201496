#!/usr/bin/env python3
"""Writes the full-size benchmark models (random weights) into OUT_DIR:
resnet18, resnet50, densenet121 at 1×3×224×224 and a BasicUNet-style U-Net at 1×1×256×256."""
import os
import sys

import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_builders as B  # noqa: E402

MODELS = {
    "resnet18": lambda: B.resnet(blocks=(2, 2, 2, 2)),
    "resnet50": lambda: B.resnet(blocks=(3, 4, 6, 3), bottleneck=True),
    "densenet121": lambda: B.densenet(),
    "unet256": lambda: B.unet(size=256),
}

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, make in MODELS.items():
        path = os.path.join(out, name + ".onnx")
        if not os.path.exists(path):
            onnx.save(make(), path)
        print(path)
