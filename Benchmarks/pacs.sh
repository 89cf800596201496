#!/usr/bin/env bash
# PACS retrieval benchmark over loopback, ours beside the peers in the same run (ratios, not assertions):
# a 300-slice 512×512 CT (synthetic, uncompressed, ~150 MB; Benchmarks/dicom/make_series.py) is uploaded to
# a private Orthanc, then fetched
#   * by `lightbox pull` (WADO-RS, streamed: time to first instance on disk and to the full series),
#   * by curl (the same WADO-RS request to one file: first byte and full download; nothing is usable
#     before the whole multipart body has been received and split),
#   * by DCMTK getscu (C-GET from Orthanc's DIMSE port: full series).
# Env: LIGHTBOX (default .build/release/lightbox), PY (python with pydicom), BENCH_SLICES (default 300), RUNS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PY:-.venv/bin/python}" Benchmarks/pacs_bench.py
