#!/usr/bin/env bash
# TerminalGraphics benchmark against chafa (run by `make bench`; env LIGHTBOX, PY).
# Builds the release harness, synthesises the test images, runs both tools in matching modes,
# decodes both outputs with the same decoders and prints PSNR / SSIM / bytes / time per mode.
# Writes the table to Benchmarks/terminal-graphics/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
SCRATCH=${TG_SCRATCH:-.build}
for tool in chafa sixel2png; do
  command -v "$tool" >/dev/null || { echo "terminal-graphics: $tool not installed (apt: chafa libsixel-bin)" >&2; exit 1; }
done
swift build -c release --scratch-path "$SCRATCH" --product TerminalGraphicsBench >&2
BENCH="$SCRATCH/release/TerminalGraphicsBench"
"$PY" Benchmarks/terminal-graphics/bench.py --bench "$BENCH" --results Benchmarks/terminal-graphics/RESULTS.md
