#!/usr/bin/env python3
"""Add a `features` output to an exported Lightbox U-Net by graph surgery (weights unchanged).

  python Training/models/add_feature_output.py [--card] Models/<id>.onnx [...]   (or --task T)

`features` [N, D] float32 = Flatten(GlobalAveragePool(bottleneck)), where the bottleneck is the
output of the last encoder block after its ReLU: the tensor the first ConvTranspose (the
decoder's first upsampling) reads. D = 8 x base = 64 for every committed model. The
out-of-distribution detector (trust.py, card key `ood_detector`) reads it.

Two nodes (GlobalAveragePool, Flatten) and one graph output are appended; nothing else in the
graph changes, so the existing outputs keep their names, order and values (checked bit for bit
with onnxruntime by `check`). Idempotent: a model that already has `features` is left alone.
export.py calls `add_features` after every export, so a re-export keeps the output."""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx import TensorProto, helper

FEATURES = "features"


def bottleneck(graph):
    """Name of the bottleneck tensor: the data input of the first ConvTranspose in graph order."""
    for n in graph.node:
        if n.op_type == "ConvTranspose":
            return n.input[0]
    raise ValueError("no ConvTranspose: not a Lightbox U-Net")


def channels_of(model, tensor):
    """Channel count of `tensor`: the output channels of the Conv that produces it (through its ReLU)."""
    g = model.graph
    prod = {o: n for n in g.node for o in n.output}
    inits = {i.name: i for i in g.initializer}
    n = prod[tensor]
    while n.op_type != "Conv":
        n = prod[n.input[0]]
    return int(inits[n.input[1]].dims[0])


def add_features(path) -> bool:
    """Adds the output in place; returns False when the model already had it."""
    m = onnx.load(path)
    g = m.graph
    if any(o.name == FEATURES for o in g.output):
        return False
    b = bottleneck(g)
    d = channels_of(m, b)
    gap = FEATURES + "_gap"
    g.node.append(helper.make_node("GlobalAveragePool", [b], [gap], name="/features/GlobalAveragePool"))
    g.node.append(helper.make_node("Flatten", [gap], [FEATURES], name="/features/Flatten", axis=1))
    batch = g.input[0].type.tensor_type.shape.dim[0].dim_param or "N"
    g.output.append(helper.make_tensor_value_info(FEATURES, TensorProto.FLOAT, [batch, d]))
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return True


def check(before_bytes, path, n=3, seed=0):
    """Runs the model before and after the surgery on random and zero inputs; raises unless every
    old output is bit-identical. Returns the feature dimension."""
    import onnxruntime as ort
    old = ort.InferenceSession(before_bytes, providers=["CPUExecutionProvider"])
    new = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    shape = [n] + [d.dim_value for d in onnx.load(path).graph.input[0].type.tensor_type.shape.dim[1:]]
    r = np.random.default_rng(seed)
    x = np.concatenate([r.random(shape, dtype=np.float32), np.zeros([1] + shape[1:], np.float32)])
    names = [o.name for o in old.get_outputs()]
    assert [o.name for o in new.get_outputs()] == names + [FEATURES], "output order changed"
    a = old.run(None, {"input": x})
    b = new.run(None, {"input": x})
    for nm, u, v in zip(names, a, b):
        if not np.array_equal(u, v):
            raise AssertionError(f"output {nm} changed by the surgery")
    assert b[-1].shape == (len(x), b[-1].shape[1]) and b[-1].dtype == np.float32
    return int(b[-1].shape[1])


def update_card(card_path, onnx_path, d):
    """After the surgery on a committed model: the card's sha256, size, operator list and output
    tensors follow the new bytes; `validation.evaluated_model_sha256` moves to them too, with a
    note, because the figures were measured on outputs that did not change."""
    import hashlib
    import json
    from export import features_tensor
    with open(card_path) as f:
        card = json.load(f)
    with open(onnx_path, "rb") as f:
        blob = f.read()
    digest = hashlib.sha256(blob).hexdigest()
    old = card.get("sha256")
    if old == digest:
        return False
    m = onnx.load_from_string(blob)
    card["sha256"] = digest
    card["export"]["operators"] = sorted({n.op_type for n in m.graph.node})
    card["export"]["size_bytes"] = len(blob)
    card["export"]["features_output"] = ("added by graph surgery (Training/models/add_feature_output.py): "
                                         "GlobalAveragePool + Flatten of the bottleneck; weights and the "
                                         "other outputs unchanged (bit-identical under onnxruntime)")
    tensors = [t for t in card["outputs"]["tensors"] if t["name"] != FEATURES]
    card["outputs"]["tensors"] = tensors + [features_tensor(d)]
    v = card.get("validation")
    if v and v.get("evaluated_model_sha256") == old:
        v["evaluated_model_sha256"] = digest
        v["evaluated_model_note"] = (f"measured on the model before the `features` output was added (sha256 {old}); "
                                     "only an output was added, the other outputs are bit-identical, so the "
                                     "figures hold for this file")
    with open(card_path, "w") as f:
        json.dump(card, f, indent=1)
        f.write("\n")
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="*")
    ap.add_argument("--task", action="append", default=[], help="a task of tasks.py (its Models/ file)")
    ap.add_argument("--card", action="store_true", help="also update the card beside each model")
    a = ap.parse_args(argv)
    paths = list(a.models)
    if a.task:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from tasks import MODELS, TASKS  # noqa: E402
        paths += [os.path.join(MODELS, TASKS[t]["id"] + ".onnx") for t in a.task]
    for p in paths:
        with open(p, "rb") as f:
            before = f.read()
        if add_features(p):
            d = check(before, p)
            print(f"{p}: added '{FEATURES}' [N, {d}]; old outputs bit-identical")
        else:
            print(f"{p}: already has '{FEATURES}'")
        card = p[:-5] + ".json"
        if a.card and os.path.exists(card):
            d = onnx.load(p).graph.output[-1].type.tensor_type.shape.dim[1].dim_value
            if update_card(card, p, d):
                print(f"{card}: sha256, operators, size and outputs.tensors updated")


if __name__ == "__main__":
    main()
