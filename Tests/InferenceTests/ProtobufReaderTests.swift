import XCTest
@testable import Inference

final class ProtobufReaderTests: XCTestCase {
    func testReadsVarintsAndStrings() throws {
        var r = ProtobufReader(ProtoWriter.int(1, 300) + ProtoWriter.string(2, "hé"))
        let f1 = try XCTUnwrap(r.nextField())
        XCTAssertEqual(f1.number, 1)
        XCTAssertEqual(try r.readInt64(), 300)
        _ = try r.nextField()
        XCTAssertEqual(try r.readString(), "hé")
        XCTAssertNil(try r.nextField())
    }

    func testNegativeInt64UsesTenBytes() throws {
        let bytes = ProtoWriter.int(1, -1)
        XCTAssertEqual(bytes.count, 11)
        var r = ProtobufReader(bytes)
        _ = try r.nextField()
        XCTAssertEqual(try r.readInt64(), -1)
    }

    func testTruncatedVarintThrows() {
        var r = ProtobufReader([0x08, 0xff, 0xff])
        XCTAssertThrowsError(try { _ = try r.nextField(); _ = try r.readVarint() }())
    }

    func testLengthPastEndThrows() {
        // field 2, length-delimited, claims 100 bytes, has 2.
        var r = ProtobufReader([0x12, 100, 1, 2])
        XCTAssertThrowsError(try { _ = try r.nextField(); _ = try r.readBytes() }()) { e in
            guard case ONNXError.malformed(let m) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("past the end"), m)
        }
    }

    func testOverlongVarintThrows() {
        var r = ProtobufReader([UInt8](repeating: 0xff, count: 11) + [0])
        XCTAssertThrowsError(try r.readVarint())
    }

    func testGroupsAreRejected() {
        var r = ProtobufReader([0x0b]) // field 1, start group
        XCTAssertThrowsError(try { if let f = try r.nextField() { try r.skip(f.wire) } }())
    }

    func testAbsurdDimsAreRejectedNotAllocated() {
        let t = ProtoWriter.int(1, 1 << 40) + ProtoWriter.int(1, 1 << 40) + ProtoWriter.int(2, 1)
        XCTAssertThrowsError(try decodeTensorProto(t)) { e in
            guard case ONNXError.malformed = e else { return XCTFail("\(e)") }
        }
    }

    func testRawDataLengthMismatchThrows() {
        let t = ProtoWriter.int(1, 4) + ProtoWriter.int(2, 1) + ProtoWriter.bytes(9, [0, 0, 0, 0])
        XCTAssertThrowsError(try decodeTensorProto(t))
    }

    func testEveryTruncationOfAFixtureFailsCleanly() throws {
        let data = try [UInt8](Data(contentsOf: Fixtures.url("function_inline.onnx")))
        for cut in stride(from: 0, to: data.count - 1, by: 7) {
            // Must throw or load; never trap.
            _ = try? Model(bytes: Array(data[0..<cut]))
        }
    }

    func testSeededByteFlipsNeverCrash() throws {
        let data = try [UInt8](Data(contentsOf: Fixtures.url("function_inline.onnx")))
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var m = data
            for _ in 0..<4 { m[Int.random(in: 0..<m.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = try? Model(bytes: m)
        }
    }
}
