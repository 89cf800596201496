#!/usr/bin/env bash
# Builds the DICOM libFuzzer target (swiftc -sanitize=fuzzer,address) and runs it.
#   Tools/fuzz/run-dicom-fuzzer.sh [SECONDS]      (default 600)
# Seeds: the committed fixtures and the pydicom corpus (when .venv exists). Crashes land in
# Tools/fuzz/artifacts/ (gitignored); the last lines of the log give executions and crashes.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-600}
OUT=.build-fuzz
mkdir -p "$OUT/obj" "$OUT/corpus" Tools/fuzz/artifacts
SAN="-sanitize=fuzzer,address -parse-as-library -O -g"
shims="-I Sources/Shims/CZlib -I Sources/Shims/COpenJPEG -I Sources/Shims/CCharLS -I /usr/include/openjpeg-2.5"
# 1. Codecs as a static module, 2. DICOM as a static module, 3. the fuzz target linked with both.
swiftc $SAN $shims -module-name DICOMCodecs -emit-module -emit-module-path "$OUT/obj/DICOMCodecs.swiftmodule" \
  -emit-library -static -o "$OUT/obj/libDICOMCodecs.a" Sources/DICOMCodecs/*.swift Sources/DICOMCodecs/**/*.swift 2>/dev/null \
  || swiftc $SAN $shims -module-name DICOMCodecs -emit-module -emit-module-path "$OUT/obj/DICOMCodecs.swiftmodule" \
  -emit-library -static -o "$OUT/obj/libDICOMCodecs.a" $(find Sources/DICOMCodecs -name '*.swift')
swiftc $SAN $shims -I "$OUT/obj" -module-name DICOM -emit-module -emit-module-path "$OUT/obj/DICOM.swiftmodule" \
  -emit-library -static -o "$OUT/obj/libDICOM.a" $(find Sources/DICOM -name '*.swift')
swiftc $SAN $shims -I "$OUT/obj" -L "$OUT/obj" -lDICOM -lDICOMCodecs -lz -lopenjp2 -lcharls \
  Tools/fuzz/DICOMFuzzTarget.swift -o "$OUT/dicom-fuzzer"
cp Tests/Fixtures/dicom/*.dcm "$OUT/corpus/" 2>/dev/null || true
for d in .venv/lib/python3*/site-packages/pydicom/data/test_files; do
  [ -d "$d" ] && find "$d" -maxdepth 1 -name '*.dcm' -size -64k -exec cp {} "$OUT/corpus/" \;
done
echo "fuzzing for ${SECONDS_TO_RUN}s with $(ls "$OUT/corpus" | wc -l) seeds"
"$OUT/dicom-fuzzer" "$OUT/corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=262144 -rss_limit_mb=4096 \
  -timeout=10 -artifact_prefix=Tools/fuzz/artifacts/ -print_final_stats=1 2>&1 | tee "$OUT/fuzz.log" | grep -E "^#[0-9]+.*(pulse|DONE)|stat::|ERROR|SUMMARY" || true
crashes=$(ls Tools/fuzz/artifacts 2>/dev/null | wc -l)
echo "crash artifacts: $crashes"
[ "$crashes" -eq 0 ]
