import Foundation
import TestSupport
import XCTest
@testable import DICOM

/// Hostile and broken input: every case ends in a thrown error naming the file and offset, never a
/// trap (a trap would kill the test process and fail the run).
final class MalformedInputTests: XCTestCase {
    private let fixtures = ["explicit_le.dcm", "implicit_le.dcm", "explicit_be.dcm", "deflated.dcm", "japanese.dcm"]

    /// Parse, and if that works, decode every frame; errors are fine, traps are not.
    private func exercise(_ data: Data, source: String) -> Error? {
        do {
            let file = try DICOMFile.parse(data, source: source)
            if file.dataSet[.pixelData] != nil {
                let reader = try PixelDataReader(file)
                for f in 0 ..< min(reader.frameCount, 4) { _ = try reader.frame(f) }
            }
            for e in file.dataSet.elements { _ = ElementValueFormatter.format(e, in: file.dataSet) }
            return nil
        } catch {
            return error
        }
    }

    func testEveryTruncationThrowsANamedError() throws {
        for name in fixtures {
            let data = try Fixtures.data(name)
            var errors = 0
            for cut in stride(from: 0, to: data.count, by: 1) {
                if let error = exercise(data.prefix(cut), source: name) {
                    errors += 1
                    XCTAssertTrue("\(error)".contains(name), "error does not name the file: \(error)")
                }
            }
            XCTAssertGreaterThan(errors, data.count / 2, "\(name): most truncations must be reported")
        }
    }

    func testTruncatedValueReportsOffset() throws {
        let data = try Fixtures.data("explicit_le.dcm")
        XCTAssertThrowsError(try DICOMFile.parse(data.prefix(data.count - 7), source: "cut.dcm")) { error in
            guard case let DICOMError.malformed(file, offset, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "cut.dcm")
            XCTAssertGreaterThan(offset, 132)
        }
    }

    func testLenientReadKeepsWhatCameBeforeTheFault() throws {
        let data = try Fixtures.data("explicit_le.dcm")
        let file = try DICOMFile.parse(data.prefix(data.count - 7), source: "cut.dcm", options: .init(lenient: true))
        XCTAssertNotNil(file.parseError)
        XCTAssertEqual(file.dataSet.string(.patientName), "Müller^Jürgen")
    }

    func testBitFlipsNeverTrap() throws {
        var rng = SystemRandomNumberGenerator.seeded(0x5EED)
        for name in fixtures {
            let original = [UInt8](try Fixtures.data(name))
            for _ in 0 ..< 1_500 {
                var mutated = original
                for _ in 0 ..< Int.random(in: 1 ... 4, using: &rng) {
                    let i = Int.random(in: 0 ..< mutated.count, using: &rng)
                    mutated[i] ^= UInt8.random(in: 1 ... 255, using: &rng)
                }
                _ = exercise(Data(mutated), source: name)
            }
        }
    }

    func testLengthPastTheEnd() {
        let body = Bytes.text(0x0008, 0x0060, "CS", "CT") + Bytes.u16(0x0010) + Bytes.u16(0x0010) + Array("UT".utf8) + [0, 0] + Bytes.u32(0xFFFF_FFF0)
        XCTAssertThrowsError(try DICOMFile.parse(Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body), source: "long.dcm")) { error in
            XCTAssertTrue("\(error)".contains("long.dcm"))
            XCTAssertTrue("\(error)".contains("runs past the end"), "\(error)")
        }
    }

    func testAbsurdImageSizeIsRefusedBeforeAllocating() throws {
        let body = Bytes.us(0x0028, 0x0002, 1) + Bytes.text(0x0028, 0x0004, "CS", "MONOCHROME2")
            + Bytes.text(0x0028, 0x0008, "IS", "1000000") + Bytes.us(0x0028, 0x0010, 65_535) + Bytes.us(0x0028, 0x0011, 65_535)
            + Bytes.us(0x0028, 0x0100, 16) + Bytes.us(0x0028, 0x0101, 16) + Bytes.element(0x7FE0, 0x0010, "OW", [1, 2, 3, 4])
        let file = try DICOMFile.parse(Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body), source: "huge.dcm")
        XCTAssertThrowsError(try PixelDataReader(file)) { error in
            XCTAssertTrue("\(error)".contains("huge.dcm"), "\(error)")
        }
        // A plausible size whose pixel data is too short is refused when the frame is read.
        let small = Bytes.us(0x0028, 0x0002, 1) + Bytes.text(0x0028, 0x0004, "CS", "MONOCHROME2")
            + Bytes.us(0x0028, 0x0010, 512) + Bytes.us(0x0028, 0x0011, 512)
            + Bytes.us(0x0028, 0x0100, 16) + Bytes.us(0x0028, 0x0101, 16) + Bytes.element(0x7FE0, 0x0010, "OW", [1, 2, 3, 4])
        let short = try DICOMFile.parse(Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: small), source: "short.dcm")
        XCTAssertThrowsError(try PixelDataReader(short).frame(0)) { error in
            XCTAssertTrue("\(error)".contains("needs"), "\(error)")
        }
    }

    func testSequenceNestedAThousandDeepIsRefused() {
        var body: [UInt8] = []
        for _ in 0 ..< 1_000 {
            body += Bytes.u16(0x0008) + Bytes.u16(0x1140) + Array("SQ".utf8) + [0, 0] + Bytes.u32(0xFFFF_FFFF)
            body += Bytes.u16(0xFFFE) + Bytes.u16(0xE000) + Bytes.u32(0xFFFF_FFFF)
        }
        XCTAssertThrowsError(try DICOMFile.parse(Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body), source: "deep.dcm")) { error in
            XCTAssertTrue("\(error)".contains("nested more than"), "\(error)")
            XCTAssertTrue("\(error)".contains("deep.dcm"))
        }
    }

    func testPydicomCorpusTruncatedAndFlippedNeverTraps() throws {
        guard let corpus = Fixtures.pydicomCorpus else { throw XCTSkip("pydicom corpus not installed (run make test)") }
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".dcm") }.sorted()
        XCTAssertGreaterThan(names.count, 50)
        var rng = SystemRandomNumberGenerator.seeded(42)
        for name in names {
            let original = [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name)))
            guard original.count < 2_000_000 else { continue }
            for _ in 0 ..< 8 {
                _ = exercise(Data(original.prefix(Int.random(in: 0 ..< max(1, original.count), using: &rng))), source: name)
                var mutated = original
                for _ in 0 ..< 8 { let i = Int.random(in: 0 ..< max(1, mutated.count), using: &rng); if i < mutated.count { mutated[i] ^= 0xFF } }
                _ = exercise(Data(mutated), source: name)
            }
        }
    }
}

extension SystemRandomNumberGenerator {
    /// A deterministic generator for reproducible mutation tests.
    static func seeded(_ seed: UInt64) -> SplitMix64 { SplitMix64(state: seed) }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
