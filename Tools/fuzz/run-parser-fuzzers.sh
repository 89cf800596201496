#!/usr/bin/env bash
# Builds and runs the libFuzzer targets for the parsers fed by archives, SR files and network peers:
#   multipart   DICOMweb multipart/related bodies (whole and chunked; both passes must agree)
#   dicomjson   DICOM JSON (QIDO-RS / WADO-RS metadata)
#   srfindings  SR findings reader on leniently parsed DICOM
#   pdu         DICOM upper-layer PDUs and DIMSE command sets (the storage SCP's decoders, no NIO)
# Usage: Tools/fuzz/run-parser-fuzzers.sh [SECONDS] [TARGET...]   (default 120 s per target, all targets)
# Only the files each parser needs are compiled (swiftc -sanitize=fuzzer,address, static modules), so
# no NIO / SQLite / FoundationNetworking is linked. Crashes land in Tools/fuzz/artifacts/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-120}
shift || true
TARGETS=${*:-multipart dicomjson srfindings pdu}
OUT=.build-fuzz
OBJ=$OUT/obj
ART=Tools/fuzz/artifacts
mkdir -p "$OBJ" "$ART"
SAN="-sanitize=fuzzer,address -parse-as-library -O -g"
shims="-I Sources/Shims/CZlib -I Sources/Shims/COpenJPEG -I Sources/Shims/CCharLS -I /usr/include/openjpeg-2.5"

# static_module NAME SOURCES... — rebuilt only when a source is newer than the library.
static_module() {
  local name=$1; shift
  local lib="$OBJ/lib$name.a"
  if [ -f "$lib" ] && [ -z "$(find "$@" -newer "$lib" 2>/dev/null | head -1)" ]; then return; fi
  echo "building $name (sanitized)"
  swiftc $SAN $shims -I "$OBJ" -module-name "$name" -emit-module -emit-module-path "$OBJ/$name.swiftmodule" \
    -emit-library -static -o "$lib" "$@"
}
static_module DICOMCodecs $(find Sources/DICOMCodecs -name '*.swift')
static_module DICOM $(find Sources/DICOM -name '*.swift')
DICOM_LIBS="-lDICOM -lDICOMCodecs -lz -lopenjp2 -lcharls"

# The parser subsets: modules keep their real names so the targets `import` them as the app does.
WEB_SRC="Sources/DICOMweb/DICOMwebError.swift $(ls Sources/DICOMweb/Multipart/*.swift Sources/DICOMweb/JSON/*.swift)"
REVIEW_SRC="Sources/Review/ReviewRecords.swift Sources/Review/ReviewModule.swift $(ls Sources/Review/Export/{SRFindingsReader,SRContentItem,SRCodes,CodedConcept,ImagePlane,ReviewedFinding,DICOMDate,MeasurementReportDocument,MeasurementReportBuilder,SRSourceImage}.swift)"
NET_SRC="$(ls Sources/DICOMNetwork/PDU/*.swift Sources/DICOMNetwork/DIMSE/*.swift) Sources/DICOMNetwork/SCP/Part10Header.swift Sources/DICOMNetwork/SCP/AssociationPolicy.swift Sources/DICOMNetwork/SCP/StorageSOPClasses.swift"

# Seeds (regenerated each run under $OUT/seeds-TARGET, then grown by libFuzzer in $OUT/corpus-TARGET).
seed() {
  local t=$1 dir="$OUT/seeds-$1"
  rm -rf "$dir"; mkdir -p "$dir"
  case $t in
    multipart)
      # byte 0 = boundary length, byte 1 = chunk size, boundary, body.
      printf '\x05\x07abcde--abcde\r\nContent-Type: application/dicom\r\n\r\nDICM-part-1\r\n--abcde\r\n\r\n\r\n--abcde  \r\nX: y\r\n\r\ntwo\r\n--abcde--\r\nepilogue' > "$dir/two-parts"
      printf '\x10\x01DICOMwebBoundary\r\n--DICOMwebBoundary\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.1\r\nContent-Length: 4\r\n\r\nabcd\r\n--DICOMwebBoundary--' > "$dir/preamble"
      printf '\x01\x03x--x\r\n\r\n\r\n--x--' > "$dir/empty-body"
      printf 'multipart/related; type="application/dicom"; boundary="abc def"' > "$dir/content-type" ;;
    dicomjson)
      printf '[{"00080020":{"vr":"DA","Value":["20240102"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"A^B","Ideographic":"x"}]},"00201208":{"vr":"IS","Value":[12]},"00081190":{"vr":"UR","BulkDataURI":"http://x/y"},"00409096":{"vr":"SQ","Value":[{"00409224":{"vr":"FD","Value":[1.5e3,null,"2"]}}]},"7FE00010":{"vr":"OB","InlineBinary":"AAE="}}]' > "$dir/qido"
      printf '[{"00280010":{"vr":"US","Value":[512]},"00200032":{"vr":"DS","Value":["-1.5","2",3e400]},"00080005":{"vr":"CS","Value":["ISO_IR 192"]}}, {}]' > "$dir/metadata" ;;
    srfindings)
      find Tests/Fixtures -name "*.dcm" -size -256k 2>/dev/null | head -40 | while read -r f; do cp "$f" "$dir/"; done || true
      for d in .venv/lib/python3*/site-packages/pydicom/data/test_files; do
        [ -d "$d" ] && find "$d" -maxdepth 1 \( -iname '*sr*.dcm' -o -iname 'test-SR*' \) -size -256k -exec cp {} "$dir/" \;
      done
      # SRs written by `lightbox review export --sr` (CT SCOORD3D, MG SCOORD) and a pydicom TID 1500 (made
      # with Tests/Conformance/sr_export.py's populate + export + write_foreign_sr).
      find Tools/fuzz/seeds/srfindings -name "*.dcm" -size -256k 2>/dev/null | while read -r f; do cp "$f" "$dir/"; done || true ;;
    pdu)
      # A-ASSOCIATE-RQ (verification, explicit VR LE), P-DATA-TF with a C-ECHO-RQ command, A-RELEASE-RQ.
      python3 - "$dir" <<'PY'
