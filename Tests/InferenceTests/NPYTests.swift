import XCTest
@testable import Inference

/// The one `.npy` writer (`lightbox info --npy` and `lightbox onnx run` both use it).
final class NPYTests: XCTestCase {
    func testHeaderIsAlignedAndDescribesTheArray() {
        let data = NPY.file(descr: "<i2", shape: [1, 2, 3], body: [UInt8](repeating: 0, count: 12))
        XCTAssertEqual(Array(data[0 ..< 6]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        let header = String(decoding: data[10 ..< 10 + headerLength], as: UTF8.self)
        XCTAssertTrue(header.contains("'descr': '<i2'") && header.contains("'shape': (1, 2, 3)"), header)
        XCTAssertEqual(data.count, 10 + headerLength + 12)
        XCTAssertEqual(NPY.integerDescr(bytes: 2, signed: false), "<u2")
        XCTAssertEqual(NPY.integerDescr(bytes: 1, signed: true), "|i1")
    }

    func testAFloatTensorRoundTrips() throws {
        let t = try Tensor(shape: [2, 3], floats: [0, 1.5, -2, 3, 4.25, 5])
        XCTAssertEqual(try NPY.read(NPY.write(t)), t)
    }
}
