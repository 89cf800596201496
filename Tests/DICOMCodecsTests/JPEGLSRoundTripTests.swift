import CCharLS
import XCTest
import DICOMCodecs

/// Streams made here with CharLS's encoder, for layouts the corpus lacks: interleave mode "none"
/// (CharLS decodes it planar; the decoder must interleave) and signed 12-bit data (must be
/// sign-extended from the stream's precision).
final class JPEGLSRoundTripTests: XCTestCase {
    private struct EncodeError: Error, CustomStringConvertible {
        let result: charls_jpegls_errc
        var description: String { "CharLS encoder failed: \(result)" }
    }

    /// Encodes `samples` (planar for interleave mode none, else interleaved) with CharLS.
    private func encode(_ samples: [UInt8], width: Int, height: Int, components: Int, bits: Int,
                        interleave: charls_interleave_mode) throws -> [UInt8] {
        let encoder = try XCTUnwrap(charls_jpegls_encoder_create())
        defer { charls_jpegls_encoder_destroy(encoder) }
        var info = charls_frame_info(width: UInt32(width), height: UInt32(height), bits_per_sample: Int32(bits),
                                     component_count: Int32(components))
        XCTAssertEqual(charls_jpegls_encoder_set_frame_info(encoder, &info), CHARLS_JPEGLS_ERRC_SUCCESS)
        XCTAssertEqual(charls_jpegls_encoder_set_interleave_mode(encoder, interleave), CHARLS_JPEGLS_ERRC_SUCCESS)
        var size = 0
        XCTAssertEqual(charls_jpegls_encoder_get_estimated_destination_size(encoder, &size), CHARLS_JPEGLS_ERRC_SUCCESS)
        var out = [UInt8](repeating: 0, count: size)
        try out.withUnsafeMutableBytes { o in
            XCTAssertEqual(charls_jpegls_encoder_set_destination_buffer(encoder, o.baseAddress!, o.count),
                           CHARLS_JPEGLS_ERRC_SUCCESS)
            try samples.withUnsafeBytes { s in
                let result = charls_jpegls_encoder_encode_from_buffer(encoder, s.baseAddress!, s.count, 0)
                // CharLS is linked (the test would not build without it): an encoder error on
                // these small, valid inputs is a failure, not a reason to skip.
                guard result == CHARLS_JPEGLS_ERRC_SUCCESS else { throw EncodeError(result: result) }
            }
        }
        var written = 0
        XCTAssertEqual(charls_jpegls_encoder_get_bytes_written(encoder, &written), CHARLS_JPEGLS_ERRC_SUCCESS)
        return Array(out.prefix(written))
    }

    func testInterleaveModeNoneIsInterleavedOnOutput() throws {
        let width = 7, height = 5, pixels = width * height
        var interleaved = [UInt8](repeating: 0, count: pixels * 3)
        for i in interleaved.indices { interleaved[i] = UInt8((i * 37 + i / 3 * 11) & 0xFF) }
        var planar = [UInt8](repeating: 0, count: pixels * 3)
        for p in 0..<pixels { for c in 0..<3 { planar[c * pixels + p] = interleaved[p * 3 + c] } }
        let stream = try encode(planar, width: width, height: height, components: 3, bits: 8,
                                interleave: CHARLS_INTERLEAVE_MODE_NONE)
        let d = FrameDescriptor(rows: height, columns: width, samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8,
                                planarConfiguration: 1, photometricInterpretation: "RGB")
        let decoded = try JPEGLSDecoder().decode(stream, descriptor: d)
        XCTAssertEqual(decoded.samples, interleaved)
    }

    func testSignedTwelveBitIsSignExtendedAndEightBitPrecisionIsWidened() throws {
        let values: [Int] = [-2048, -1, 0, 1, 2047, -1000, 500, -7]
        var stored: [UInt8] = []
        for v in values { let u = UInt16(v & 0xFFF); stored += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let stream = try encode(stored, width: 4, height: 2, components: 1, bits: 12,
                                interleave: CHARLS_INTERLEAVE_MODE_NONE)
        let signed = FrameDescriptor(rows: 2, columns: 4, bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1)
        let decoded = try JPEGLSDecoder().decode(stream, descriptor: signed)
        XCTAssertEqual((0..<8).map { sampleValue(decoded.samples, $0, width: 2, signed: true) }, values.map(Int64.init))

        let bytes: [UInt8] = [0, 1, 2, 250, 255, 128]
        let eight = try encode(bytes, width: 3, height: 2, components: 1, bits: 8, interleave: CHARLS_INTERLEAVE_MODE_NONE)
        let wide = FrameDescriptor(rows: 2, columns: 3, bitsAllocated: 16, bitsStored: 8)
        XCTAssertEqual(try JPEGLSDecoder().decode(eight, descriptor: wide).samples,
                       [0, 0, 1, 0, 2, 0, 250, 0, 255, 0, 128, 0])
    }
}
