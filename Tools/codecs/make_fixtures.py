#!/usr/bin/env python3
"""Extract DICOMCodecs conformance fixtures from the pydicom / pydicom-data corpus.

For each selected file and frame this writes into Tests/Fixtures/codecs/:
  <case>.f<N>.bin      the frame's compressed bytes (fragments concatenated, as the parser hands them over)
  <case>.f<N>.raw      pydicom's decoded stored values (little-endian, bitsAllocated wide, interleaved),
                       only when the frame is small enough (<= RAW_LIMIT bytes) or the codec is lossy
and a manifest.json listing every case: transfer syntax, descriptor, tolerance, expected photometric
interpretation, and per frame the length and FNV-1a 64 hash of pydicom's output (so large lossless
frames are still checked bit-exactly without committing megabytes).

Reference: pydicom 3 with the pylibjpeg plugins, `pydicom.pixels.pixel_array(path, index=i, raw=True)`
(raw=True: no YCbCr→RGB conversion, so YCbCr JPEGs stay YCbCr).

It also writes synthetic JPEG Lossless (process 14) streams made by the tiny encoder below (all seven
predictors, point transform, restart intervals, 16-bit, 3 components) whose expected values are the
encoder's input (shifted by the point transform), cross-checked here against pylibjpeg-libjpeg.

Run: .venv/bin/python Tools/codecs/make_fixtures.py   (from the repository root)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.encaps import generate_frames
from pydicom.pixels import pixel_array

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "codecs")
SITE = os.path.join(ROOT, ".venv", "lib", "python3.11", "site-packages")
PYD = os.path.join(SITE, "pydicom", "data", "test_files")
STORE = os.path.join(SITE, "data_store", "data")
RAW_LIMIT = 32 * 1024

# (case name, directory, file, frames to take, tolerance (max abs difference), lossy?)
SELECTION = [
    # RLE Lossless: 8/16/32-bit, signed, colour, multi-frame
    ("rle_mr_small_s16", PYD, "MR_small_RLE.dcm", [0], 0),
    ("rle_rgb8", PYD, "SC_rgb_rle.dcm", [0], 0),
    ("rle_rgb8_2frame", PYD, "SC_rgb_rle_2frame.dcm", [0, 1], 0),
    ("rle_rgb16_2frame", PYD, "SC_rgb_rle_16bit_2frame.dcm", [0, 1], 0),
    ("rle_rgb32", PYD, "SC_rgb_rle_32bit.dcm", [0], 0),
    ("rle_rtdose_u32", PYD, "rtdose_rle.dcm", [0, 7, 14], 0),
    ("rle_emri_u12", STORE, "emri_small_RLE.dcm", [0, 9], 0),
    # JPEG Lossless process 14 SV1
    ("jll_s16", STORE, "JPEG-LL.dcm", [0], 0),
    ("jll_rgb8", PYD, "SC_rgb_jpeg_gdcm.dcm", [0], 0),
    # JPEG-LS lossless / near-lossless
    ("jls_mr_small_s16", PYD, "MR_small_jpeg_ls_lossless.dcm", [0], 0),
    ("jls_emri_u12", STORE, "emri_small_jpeg_ls_lossless.dcm", [0, 9], 0),
    ("jls_near_u8", PYD, "JPEGLSNearLossless_08.dcm", [0], 0),
    ("jls_near_u16", PYD, "JPEGLSNearLossless_16.dcm", [0], 0),
    ("jls_near_rgb_line", PYD, "SC_rgb_jls_lossy_line.dcm", [0], 0),
    ("jls_near_rgb_sample", PYD, "SC_rgb_jls_lossy_sample.dcm", [0], 0),
    # JPEG 2000 (OpenJPEG on both sides, so even the irreversible ones must match exactly)
    ("j2k_mr_small_s16", PYD, "MR_small_jp2klossless.dcm", [0], 0),
    ("j2k_emri_u12", STORE, "emri_small_jpeg_2k_lossless.dcm", [0, 9], 0),
    ("j2k_lossy_s16", PYD, "JPEG2000.dcm", [0], 0),
    ("j2k_lossy_s14", PYD, "693_J2KI.dcm", [0], 0),
    ("j2k_pixelrep_mismatch", PYD, "J2K_pixelrep_mismatch.dcm", [0], 0),
    ("j2k_rct_rgb8", PYD, "GDCMJ2K_TextGBR.dcm", [0], 0),
    ("j2k_lossy_rgb8", PYD, "SC_rgb_gdcm_KY.dcm", [0], 0),
    # JPEG baseline 8-bit (YCbCr stays YCbCr), 4:4:4, 4:2:2, RGB, odd size
    ("jpeg_ybr444", PYD, "SC_rgb_jpeg_dcmtk.dcm", [0], 1),
    ("jpeg_ybr422_np", PYD, "SC_rgb_dcmtk_+eb+cy+np.dcm", [0], 1),
    ("jpeg_ybr422_s2", PYD, "SC_rgb_dcmtk_+eb+cy+s2.dcm", [0], 1),
    ("jpeg_ybr_s4", PYD, "SC_rgb_dcmtk_+eb+cy+s4.dcm", [0], 1),
    ("jpeg_ybr_n1", PYD, "SC_rgb_dcmtk_+eb+cy+n1.dcm", [0], 1),
    ("jpeg_rgb_cr", PYD, "SC_rgb_dcmtk_+eb+cr.dcm", [0], 1),
    ("jpeg_rgb_no_transform", PYD, "SC_jpeg_no_color_transform.dcm", [0], 1),
    ("jpeg_ybr_lossy_gdcm", PYD, "SC_rgb_jpeg_lossy_gdcm.dcm", [0], 1),
    ("jpeg_odd_3x3", PYD, "SC_rgb_small_odd_jpeg.dcm", [0], 1),
    # JPEG extended 12-bit
    ("jpeg_ext_u12", PYD, "JPGExtended.dcm", [0], 1),
]

LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"}


_JPEG_REF = None


def libjpeg_turbo_decode(comp: bytes):
    """The system libjpeg-turbo's output (islow IDCT, fancy upsampling, no colour conversion),
    via Tools/codecs/libjpeg_turbo_reference.c; None when no C compiler is available."""
    global _JPEG_REF
    if _JPEG_REF is None:
        cc = shutil.which("cc") or shutil.which("gcc")
        if not cc:
            _JPEG_REF = ""
        else:
            exe = os.path.join(tempfile.mkdtemp(), "jpeg_ref")
            src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libjpeg_turbo_reference.c")
            subprocess.run([cc, src, "-ljpeg", "-o", exe], check=True)
            _JPEG_REF = exe
    if not _JPEG_REF:
        return None
    with tempfile.NamedTemporaryFile(suffix=".jpg") as f:
        f.write(comp)
        f.flush()
        return subprocess.run([_JPEG_REF, f.name], capture_output=True, check=True).stdout


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    arr = np.frombuffer(data, dtype=np.uint8)
    for b in arr.tolist():
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def to_bytes(arr: np.ndarray, bits_allocated: int, signed: bool) -> bytes:
    kind = "i" if signed else "u"
    return np.ascontiguousarray(arr.astype(f"<{kind}{bits_allocated // 8}")).tobytes()


def descriptor_of(ds) -> dict:
    return {
        "rows": int(ds.Rows), "columns": int(ds.Columns),
        "samplesPerPixel": int(ds.SamplesPerPixel), "bitsAllocated": int(ds.BitsAllocated),
        "bitsStored": int(ds.BitsStored), "pixelRepresentation": int(ds.PixelRepresentation),
        "planarConfiguration": int(ds.get("PlanarConfiguration", 0)),
        "photometricInterpretation": str(ds.PhotometricInterpretation),
    }


def write(name: str, data: bytes) -> None:
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def corpus_cases() -> list:
    cases = []
    for name, directory, filename, frames, tolerance in SELECTION:
        path = os.path.join(directory, filename)
        ds = pydicom.dcmread(path)
        tsuid = str(ds.file_meta.TransferSyntaxUID)
        desc = descriptor_of(ds)
        nframes = int(ds.get("NumberOfFrames", 1) or 1)
        encoded = list(generate_frames(ds.PixelData, number_of_frames=nframes))
        signed = desc["pixelRepresentation"] == 1
        out_frames = []
        expected_pi = desc["photometricInterpretation"]
        if expected_pi in ("YBR_RCT", "YBR_ICT"):
            expected_pi = "RGB"   # OpenJPEG applies the inverse component transform
        if tsuid in LOSSY and expected_pi.startswith("YBR"):
            expected_pi = "YBR_FULL"   # kept in YCbCr, but upsampled to full resolution
        for index in frames:
            arr = pixel_array(path, index=index, raw=True)
            expected = to_bytes(arr, desc["bitsAllocated"], signed)
            comp = bytes(encoded[index])
            write(f"{name}.f{index}.bin", comp)
            entry = {"index": index, "compressed": f"{name}.f{index}.bin",
                     "expectedLength": len(expected), "expectedFNV1a64": fnv1a64(expected)}
            if tsuid in LOSSY and desc["bitsAllocated"] == 8:
                ref = libjpeg_turbo_decode(comp)
                if ref is not None and len(ref) == len(expected):
                    entry["libjpegTurboFNV1a64"] = fnv1a64(ref)
            if len(expected) <= RAW_LIMIT or tsuid in LOSSY:
                write(f"{name}.f{index}.raw", expected)
                entry["expected"] = f"{name}.f{index}.raw"
            out_frames.append(entry)
        cases.append({"name": name, "source": filename, "transferSyntax": tsuid,
                      "descriptor": desc, "tolerance": tolerance,
                      "expectedPhotometricInterpretation": expected_pi, "frames": out_frames})
        print(f"{name}: {tsuid} {desc['rows']}x{desc['columns']}x{desc['samplesPerPixel']} "
              f"{desc['bitsAllocated']}/{desc['bitsStored']} frames {frames}")
    return cases


# ---------------------------------------------------------------- synthetic JPEG lossless (process 14)

class BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value: int, length: int) -> None:
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0x00)   # byte stuffing
                self.acc = 0
                self.n = 0

    def flush(self) -> None:
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)   # pad with 1 bits


def lossless_huffman():
    """A canonical DC table for categories 0..16 (lengths 3..9), built as JPEG Annex C does."""
    # 17 symbols: lengths chosen so the code is complete-ish and no code is all ones.
    bits = [0, 0, 0, 6, 2, 2, 2, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0]  # index = length (1..16); never all ones
    huffval = list(range(17))
    codes = {}
    code = 0
    k = 0
    for length in range(1, 17):
        for _ in range(bits[length]):
            codes[huffval[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return bits, huffval, codes


def predict(p: int, ra, rb, rc):
    if p == 1: return ra
    if p == 2: return rb
    if p == 3: return rc
    if p == 4: return ra + rb - rc
    if p == 5: return ra + ((rb - rc) >> 1)
    if p == 6: return rb + ((ra - rc) >> 1)
    if p == 7: return (ra + rb) >> 1
    raise ValueError(p)


def encode_lossless(img: np.ndarray, precision: int, predictor: int, pt: int, restart: int) -> bytes:
    """img: (rows, cols, comps) ints < 2**precision. Interleaved scan, 1x1 sampling."""
    rows, cols, comps = img.shape
    bits, huffval, codes = lossless_huffman()
    src = (img.astype(np.int64) >> pt)
    P = precision - pt
    out = bytearray(b"\xff\xd8")
    # SOF3
    sof = bytearray([precision]) + rows.to_bytes(2, "big") + cols.to_bytes(2, "big") + bytes([comps])
    for c in range(comps):
        sof += bytes([c + 1, 0x11, 0])
    out += b"\xff\xc3" + (len(sof) + 2).to_bytes(2, "big") + sof
    dht = bytearray([0x00]) + bytes(bits[1:17]) + bytes(huffval)
    out += b"\xff\xc4" + (len(dht) + 2).to_bytes(2, "big") + dht
    if restart:
        out += b"\xff\xdd\x00\x04" + restart.to_bytes(2, "big")
    sos = bytearray([comps])
    for c in range(comps):
        sos += bytes([c + 1, 0x00])
    sos += bytes([predictor, 0, pt])
    out += b"\xff\xda" + (len(sos) + 2).to_bytes(2, "big") + sos
    w = BitWriter()
    mcu = 0
    rst = 0
    first_line_of_interval = True
    start_of_interval = True
    for y in range(rows):
        for x in range(cols):
            if restart and mcu and mcu % restart == 0:
                w.flush()
                out += w.out
                out += bytes([0xFF, 0xD0 + (rst & 7)])
                rst += 1
                w = BitWriter()
                start_of_interval = True
                first_line_of_interval = True
            for c in range(comps):
                v = int(src[y, x, c])
                if start_of_interval:
                    pred = 1 << (P - 1)
                elif first_line_of_interval:
                    pred = int(src[y, x - 1, c]) if x > 0 else int(src[y - 1, x, c])
                elif x == 0:
                    pred = int(src[y - 1, x, c])
                else:
                    pred = predict(predictor, int(src[y, x - 1, c]), int(src[y - 1, x, c]), int(src[y - 1, x - 1, c]))
                diff = (v - pred) & 0xFFFF
                if diff >= 0x8000:
                    diff -= 0x10000
                if diff == -32768:
                    ssss = 16
                else:
                    ssss = 0 if diff == 0 else abs(diff).bit_length()
                code, length = codes[ssss]
                w.put(code, length)
                if 0 < ssss < 16:
                    w.put(diff if diff > 0 else diff + (1 << ssss) - 1, ssss)
            start_of_interval = False
            mcu += 1
            if x == cols - 1:
                first_line_of_interval = False
        # a new line after a restart inside the previous line: only the first line of an interval
        # uses the "previous sample" predictor; pylibjpeg/libjpeg agree with this reading of H.1.2.1
    w.flush()
    out += w.out
    out += b"\xff\xd9"
    return bytes(out)


def synthetic_cases() -> list:
    rng = np.random.default_rng(1234)
    cases = []
    specs = [
        # name, rows, cols, comps, precision, predictor, point transform, restart interval
        ("jll_syn_p1_u8", 17, 23, 1, 8, 1, 0, 0),
        ("jll_syn_p2_u12", 16, 19, 1, 12, 2, 0, 0),
        ("jll_syn_p3_u16", 13, 11, 1, 16, 3, 0, 0),
        ("jll_syn_p4_u10", 12, 21, 1, 10, 4, 0, 0),
        ("jll_syn_p5_u16_full_range", 9, 14, 1, 16, 5, 0, 0),
        ("jll_syn_p6_u2", 8, 8, 1, 2, 6, 0, 0),
        ("jll_syn_p7_rgb8", 10, 12, 3, 8, 7, 0, 0),
        ("jll_syn_p1_pt2_u12", 11, 15, 1, 12, 1, 2, 0),
        ("jll_syn_p6_restart_u8", 10, 13, 1, 8, 6, 0, 13),
        ("jll_syn_p4_restart_line_rgb16", 6, 9, 3, 16, 4, 0, 9),
    ]
    for name, rows, cols, comps, precision, predictor, pt, restart in specs:
        img = rng.integers(0, 1 << precision, size=(rows, cols, comps), dtype=np.int64)
        if name.endswith("full_range"):
            img[:, ::2, :] = 0
            img[:, 1::2, :] = 65535      # differences of ±32768 (SSSS = 16) and 0xFF bytes
        if precision <= 8:
            img[0, :4, 0] = (1 << precision) - 1
        img = (img >> pt) << pt
        stream = encode_lossless(img, precision, predictor, pt, restart)
        ba = 8 if precision <= 8 else 16
        expected = to_bytes(img.reshape(-1), ba, False)
        # cross-check against pylibjpeg-libjpeg
        try:
            from libjpeg import decode
            ref = decode(stream).astype(np.int64).reshape(rows, cols, comps)
            agree = bool(np.array_equal(ref, img))
        except Exception as e:  # noqa: BLE001
            agree = f"libjpeg failed: {e}"
        print(f"{name}: {len(stream)} bytes, libjpeg agrees: {agree}")
        write(f"{name}.f0.bin", stream)
        write(f"{name}.f0.raw", expected)
        pi = "RGB" if comps == 3 else "MONOCHROME2"
        cases.append({"name": name, "source": "synthetic (Tools/codecs/make_fixtures.py)",
                      "transferSyntax": "1.2.840.10008.1.2.4.57" if predictor != 1 else "1.2.840.10008.1.2.4.70",
                      "descriptor": {"rows": rows, "columns": cols, "samplesPerPixel": comps,
                                     "bitsAllocated": ba, "bitsStored": precision, "pixelRepresentation": 0,
                                     "planarConfiguration": 0, "photometricInterpretation": pi},
                      "tolerance": 0, "expectedPhotometricInterpretation": pi,
                      "frames": [{"index": 0, "compressed": f"{name}.f0.bin", "expected": f"{name}.f0.raw",
                                  "expectedLength": len(expected), "expectedFNV1a64": fnv1a64(expected)}]})
    return cases


def survey(out_dir: str) -> int:
    """Write frame 0 of EVERY compressed file in the corpus (not committed; large) to `out_dir`,
    with a manifest in the same format, for the opt-in survey test (CODECS_SURVEY_DIR)."""
    global OUT
    OUT = out_dir
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for directory in (PYD, STORE):
        for filename in sorted(os.listdir(directory)):
            if not filename.endswith(".dcm"):
                continue
            path = os.path.join(directory, filename)
            try:
                ds = pydicom.dcmread(path)
                tsuid = str(ds.file_meta.TransferSyntaxUID)
                if not ds.file_meta.TransferSyntaxUID.is_compressed or "PixelData" not in ds:
                    continue
                desc = descriptor_of(ds)
                nframes = int(ds.get("NumberOfFrames", 1) or 1)
                comp = bytes(next(generate_frames(ds.PixelData, number_of_frames=nframes)))
                arr = pixel_array(path, index=0, raw=True)
            except Exception as e:  # noqa: BLE001 - the survey skips what pydicom cannot decode
                print(f"skip {filename}: {type(e).__name__}: {str(e)[:80]}")
                continue
            name = "survey_" + "".join(ch if ch.isalnum() else "_" for ch in filename[:-4])
            expected = to_bytes(arr, desc["bitsAllocated"], desc["pixelRepresentation"] == 1)
            write(f"{name}.f0.bin", comp)
            write(f"{name}.f0.raw", expected)
            pi = desc["photometricInterpretation"]
            if pi in ("YBR_RCT", "YBR_ICT"):
                pi = "RGB"
            if tsuid in LOSSY and pi.startswith("YBR"):
                pi = "YBR_FULL"
            cases.append({"name": name, "source": filename, "transferSyntax": tsuid, "descriptor": desc,
                          "tolerance": 3 if tsuid in LOSSY else 0, "expectedPhotometricInterpretation": pi,
                          "frames": [{"index": 0, "compressed": f"{name}.f0.bin", "expected": f"{name}.f0.raw",
                                      "expectedLength": len(expected), "expectedFNV1a64": "not-computed"}]})
            print(f"{name}: {tsuid}")
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"generator": "Tools/codecs/make_fixtures.py --survey", "cases": cases}, f, indent=1)
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--survey":
        return survey(sys.argv[2])
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith((".bin", ".raw")) or f == "manifest.json":
            os.remove(os.path.join(OUT, f))
    cases = corpus_cases() + synthetic_cases()
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"generator": "Tools/codecs/make_fixtures.py", "pydicom": pydicom.__version__,
                   "cases": cases}, f, indent=1)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"total fixture size: {total} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
