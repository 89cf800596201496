#!/usr/bin/env python3
"""Exports full-size networks made by the real libraries (random weights, eval mode) to OUT_DIR
for Benchmarks/onnx.sh, with torch's TorchScript ONNX exporter at opset 17, batch 1.

MONAI (pure Python, works with the repo's CPU torch): resnet18, resnet50, densenet121 and
efficientnet-b0 at 3×224×224; BasicUNet and UNet at 1×256×256. torchvision models are added when
torchvision imports (its PyPI wheels are built for a specific torch and often do not load with
the repo's CPU torch). usage: export_torch_bench_models.py OUT_DIR"""
import os
import sys

import torch


def monai_models():
    from monai.networks import nets
    yield "monai_resnet18", lambda: nets.resnet18(spatial_dims=2, n_input_channels=3, num_classes=1000), (1, 3, 224, 224)
    yield "monai_resnet50", lambda: nets.resnet50(spatial_dims=2, n_input_channels=3, num_classes=1000), (1, 3, 224, 224)
    yield "monai_densenet121", lambda: nets.DenseNet121(spatial_dims=2, in_channels=3, out_channels=1000), (1, 3, 224, 224)
    yield "monai_efficientnet_b0", lambda: nets.EfficientNetBN("efficientnet-b0", spatial_dims=2, in_channels=3,
                                                                num_classes=1000, pretrained=False), (1, 3, 224, 224)
    yield "monai_basicunet", lambda: nets.BasicUNet(spatial_dims=2, in_channels=1, out_channels=2), (1, 1, 256, 256)
    yield "monai_unet", lambda: nets.UNet(spatial_dims=2, in_channels=1, out_channels=2, channels=(16, 32, 64, 128, 256),
                                          strides=(2, 2, 2, 2), num_res_units=2), (1, 1, 256, 256)


def torchvision_models():
    import torchvision.models as tm
    yield "tv_resnet18", lambda: tm.resnet18(), (1, 3, 224, 224)
    yield "tv_mobilenet_v3_small", lambda: tm.mobilenet_v3_small(), (1, 3, 224, 224)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    sources = [monai_models]
    try:
        import torchvision  # noqa: F401
        sources.append(torchvision_models)
    except Exception as e:  # noqa: BLE001 - any import failure means "not available here"
        print(f"torchvision unavailable ({type(e).__name__}); exporting MONAI models only", file=sys.stderr)
    for source in sources:
        for name, make, shape in source():
            path = os.path.join(out, name + ".onnx")
            if not os.path.exists(path):
                model = make().eval()
                with torch.no_grad():
                    torch.onnx.export(model, torch.rand(*shape), path, input_names=["input"], output_names=["output"],
                                      opset_version=17, dynamo=False)
            print(path)


if __name__ == "__main__":
    main()
