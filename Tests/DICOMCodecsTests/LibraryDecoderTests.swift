import XCTest
@testable import DICOMCodecs

/// Behaviour specific to the CharLS and OpenJPEG wrappers.
final class LibraryDecoderTests: XCTestCase {
    private func fixture(_ name: String) throws -> (CodecFixture, [UInt8]) {
        let f = try XCTUnwrap(try CodecFixture.all().first { $0.name == name }, "fixture \(name) missing")
        return (f, try CodecFixture.bytes(f.frames[0].compressed))
    }

    func testJPEGLSDescriptorMismatchIsReported() throws {
        var (f, bytes) = try fixture("jls_mr_small_s16")
        f.descriptor.columns = 63
        XCTAssertThrowsError(try JPEGLSDecoder().decode(bytes, descriptor: f.frameDescriptor)) {
            guard case CodecError.descriptorMismatch(_, let detail)? = $0 as? CodecError else {
                return XCTFail("wrong error \($0)")
            }
            XCTAssertTrue(detail.contains("64 × 64"), detail)
        }
        f.descriptor.columns = 64
        f.descriptor.bitsAllocated = 8
        f.descriptor.bitsStored = 8
        XCTAssertThrowsError(try JPEGLSDecoder().decode(bytes, descriptor: f.frameDescriptor))
    }

    func testJPEGLSErrorCarriesCharLSMessage() throws {
        let (f, bytes) = try fixture("jls_near_u8")
        var damaged = bytes
        damaged[1] = 0x00                                           // no SOI
        XCTAssertThrowsError(try JPEGLSDecoder().decode(damaged, descriptor: f.frameDescriptor)) {
            guard case CodecError.libraryFailure(let codec, let detail)? = $0 as? CodecError else {
                return XCTFail("wrong error \($0)")
            }
            XCTAssertEqual(codec, "JPEG-LS (CharLS)")
            XCTAssertTrue(detail.contains("charls_jpegls_errc"), detail)
        }
    }

    func testJPEGLSSignedSamplesAreSignExtendedFromPrecision() throws {
        // MR_small is signed 16-bit; decoding it as unsigned must give the same bit patterns,
        // so sign extension must not disturb 16-bit data, while values must include negatives.
        let (f, bytes) = try fixture("jls_mr_small_s16")
        let signed = try JPEGLSDecoder().decode(bytes, descriptor: f.frameDescriptor)
        var unsignedDescriptor = f.frameDescriptor
        unsignedDescriptor.pixelRepresentation = 0
        XCTAssertEqual(signed.samples, try JPEGLSDecoder().decode(bytes, descriptor: unsignedDescriptor).samples)
    }

    func testJPEG2000WrappedInJP2BoxesIsDecoded() throws {
        let (f, bytes) = try fixture("j2k_rct_rgb8")
        XCTAssertTrue(JP2Container.isJP2(bytes))
        let range = try JP2Container.codestreamRange(in: bytes, codec: "test")
        let bare = try OpenJPEGDecoder().decode(Array(bytes[range]), descriptor: f.frameDescriptor)
        let wrapped = try OpenJPEGDecoder().decode(bytes, descriptor: f.frameDescriptor)
        XCTAssertEqual(bare, wrapped)
        XCTAssertEqual(wrapped.photometricInterpretation, "RGB")
    }

    func testJPEG2000SignCorrectionFollowsPixelRepresentation() throws {
        // J2K_pixelrep_mismatch.dcm: Pixel Representation 1, Bits Stored 13, but an unsigned codestream.
        let (f, bytes) = try fixture("j2k_pixelrep_mismatch")
        let decoded = try OpenJPEGDecoder().decode(bytes, descriptor: f.frameDescriptor)
        let values = (0..<(decoded.samples.count / 2)).map { sampleValue(decoded.samples, $0, width: 2, signed: true) }
        XCTAssertLessThan(values.min() ?? 0, 0, "sign-corrected values include negatives")
        XCTAssertGreaterThanOrEqual(values.min() ?? 0, -4096)
        XCTAssertLessThan(values.max() ?? 0, 4096)
    }

    func testJPEG2000GarbageIsRejectedWithOffset() {
        let d = FrameDescriptor(rows: 2, columns: 2, bitsAllocated: 8, bitsStored: 8)
        XCTAssertThrowsError(try OpenJPEGDecoder().decode([0x12, 0x34, 0x56, 0x78, 0x9A], descriptor: d)) {
            guard case CodecError.malformedStream(_, let detail, let offset)? = $0 as? CodecError else {
                return XCTFail("wrong error \($0)")
            }
            XCTAssertEqual(offset, 0)
            XCTAssertTrue(detail.contains("12 34 56 78"), detail)
        }
    }
}
