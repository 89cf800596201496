#!/usr/bin/env bash
# Thick-slab time (issue 21): the viewer computes a slab on its loop, so it must stay well under
# ~30 ms for a 512² series. Compiles Imaging's Reformat sources with the bench at -O and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${TMPDIR:-/tmp}/lightbox_slab_bench_$$"
R=Sources/Imaging/Reformat
swiftc -O -module-name SlabBench -o "$out" \
  $R/AxialStack.swift $R/AxialStack+Slab.swift $R/ReformattedPlane.swift $R/PlaneOrientation.swift \
  $R/SlabRule.swift $R/SlabError.swift $R/SlabProjection.swift Benchmarks/slabs/main.swift
"$out"
rm -f "$out"
