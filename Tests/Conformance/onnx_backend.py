#!/usr/bin/env python3
"""ONNX backend node tests against `lightbox onnx test`.

Generates every node test case from the installed `onnx` package's own definitions
(Tools/onnx/gen_node_tests.py) into Tests/Fixtures/generated/onnx-node, runs them, prints the
counts, and fails if any case Lightbox claims to support fails. Cases needing operators or data
types outside the supported list are reported as unsupported (counted, never hidden).
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIGHTBOX = os.environ.get("LIGHTBOX", os.path.join(ROOT, ".build/release/lightbox"))
OUT = os.path.join(ROOT, "Tests/Fixtures/generated/onnx-node")


def main() -> int:
    subprocess.run([sys.executable, os.path.join(ROOT, "Tools/onnx/gen_node_tests.py"), OUT], check=True)
    report = os.path.join(ROOT, "Tests/Fixtures/generated/onnx-node-report.json")
    proc = subprocess.run([LIGHTBOX, "onnx", "test", OUT, "--report", report], capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    m = re.search(r"(\d+) passed, (\d+) failed, (\d+) unsupported", proc.stdout)
    if not m:
        print("onnx_backend: could not read the counts", file=sys.stderr)
        return 1
    passed, failed, unsupported = map(int, m.groups())
    print(f"onnx_backend: {passed} passed, {failed} failed, {unsupported} unsupported (report: {report})")
    if passed < 450:
        print("onnx_backend: fewer passing cases than expected; something regressed", file=sys.stderr)
        return 1
    return 1 if failed else proc.returncode


if __name__ == "__main__":
    sys.exit(main())
