import XCTest
@testable import DICOMNetwork

final class CommandSetTests: XCTestCase {
    func testRoundTripWithGroupLength() throws {
        var c = CommandSet()
        c.set(.affectedSOPClassUID, string: "1.2.840.10008.5.1.4.1.1.2")
        c.set(.commandField, uint16: CommandField.cStoreRQ.rawValue)
        c.set(.messageID, uint16: 7)
        c.set(.commandDataSetType, uint16: 0x0000)
        c.set(.affectedSOPInstanceUID, string: "1.2.3")
        let bytes = c.encode()
        let d = try CommandSet.decode(bytes)
        XCTAssertEqual(d.uint16(.commandField), 0x0001)
        XCTAssertEqual(d.uint16(.messageID), 7)
        XCTAssertEqual(d.string(.affectedSOPInstanceUID), "1.2.3")
        XCTAssertTrue(d.hasDataSet)
        // (0000,0000) holds the byte count of everything after it.
        let groupLength = Int(bytes[8]) | Int(bytes[9]) << 8
        XCTAssertEqual(groupLength, bytes.count - 12)
    }

    func testTruncatedElementThrows() {
        // (0000,0100) announcing 200 bytes with 2 present.
        let bytes: [UInt8] = [0, 0, 0, 1, 200, 0, 0, 0, 1, 0]
        XCTAssertThrowsError(try CommandSet.decode(bytes)) { error in
            guard case PDUError.truncated = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try CommandSet.decode([0, 0, 0]))
    }

    func testElementOutsideGroupZeroIsRejected() {
        let bytes: [UInt8] = [0x08, 0, 0x16, 0, 2, 0, 0, 0, 0x31, 0x00]
        XCTAssertThrowsError(try CommandSet.decode(bytes))
    }

    func testNoDataSetFlag() throws {
        var c = CommandSet()
        c.set(.commandDataSetType, uint16: CommandSet.noDataSet)
        XCTAssertFalse(try CommandSet.decode(c.encode()).hasDataSet)
    }
}
