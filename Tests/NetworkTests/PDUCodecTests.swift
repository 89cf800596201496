import XCTest
@testable import DICOMNetwork

final class PDUCodecTests: XCTestCase {
    private func sampleRequest() -> AssociateRequest {
        AssociateRequest(calledAETitle: "LIGHTBOX", callingAETitle: "MODALITY",
                         presentationContexts: [
                            .init(id: 1, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2",
                                  transferSyntaxes: ["1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.1"]),
                            .init(id: 3, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"]),
                         ],
                         userInformation: .init(maximumLength: 16384, implementationClassUID: "1.2.3.4", implementationVersionName: "TEST"))
    }

    func testAssociateRequestRoundTrips() throws {
        let bytes = PDUEncoding.encode(.associateRequest(sampleRequest()))
        XCTAssertEqual(bytes[0], 0x01)
        let decoded = try XCTUnwrap(try PDUDecoding.decodeFrame(bytes, maximumLength: 1 << 20))
        XCTAssertEqual(decoded.consumed, bytes.count)
        XCTAssertEqual(decoded.pdu, .associateRequest(sampleRequest()))
    }

    func testEveryPDUKindRoundTrips() throws {
        let ac = AssociateAccept(calledAETitle: "A", callingAETitle: "B",
                                 presentationContexts: [.init(id: 1, result: .acceptance, transferSyntax: "1.2.840.10008.1.2.1"),
                                                        .init(id: 3, result: .abstractSyntaxNotSupported, transferSyntax: "1.2.840.10008.1.2")],
                                 userInformation: .init(maximumLength: 0, implementationClassUID: "1.2"))
        let pdus: [PDU] = [
            .associateAccept(ac), .associateReject(.init(result: 1, source: 1, reason: 3)),
            .data([PDV(contextID: 1, isCommand: true, isLast: false, data: [1, 2, 3]),
                   PDV(contextID: 3, isCommand: false, isLast: true, data: [])]),
            .releaseRequest, .releaseResponse, .abort(source: 2, reason: 6),
        ]
        for pdu in pdus {
            let bytes = PDUEncoding.encode(pdu)
            XCTAssertEqual(try PDUDecoding.decodeFrame(bytes, maximumLength: 1 << 20)?.pdu, pdu, pdu.kindName)
        }
    }

    func testIncompleteFrameWaitsForMoreBytes() throws {
        let bytes = PDUEncoding.encode(.associateRequest(sampleRequest()))
        for cut in [0, 3, 5, 6, bytes.count - 1] {
            XCTAssertNil(try PDUDecoding.decodeFrame(Array(bytes.prefix(cut)), maximumLength: 1 << 20), "cut at \(cut)")
        }
    }

    func testAnnouncedLengthOverTheLimitIsRefusedBeforeBuffering() {
        // A P-DATA-TF header announcing 4 GiB − 1: refused from the 6 header bytes alone.
        let header: [UInt8] = [0x04, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        XCTAssertThrowsError(try PDUDecoding.decodeFrame(header, maximumLength: 256 << 10)) { error in
            guard case PDUError.tooLong = error else { return XCTFail("\(error)") }
        }
    }

    func testUnknownPDUTypeIsMalformed() {
        XCTAssertThrowsError(try PDUDecoding.decodeFrame([0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0], maximumLength: 1024)) { error in
            guard case PDUError.malformed = error else { return XCTFail("\(error)") }
        }
    }

    func testItemLengthPastTheEndOfThePDUIsTruncated() throws {
        var bytes = PDUEncoding.encode(.associateRequest(sampleRequest()))
        // The application context item starts right after the 68-byte fixed part: make it claim 0xFFFF bytes.
        let item = 6 + 68
        XCTAssertEqual(bytes[item], 0x10)
        bytes[item + 2] = 0xFF
        bytes[item + 3] = 0xFF
        XCTAssertThrowsError(try PDUDecoding.decodeFrame(bytes, maximumLength: 1 << 20)) { error in
            guard case PDUError.truncated = error else { return XCTFail("\(error)") }
        }
    }

    func testFixedPartCutShortIsTruncated() {
        // An A-ASSOCIATE-RQ whose body is only 10 bytes (the fixed part needs 68).
        let bytes: [UInt8] = [0x01, 0, 0, 0, 0, 10] + [UInt8](repeating: 0x20, count: 10)
        XCTAssertThrowsError(try PDUDecoding.decodeFrame(bytes, maximumLength: 1024)) { error in
            guard case PDUError.truncated = error else { return XCTFail("\(error)") }
        }
    }

    func testPDVLengthsAreChecked() {
        // PDV item length 1 (below the 2-byte minimum of context ID + control header).
        XCTAssertThrowsError(try PDUDecoding.decode(kind: .data, body: [0, 0, 0, 1, 1])) { error in
            guard case PDUError.malformed = error else { return XCTFail("\(error)") }
        }
        // PDV item length 100 in a 10-byte body.
        XCTAssertThrowsError(try PDUDecoding.decode(kind: .data, body: [0, 0, 0, 100, 1, 3, 0, 0, 0, 0])) { error in
            guard case PDUError.truncated = error else { return XCTFail("\(error)") }
        }
        // A P-DATA-TF with no PDV at all.
        XCTAssertThrowsError(try PDUDecoding.decode(kind: .data, body: []))
        // Even presentation context IDs are invalid.
        XCTAssertThrowsError(try PDUDecoding.decode(kind: .data, body: [0, 0, 0, 2, 2, 3]))
    }

    func testFixedSizePDUsRejectWrongLengths() {
        XCTAssertThrowsError(try PDUDecoding.decode(kind: .releaseRequest, body: [0, 0, 0]))
        XCTAssertThrowsError(try PDUDecoding.decode(kind: .abort, body: [0, 0, 0, 0, 0]))
        XCTAssertThrowsError(try PDUDecoding.decode(kind: .associateReject, body: [0, 1]))
    }

    func testMaximumLengthSubItemMustBeFourBytes() throws {
        var bytes = PDUEncoding.encode(.associateRequest(sampleRequest()))
        // Find the 0x51 sub-item (type, reserved, length 0x0004) and make it claim 2 bytes.
        let i = try XCTUnwrap((0 ..< bytes.count - 4).first { bytes[$0] == 0x51 && bytes[$0 + 2] == 0 && bytes[$0 + 3] == 4 })
        bytes[i + 3] = 2
        XCTAssertThrowsError(try PDUDecoding.decodeFrame(bytes, maximumLength: 1 << 20))
    }

    func testRandomCorruptionNeverTraps() {
        // Flip bytes all over a valid request: decoding must throw or succeed, never crash.
        let valid = PDUEncoding.encode(.associateRequest(sampleRequest()))
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 2000 {
            var b = valid
            for _ in 0 ..< Int.random(in: 1 ... 6, using: &rng) {
                b[Int.random(in: 0 ..< b.count, using: &rng)] = UInt8.random(in: 0 ... 255, using: &rng)
            }
            _ = try? PDUDecoding.decodeFrame(Array(b.prefix(Int.random(in: 0 ... b.count, using: &rng))), maximumLength: 1 << 20)
        }
    }
}
