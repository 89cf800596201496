#!/usr/bin/env python3
"""Writes the ONNX backend node test cases as folders Lightbox can run.

Each case becomes OUT/<name>/model.onnx + test_data_set_N/{input,output}_K.pb, the layout
`onnx.backend.test.cmd_tools generate-data` uses, plus a `tolerance.json` holding the rtol/atol
the case itself states (the stock layout drops them).

usage: gen_node_tests.py OUT_DIR [--filter SUBSTRING]
"""
import argparse
import json
import os
import shutil
import sys

from onnx import numpy_helper, TensorProto
from onnx.backend.test.case import node as node_cases


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--filter", default=None)
    args = ap.parse_args()
    cases = node_cases.collect_testcases()
    os.makedirs(args.out, exist_ok=True)
    written = 0
    for case in cases:
        if args.filter and args.filter not in case.name:
            continue
        d = os.path.join(args.out, case.name)
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        with open(os.path.join(d, "tolerance.json"), "w") as f:
            json.dump({"rtol": case.rtol, "atol": case.atol}, f)
        graph = case.model.graph
        for i, (inputs, outputs) in enumerate(case.data_sets):
            sd = os.path.join(d, f"test_data_set_{i}")
            os.makedirs(sd)
            for kind, values, infos in (("input", inputs, graph.input), ("output", outputs, graph.output)):
                for j, value in enumerate(values):
                    name = infos[j].name if j < len(infos) else f"{kind}_{j}"
                    if isinstance(value, TensorProto):
                        proto = value
                    else:
                        try:
                            proto = numpy_helper.from_array(value, name)
                        except Exception:
                            # sequences / maps / optionals: not tensors; write nothing so the
                            # runner reports the case as unsupported rather than silently passing.
                            proto = None
                    if proto is None:
                        open(os.path.join(sd, f"{kind}_{j}.unsupported"), "w").close()
                        continue
                    with open(os.path.join(sd, f"{kind}_{j}.pb"), "wb") as f:
                        f.write(proto.SerializeToString())
        written += 1
    print(f"wrote {written} node test cases to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