import struct, sys
d = sys.argv[1]
def item(t, body): return bytes([t, 0]) + struct.pack(">H", len(body)) + body
ctx = bytes([1, 0, 0, 0]) + item(0x30, b"1.2.840.10008.1.1") + item(0x40, b"1.2.840.10008.1.2.1") + item(0x40, b"1.2.840.10008.1.2")
user = item(0x51, struct.pack(">I", 16384)) + item(0x52, b"1.2.3.4") + item(0x55, b"LIGHTBOX")
body = struct.pack(">HH", 1, 0) + b"LIGHTBOX".ljust(16) + b"ECHOSCU".ljust(16) + bytes(32) + item(0x10, b"1.2.840.10008.3.1.1.1") + item(0x20, ctx) + item(0x50, user)
rq = bytes([1, 0]) + struct.pack(">I", len(body)) + body
def el(e, v): return struct.pack("<HHI", 0, e, len(v)) + v
cmd = el(0x0002, b"1.2.840.10008.1.1\0") + el(0x0100, struct.pack("<H", 0x30)) + el(0x0110, struct.pack("<H", 7)) + el(0x0800, struct.pack("<H", 0x0101))
cmd = el(0x0000, struct.pack("<I", len(cmd))) + cmd
pdv = struct.pack(">I", len(cmd) + 2) + bytes([1, 3]) + cmd
pdata = bytes([4, 0]) + struct.pack(">I", len(pdv)) + pdv
rel = bytes([5, 0]) + struct.pack(">I", 4) + bytes(4)
open(f"{d}/associate-rq", "wb").write(rq)
open(f"{d}/pdata-echo", "wb").write(pdata)
open(f"{d}/session", "wb").write(rq + pdata + rel)
open(f"{d}/command-set", "wb").write(cmd)
PY
      ;;
  esac
}

build_target() {
  local t=$1
  case $t in
    multipart)  static_module DICOMweb $WEB_SRC
                swiftc $SAN $shims -I "$OBJ" -L "$OBJ" -lDICOMweb $DICOM_LIBS Tools/fuzz/MultipartFuzzTarget.swift -o "$OUT/multipart-fuzzer" ;;
    dicomjson)  static_module DICOMweb $WEB_SRC
                swiftc $SAN $shims -I "$OBJ" -L "$OBJ" -lDICOMweb $DICOM_LIBS Tools/fuzz/DICOMJSONFuzzTarget.swift -o "$OUT/dicomjson-fuzzer" ;;
    srfindings) static_module Review $REVIEW_SRC
                swiftc $SAN $shims -I "$OBJ" -L "$OBJ" -lReview $DICOM_LIBS Tools/fuzz/SRFindingsFuzzTarget.swift -o "$OUT/srfindings-fuzzer" ;;
    pdu)        static_module DICOMNetwork $NET_SRC
                swiftc $SAN $shims -I "$OBJ" -L "$OBJ" -lDICOMNetwork $DICOM_LIBS Tools/fuzz/PDUFuzzTarget.swift -o "$OUT/pdu-fuzzer" ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
}

failed=0
for t in $TARGETS; do
  build_target "$t"
  seed "$t"
  mkdir -p "$OUT/corpus-$t" "$ART/$t"
  echo "== $t: fuzzing for ${SECONDS_TO_RUN}s with $(ls "$OUT/seeds-$t" | wc -l) seeds"
  "$OUT/$t-fuzzer" "$OUT/corpus-$t" "$OUT/seeds-$t" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -rss_limit_mb=4096 \
    -timeout=10 -artifact_prefix="$ART/$t/" -print_final_stats=1 > "$OUT/$t.log" 2>&1 || true
  grep -E "^#[0-9]+.*DONE|stat::number_of_executed_units|Swift runtime failure|Fatal error| at Sources/|ERROR: libFuzzer|SUMMARY" "$OUT/$t.log" || true
  n=$(find "$ART/$t" -type f | wc -l)
  echo "== $t: crash artifacts: $n"
  [ "$n" -eq 0 ] || failed=1
done
exit $failed
