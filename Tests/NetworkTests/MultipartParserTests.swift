import Foundation
import XCTest
@testable import DICOMweb

final class MultipartParserTests: XCTestCase {
    private func body(_ parts: [String], boundary: String = "b0und", preamble: String = "") -> Data {
        var s = preamble
        for p in parts { s += "--\(boundary)\r\nContent-Type: application/dicom\r\n\r\n\(p)\r\n" }
        s += "--\(boundary)--\r\n"
        return Data(s.utf8)
    }

    func testWholeBodyAtOnce() throws {
        var p = MultipartParser(boundary: "b0und")
        let parts = try p.feed(body(["first", "", "third\r\n--b0unX"], preamble: "ignored preamble\r\n"))
        XCTAssertEqual(parts.map { String(decoding: $0.body, as: UTF8.self) }, ["first", "", "third\r\n--b0unX"])
        XCTAssertEqual(parts[0].contentType, "application/dicom")
        XCTAssertNoThrow(try p.finish())
    }

    func testEverySplitPointGivesTheSameParts() throws {
        let data = body(["alpha", "beta-beta", "γ"])
        for cut in 0 ... data.count {
            var p = MultipartParser(boundary: "b0und")
            var parts = try p.feed(data.prefix(cut))
            parts += try p.feed(data.dropFirst(cut))
            XCTAssertEqual(parts.map { String(decoding: $0.body, as: UTF8.self) }, ["alpha", "beta-beta", "γ"], "cut \(cut)")
            XCTAssertNoThrow(try p.finish())
        }
    }

    func testByteByByteStreamingEmitsPartsBeforeTheEnd() throws {
        let data = body(["one", "two"])
        var p = MultipartParser(boundary: "b0und")
        var firstAt: Int?
        for (i, byte) in data.enumerated() {
            if try !p.feed(Data([byte])).isEmpty, firstAt == nil { firstAt = i }
        }
        XCTAssertNotNil(firstAt)
        XCTAssertLessThan(firstAt!, data.count - 10, "the first part must come out before the body ends")
    }

    func testTruncatedBodyIsReported() throws {
        let data = body(["complete", "cut off here"])
        var p = MultipartParser(boundary: "b0und")
        let parts = try p.feed(data.prefix(data.count - 20))
        XCTAssertEqual(parts.count, 1)
        XCTAssertThrowsError(try p.finish()) { error in
            guard case DICOMwebError.malformedMultipart(_, let n) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(n, 1)
        }
    }

    func testNoBoundaryAtAll() throws {
        var p = MultipartParser(boundary: "b0und")
        XCTAssertEqual(try p.feed(Data("just some text\r\n".utf8)).count, 0)
        XCTAssertThrowsError(try p.finish())
    }

    func testGarbageAfterDelimiterAndHugeHeadersAreErrors() {
        var p = MultipartParser(boundary: "b0und")
        XCTAssertThrowsError(try p.feed(Data("--b0undXYZ\r\n\r\n".utf8)))
        var q = MultipartParser(boundary: "b0und")
        XCTAssertThrowsError(try q.feed(Data(("--b0und\r\n" + String(repeating: "X-Long: y\r\n", count: 3000)).utf8)))
        var r = MultipartParser(boundary: "b0und", maximumPartSize: 100)
        XCTAssertThrowsError(try r.feed(Data(("--b0und\r\n\r\n" + String(repeating: "z", count: 500)).utf8)))
    }

    func testBoundaryFromContentType() {
        XCTAssertEqual(multipartBoundary(fromContentType: "multipart/related; type=\"application/dicom\"; boundary=abc-123"), "abc-123")
        XCTAssertEqual(multipartBoundary(fromContentType: "multipart/related;boundary=\"q q\""), "q q")
        XCTAssertNil(multipartBoundary(fromContentType: "application/dicom+json"))
        XCTAssertNil(multipartBoundary(fromContentType: "multipart/related; type=x"))
        XCTAssertNil(multipartBoundary(fromContentType: "multipart/related; boundary=" + String(repeating: "a", count: 71)))
    }
}

extension MultipartParserTests {
    func testPartWithoutHeaders() throws {
        var p = MultipartParser(boundary: "b")
        let parts = try p.feed(Data("--b\r\n\r\nbody\r\n--b--".utf8))
        XCTAssertEqual(parts.map { String(decoding: $0.body, as: UTF8.self) }, ["body"])
        XCTAssertEqual(parts.first?.headers, [:])
    }
}
