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

    /// Found by Tools/fuzz/run-parser-fuzzers.sh (multipart): a delimiter right after the blank line that
    /// ends a part's headers shares its CRLF. It used to slice buffer[2 ..< 0] and trap; it is an empty part.
    func testDelimiterSharingTheHeaderBlankLineIsAnEmptyPart() throws {
        for text in ["--x\r\n\r\n--x--", "--x\r\nContent-Type: a/b\r\n\r\n--x--", "--x\r\n\r\n--x\r\n\r\nnext\r\n--x--"] {
            let data = Data(text.utf8)
            var whole = MultipartParser(boundary: "x")
            let parts = try whole.feed(data)
            XCTAssertNoThrow(try whole.finish(), text)
            XCTAssertEqual(parts.first?.body, Data(), text)
            XCTAssertEqual(parts.count, text.hasSuffix("next\r\n--x--") ? 2 : 1, text)
            for size in 1 ... 4 {
                var p = MultipartParser(boundary: "x")
                var chunked: [MultipartPart] = []
                var i = 0
                while i < data.count { chunked += try p.feed(data.subdata(in: i ..< min(i + size, data.count))); i += size }
                XCTAssertNoThrow(try p.finish(), "\(text) in \(size)-byte chunks")
                XCTAssertEqual(chunked.map(\.body), parts.map(\.body), "\(text) in \(size)-byte chunks")
            }
        }
    }

    /// The fuzzer's crashing input itself (boundary "x", fed in 4-byte chunks).
    func testFuzzerCrashInput() throws {
        let data = Data([0x2d, 0x2d, 0x78, 0x0d, 0x0a, 0x0d, 0x0a, 0x2d, 0x2d, 0x78, 0x2d, 0x2d])
        var p = MultipartParser(boundary: "x")
        _ = try p.feed(data)
        XCTAssertNoThrow(try p.finish())
    }

    /// The part size limit applies whether the part arrives in one feed or in many.
    func testPartSizeLimitHoldsForAPartInOneFeed() throws {
        let data = Data("--b\r\n\r\n\(String(repeating: "z", count: 100))\r\n--b--".utf8)
        var whole = MultipartParser(boundary: "b", maximumPartSize: 99)
        XCTAssertThrowsError(try whole.feed(data))
        var fits = MultipartParser(boundary: "b", maximumPartSize: 100)
        XCTAssertEqual(try fits.feed(data).first?.body.count, 100)
    }
}
