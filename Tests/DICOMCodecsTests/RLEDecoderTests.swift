import XCTest
@testable import DICOMCodecs

/// Hand-made RLE Lossless frames (PS3.5 Annex G) exercising the header and PackBits edge cases.
final class RLEDecoderTests: XCTestCase {
    /// Builds a frame from already PackBits-encoded segments.
    private func frame(_ segments: [[UInt8]], declaredCount: Int? = nil) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 64)
        func put(_ v: Int, at i: Int) { for b in 0..<4 { header[i + b] = UInt8((v >> (8 * b)) & 0xFF) } }
        put(declaredCount ?? segments.count, at: 0)
        var offset = 64
        for (i, s) in segments.enumerated() {
            put(offset, at: 4 + 4 * i)
            offset += s.count
        }
        return header + segments.flatMap { $0 }
    }

    private let mono8 = FrameDescriptor(rows: 2, columns: 3, samplesPerPixel: 1, bitsAllocated: 8, bitsStored: 8)

    func testLiteralAndReplicateRunsAndNoOp() throws {
        // literal 2 bytes (header 1), no-op (-128), replicate 4 × 7 (header -3)
        let segment: [UInt8] = [0x01, 10, 20, 0x80, 0xFD, 7]
        let decoded = try RLEDecoder().decode(frame([segment]), descriptor: mono8)
        XCTAssertEqual(decoded.samples, [10, 20, 7, 7, 7, 7])
        XCTAssertEqual(decoded.bytesPerSample, 1)
        XCTAssertEqual(decoded.photometricInterpretation, "MONOCHROME2")
    }

    func testSixteenBitSegmentsAreMostSignificantFirstAndOutputLittleEndian() throws {
        let d = FrameDescriptor(rows: 1, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16)
        let high: [UInt8] = [0x01, 0x12, 0xAB]
        let low: [UInt8] = [0x01, 0x34, 0xCD, 0x00]          // odd segment padded to even length
        let decoded = try RLEDecoder().decode(frame([high, low]), descriptor: d)
        XCTAssertEqual(decoded.samples, [0x34, 0x12, 0xCD, 0xAB])
    }

    func testColourSegmentsAreInterleaved() throws {
        let d = FrameDescriptor(rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8,
                                planarConfiguration: 1, photometricInterpretation: "RGB")
        let decoded = try RLEDecoder().decode(frame([[0xFF, 1], [0x01, 2, 3], [0xFF, 9]]), descriptor: d)
        XCTAssertEqual(decoded.samples, [1, 2, 9, 1, 3, 9])
        XCTAssertEqual(decoded.photometricInterpretation, "RGB")
    }

    func testThirtyTwoBitUsesFourSegmentsPerSample() throws {
        let d = FrameDescriptor(rows: 1, columns: 1, samplesPerPixel: 1, bitsAllocated: 32, bitsStored: 32)
        let decoded = try RLEDecoder().decode(frame([[0, 1], [0, 2], [0, 3], [0, 4]]), descriptor: d)
        XCTAssertEqual(decoded.samples, [4, 3, 2, 1])
    }

    func testSegmentCountThatDisagreesWithDescriptorIsRejected() {
        let d = FrameDescriptor(rows: 1, columns: 2, samplesPerPixel: 1, bitsAllocated: 16, bitsStored: 16)
        // three segments (odd) for a 16-bit monochrome frame, which needs two
        XCTAssertThrowsError(try RLEDecoder().decode(frame([[0x01, 1, 2], [0x01, 1, 2], [0x01, 1, 2]]), descriptor: d)) {
            guard case CodecError.descriptorMismatch(let codec, let detail)? = $0 as? CodecError else {
                return XCTFail("wrong error \($0)")
            }
            XCTAssertEqual(codec, "RLE Lossless")
            XCTAssertTrue(detail.contains("3 segments"), detail)
        }
    }

    func testInvalidSegmentCountsAreMalformed() {
        for count in [0, 16, 0x7FFF_FFFF] {
            var bytes = frame([[0xFD, 1]])
            for b in 0..<4 { bytes[b] = UInt8((count >> (8 * b)) & 0xFF) }
            XCTAssertThrowsError(try RLEDecoder().decode(bytes, descriptor: mono8)) {
                guard case CodecError.malformedStream(_, _, let offset)? = $0 as? CodecError else {
                    return XCTFail("wrong error \($0)")
                }
                XCTAssertEqual(offset, 0)
            }
        }
    }

    func testSegmentOffsetOutsideTheFrameIsMalformed() {
        var bytes = frame([[0xFB, 1]])
        bytes[4] = 0xFF; bytes[5] = 0xFF                      // offset 65535 > frame length
        XCTAssertThrowsError(try RLEDecoder().decode(bytes, descriptor: mono8)) {
            guard case CodecError.malformedStream(_, let detail, let offset)? = $0 as? CodecError else {
                return XCTFail("wrong error \($0)")
            }
            XCTAssertEqual(offset, 4)
            XCTAssertTrue(detail.contains("65535"), detail)
        }
    }

    func testShortSegmentIsTruncatedError() {
        XCTAssertThrowsError(try RLEDecoder().decode(frame([[0xFE, 5]]), descriptor: mono8)) {
            guard case CodecError.truncatedStream? = $0 as? CodecError else { return XCTFail("wrong error \($0)") }
            XCTAssertTrue("\($0)".contains("decodes to 3 bytes"), "\($0)")
        }
        // a literal run whose bytes are cut off by the end of the data
        XCTAssertThrowsError(try RLEDecoder().decode(frame([[0x05, 1, 2]]), descriptor: mono8))
        // header only
        XCTAssertThrowsError(try RLEDecoder().decode([UInt8](repeating: 0, count: 10), descriptor: mono8))
    }

    func testOverlongSegmentIsCutToTheFrameSize() throws {
        let decoded = try RLEDecoder().decode(frame([[0x81, 3]]), descriptor: mono8)   // 128 × 3
        XCTAssertEqual(decoded.samples, [3, 3, 3, 3, 3, 3])
    }

    func testInvalidDescriptorIsRejectedBeforeDecoding() {
        let bad = FrameDescriptor(rows: 0, columns: 3, bitsAllocated: 8, bitsStored: 8)
        XCTAssertThrowsError(try RLEDecoder().decode(frame([[0xFB, 1]]), descriptor: bad)) {
            guard case CodecError.invalidDescriptor? = $0 as? CodecError else { return XCTFail("wrong error \($0)") }
        }
        let twelve = FrameDescriptor(rows: 1, columns: 1, bitsAllocated: 12, bitsStored: 12)
        XCTAssertThrowsError(try RLEDecoder().decode(frame([[0x00, 1]]), descriptor: twelve))
        let huge = FrameDescriptor(rows: 1 << 40, columns: 1 << 40, bitsAllocated: 16, bitsStored: 16)
        XCTAssertThrowsError(try RLEDecoder().decode(frame([[0x00, 1]]), descriptor: huge))
    }
}
