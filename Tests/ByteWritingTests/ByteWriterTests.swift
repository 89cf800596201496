import XCTest
import ByteWriting

/// The byte writer under the sixel, SGR and PDU encoders: exact bytes for every append, growth
/// past the reserved capacity, and a limit that refuses a write cleanly instead of trapping.
final class ByteWriterTests: XCTestCase {
    func testAppendsBytesRunsAndSequences() {
        var w = ByteWriter(reservingCapacity: 2)
        w.append(0x41)
        w.append(contentsOf: [0x42, 0x43])
        w.append(0x2E, count: 3)
        w.append(0x2A, count: 0)
        w.appendUTF8("ok")
        XCTAssertEqual(w.bytes, Array("ABC...ok".utf8))
        XCTAssertEqual(w.count, 8)
        XCTAssertFalse(w.hasOverflowed)
        XCTAssertEqual(try w.finish(), Array("ABC...ok".utf8))
    }

    func testDecimalsMatchStringFormatting() {
        for v in [0, 7, 9, 10, 42, 99, 100, 255, 999, 1000, 4095, 65535, 1_234_567] {
            var w = ByteWriter()
            w.appendDecimal(v)
            XCTAssertEqual(w.bytes, Array(String(v).utf8), "\(v)")
        }
        var negative = ByteWriter()
        negative.appendDecimal(-5)
        XCTAssertEqual(negative.bytes, Array("0".utf8), "negative values are written as 0")
    }

    func testUTF8MatchesSwiftEncoding() {
        for scalar in ["A", "é", "▀", "山", "🙂"].map({ $0.unicodeScalars.first! }) {
            var w = ByteWriter()
            w.appendUTF8(scalar.value)
            XCTAssertEqual(w.bytes, Array(String(scalar).utf8), "U+\(String(scalar.value, radix: 16))")
        }
    }

    func testByteOrders() {
        var w = ByteWriter()
        w.appendBigEndian(UInt16(0x0102)); w.appendBigEndian(UInt32(0x0304_0506))
        w.appendLittleEndian(UInt16(0x0102)); w.appendLittleEndian(UInt32(0x0304_0506))
        XCTAssertEqual(w.bytes, [1, 2, 3, 4, 5, 6, 2, 1, 6, 5, 4, 3])
    }

    func testGrowsPastReservedCapacity() {
        var w = ByteWriter(reservingCapacity: 1)
        for i in 0 ..< 10_000 { w.append(UInt8(truncatingIfNeeded: i)) }
        XCTAssertEqual(w.count, 10_000)
        XCTAssertEqual(w.bytes[9_999], UInt8(truncatingIfNeeded: 9_999))
    }

    func testAppendingToExistingBytesKeepsThem() {
        var w = ByteWriter(appendingTo: [1, 2])
        w.append(3)
        XCTAssertEqual(w.bytes, [1, 2, 3])
    }

    func testWritePastLimitFailsCleanly() {
        var w = ByteWriter(limit: 4)
        w.append(contentsOf: [1, 2, 3])
        w.appendBigEndian(UInt16(0xFFFF))        // would make 5 bytes: refused whole
        XCTAssertTrue(w.hasOverflowed)
        XCTAssertEqual(w.bytes, [1, 2, 3], "the refused write leaves no partial bytes")
        w.append(4)                               // fits, but the writer has already failed
        XCTAssertEqual(w.bytes, [1, 2, 3], "writes after an overflow are ignored, so the output stays a prefix")
        XCTAssertThrowsError(try w.finish()) { error in
            XCTAssertEqual(error as? ByteLimitExceeded, ByteLimitExceeded(limit: 4, attemptedLength: 5, written: 3))
        }
    }

    func testEveryKindOfWriteRespectsTheLimit() {
        let writes: [(inout ByteWriter) -> Void] = [
            { $0.append(9) }, { $0.append(contentsOf: [9, 9]) }, { $0.append(9, count: 2) },
            { $0.appendDecimal(12) }, { $0.appendDecimal(123_456) }, { $0.appendUTF8(0x5C71) },
            { $0.appendUTF8("xy") }, { $0.appendBigEndian(UInt32(1)) }, { $0.appendLittleEndian(UInt16(1)) },
        ]
        for (i, write) in writes.enumerated() {
            var w = ByteWriter(limit: 0)
            write(&w)
            XCTAssertEqual(w.count, 0, "write \(i)")
            XCTAssertTrue(w.hasOverflowed, "write \(i)")
            XCTAssertThrowsError(try w.finish(), "write \(i)")
        }
    }

    func testExactlyAtLimitIsFine() {
        var w = ByteWriter(limit: 3)
        w.append(contentsOf: [1, 2, 3])
        XCTAssertFalse(w.hasOverflowed)
        XCTAssertEqual(try w.finish(), [1, 2, 3])
    }
}
