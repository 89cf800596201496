import XCTest
@testable import DICOMCodecs

final class CodecRegistryTests: XCTestCase {
    func testEverySupportedSyntaxHasTheRightDecoder() {
        let expected: [String: String] = [
            "1.2.840.10008.1.2.5": "RLE Lossless",
            "1.2.840.10008.1.2.4.50": "JPEG DCT", "1.2.840.10008.1.2.4.51": "JPEG DCT",
            "1.2.840.10008.1.2.4.57": "JPEG Lossless", "1.2.840.10008.1.2.4.70": "JPEG Lossless",
            "1.2.840.10008.1.2.4.80": "JPEG-LS (CharLS)", "1.2.840.10008.1.2.4.81": "JPEG-LS (CharLS)",
            "1.2.840.10008.1.2.4.90": "JPEG 2000 (OpenJPEG)", "1.2.840.10008.1.2.4.91": "JPEG 2000 (OpenJPEG)",
            "1.2.840.10008.1.2.4.201": "JPEG 2000 (OpenJPEG)", "1.2.840.10008.1.2.4.202": "JPEG 2000 (OpenJPEG)",
            "1.2.840.10008.1.2.4.203": "JPEG 2000 (OpenJPEG)",
        ]
        XCTAssertEqual(Set(CodecRegistry.supportedTransferSyntaxes), Set(expected.keys))
        for (uid, name) in expected {
            XCTAssertEqual(CodecRegistry.decoder(forTransferSyntax: uid)?.codecName, name, uid)
        }
    }

    func testUIDPaddingIsIgnoredAndUnknownSyntaxesAreNil() {
        XCTAssertNotNil(CodecRegistry.decoder(forTransferSyntax: "1.2.840.10008.1.2.5\0"))
        XCTAssertNotNil(CodecRegistry.decoder(forTransferSyntax: "1.2.840.10008.1.2.4.70 "))
        XCTAssertNil(CodecRegistry.decoder(forTransferSyntax: "1.2.840.10008.1.2.1"))     // explicit VR LE: not compressed
        XCTAssertNil(CodecRegistry.decoder(forTransferSyntax: "1.2.840.10008.1.2.4.100")) // MPEG2: not supported
        let d = FrameDescriptor(rows: 1, columns: 1, bitsAllocated: 8, bitsStored: 8)
        XCTAssertThrowsError(try CodecRegistry.decode([0], transferSyntax: "1.2.840.10008.1.2.4.100", descriptor: d)) {
            XCTAssertEqual($0 as? CodecError, .unsupportedTransferSyntax("1.2.840.10008.1.2.4.100"))
        }
    }
}
