import XCTest
@testable import DICOMCodecs

/// Edge cases for the native JPEG decoders (lossless and DCT), built by editing fixture streams.
final class JPEGDecoderEdgeCaseTests: XCTestCase {
    private func fixture(_ name: String) throws -> (CodecFixture, [UInt8]) {
        let f = try XCTUnwrap(try CodecFixture.all().first { $0.name == name }, "fixture \(name) missing")
        return (f, try CodecFixture.bytes(f.frames[0].compressed))
    }

    /// Offset of the first marker `0xFF code` at or after `from`.
    private func marker(_ code: UInt8, in bytes: [UInt8], from: Int = 0) throws -> Int {
        try XCTUnwrap((from..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == code })
    }

    /// The conformance fixtures must really exercise 0xFF00 stuffing and Huffman category 16
    /// (difference 32768), otherwise their exact match would prove nothing about those paths.
    func testLosslessFixturesReallyContainStuffingAndCategorySixteen() throws {
        var stuffed = 0
        for f in try CodecFixture.all() where f.name.hasPrefix("jll_") {
            let bytes = try CodecFixture.bytes(f.frames[0].compressed)
            let sos = try marker(0xDA, in: bytes)
            if (sos..<(bytes.count - 1)).contains(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0x00 }) { stuffed += 1 }
        }
        XCTAssertGreaterThan(stuffed, 3)
        // Alternating 0 / 65535 columns: every horizontal step is a difference of ±32768 (mod 2^16).
        let (f, bytes) = try fixture("jll_syn_p5_u16_full_range")
        let decoded = try JPEGLosslessDecoder().decode(bytes, descriptor: f.frameDescriptor)
        XCTAssertEqual(sampleValue(decoded.samples, 0, width: 2, signed: false), 0)
        XCTAssertEqual(sampleValue(decoded.samples, 1, width: 2, signed: false), 65535)
        XCTAssertEqual(sampleValue(decoded.samples, 2, width: 2, signed: false), 0)
    }

    func testLosslessRestartMarkersAreRequiredWhereTheIntervalSaysSo() throws {
        var (f, bytes) = try fixture("jll_syn_p6_restart_u8")
        let rst = try marker(0xD0, in: bytes, from: try marker(0xDA, in: bytes))
        bytes[rst + 1] = 0x00                                      // RST0 becomes stuffing: restart missing
        XCTAssertThrowsError(try JPEGLosslessDecoder().decode(bytes, descriptor: f.frameDescriptor)) {
            XCTAssertNotNil($0 as? CodecError, "\($0)")
        }
        f.descriptor.rows = 1
        XCTAssertThrowsError(try JPEGLosslessDecoder().decode(try CodecFixture.bytes(f.frames[0].compressed),
                                                               descriptor: f.frameDescriptor)) {
            guard case CodecError.descriptorMismatch? = $0 as? CodecError else { return XCTFail("wrong error \($0)") }
        }
    }

    func testLosslessDecoderRejectsDCTStreamAndDCTDecoderAcceptsMislabelledLossless() throws {
        let (dct, dctBytes) = try fixture("jpeg_ybr444")
        XCTAssertThrowsError(try JPEGLosslessDecoder().decode(dctBytes, descriptor: dct.frameDescriptor)) {
            guard case CodecError.unsupportedFeature(_, let detail, _)? = $0 as? CodecError else {
                return XCTFail("wrong error \($0)")
            }
            XCTAssertTrue(detail.contains("mislabelled"), detail)
        }
        let (lossless, losslessBytes) = try fixture("jll_rgb8")
        let viaDCT = try JPEGDCTDecoder().decode(losslessBytes, descriptor: lossless.frameDescriptor)
        let direct = try JPEGLosslessDecoder().decode(losslessBytes, descriptor: lossless.frameDescriptor)
        XCTAssertEqual(viaDCT, direct)
    }

    func testPointTransformShiftsReconstructedValues() throws {
        let (f, bytes) = try fixture("jll_syn_p1_pt2_u12")
        let decoded = try JPEGLosslessDecoder().decode(bytes, descriptor: f.frameDescriptor)
        for i in 0..<(decoded.samples.count / 2) {
            XCTAssertEqual(sampleValue(decoded.samples, i, width: 2, signed: false) & 3, 0, "sample \(i)")
        }
        XCTAssertNotEqual(Set(decoded.samples).count, 1)
    }

    /// JPEG-lossy.dcm in pydicom's corpus differs from JPGExtended.dcm only in its SOS spectral end
    /// (0 instead of 63), which libjpeg rejects; like GDCM we ignore Ss/Se in sequential scans.
    func testSequentialScanWithWrongSpectralSelectionStillDecodes() throws {
        let (f, bytes) = try fixture("jpeg_ext_u12")
        var edited = bytes
        let sos = try marker(0xDA, in: edited)
        let components = Int(edited[sos + 4])
        edited[sos + 4 + 1 + 2 * components + 1] = 0        // Se = 0
        XCTAssertNotEqual(edited, bytes)
        let a = try JPEGDCTDecoder().decode(bytes, descriptor: f.frameDescriptor)
        let b = try JPEGDCTDecoder().decode(edited, descriptor: f.frameDescriptor)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.bytesPerSample, 2)
        let maximum = (0..<(a.samples.count / 2)).map { sampleValue(a.samples, $0, width: 2, signed: false) }.max() ?? 0
        XCTAssertGreaterThan(maximum, 255, "12-bit data should use more than 8 bits")
        XCTAssertLessThanOrEqual(maximum, 4095)
    }

    func testProgressiveAndArithmeticFramesAreUnsupported() throws {
        let (f, bytes) = try fixture("jpeg_ybr444")
        let sof = try marker(0xC0, in: bytes)
        for (code, text) in [(UInt8(0xC2), "progressive"), (UInt8(0xC9), "SOF9")] {
            var edited = bytes
            edited[sof + 1] = code
            XCTAssertThrowsError(try JPEGDCTDecoder().decode(edited, descriptor: f.frameDescriptor)) {
                guard case CodecError.unsupportedFeature(_, let detail, _)? = $0 as? CodecError else {
                    return XCTFail("wrong error \($0)")
                }
                XCTAssertTrue(detail.contains(text), detail)
            }
        }
    }

    func testDCTOutputReportsColourSpaceWithoutConverting() throws {
        let (ybr, ybrBytes) = try fixture("jpeg_ybr422_np")
        XCTAssertEqual(try JPEGDCTDecoder().decode(ybrBytes, descriptor: ybr.frameDescriptor).photometricInterpretation,
                       "YBR_FULL")
        let (rgb, rgbBytes) = try fixture("jpeg_rgb_no_transform")
        XCTAssertEqual(try JPEGDCTDecoder().decode(rgbBytes, descriptor: rgb.frameDescriptor).photometricInterpretation,
                       "RGB")
    }

    func testMissingStartOfImageIsMalformedAtOffsetZero() {
        let d = FrameDescriptor(rows: 1, columns: 1, bitsAllocated: 8, bitsStored: 8)
        for decoder in [JPEGDCTDecoder() as any FrameDecoder, JPEGLosslessDecoder()] {
            XCTAssertThrowsError(try decoder.decode([0x00, 0x01, 0x02], descriptor: d)) {
                guard case CodecError.malformedStream(_, _, let offset)? = $0 as? CodecError else {
                    return XCTFail("wrong error \($0)")
                }
                XCTAssertEqual(offset, 0)
            }
            XCTAssertThrowsError(try decoder.decode([0xFF, 0xD8, 0xFF, 0xD9], descriptor: d))   // SOI, EOI, no frame
            XCTAssertThrowsError(try decoder.decode([], descriptor: d))
        }
    }
}
