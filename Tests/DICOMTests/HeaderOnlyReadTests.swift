import Foundation
import TestSupport
import XCTest
@testable import DICOM

/// A header-only read looks at the file's first `DICOMFile.headBytes` first; a header longer than
/// that must come back whole, whether the cut falls inside an element or exactly between two.
final class HeaderOnlyReadTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("header-only-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A bare explicit-VR data set: Modality, a Study Description `padding` bytes long, Patient
    /// Name, then 64 KiB of pixel data (so the file always runs past the head).
    private func file(padding: Int) throws -> (URL, headerBytes: Int) {
        let head = Bytes.text(0x0008, 0x0060, "CS", "CT") + Bytes.text(0x0008, 0x1030, "LO", String(repeating: "A", count: padding))
        let body = head + Bytes.text(0x0010, 0x0010, "PN", "After^Cut") + Bytes.us(0x0028, 0x0010, 128)
        let pixels = Bytes.u16(0x7FE0) + Bytes.u16(0x0010) + Array("OW".utf8) + [0, 0] + Bytes.u32(65536)
            + [UInt8](repeating: 7, count: 65536)
        let url = folder.appendingPathComponent("padding-\(padding).dcm")
        try Data(body + pixels).write(to: url)
        return (url, head.count)
    }

    func testAHeaderCutExactlyBetweenTwoElementsIsReadWhole() throws {
        // The description ends exactly at the head's last byte: the head parses cleanly, without
        // Patient Name or Rows, and only reaching the pixel data proves a header complete.
        let padding = DICOMFile.headBytes - 10 - 8
        let (url, headerBytes) = try file(padding: padding)
        XCTAssertEqual(headerBytes, DICOMFile.headBytes)
        let f = try DICOMFile.read(path: url.path, options: .init(stopBeforePixelData: true))
        XCTAssertEqual(f.dataSet.string(.patientName), "After^Cut")
        XCTAssertEqual(f.dataSet.int(.rows), 128)
        XCTAssertNil(f.dataSet[.pixelData])
    }

    func testAHeaderCutInsideAnElementIsReadWhole() throws {
        let (url, _) = try file(padding: DICOMFile.headBytes + 1000)
        for lenient in [false, true] {
            let f = try DICOMFile.read(path: url.path, options: .init(stopBeforePixelData: true, lenient: lenient))
            XCTAssertEqual(f.dataSet.string(.patientName), "After^Cut")
            XCTAssertEqual(f.dataSet.string(Tag(0x0008, 0x1030))?.count, DICOMFile.headBytes + 1000)
            XCTAssertNil(f.parseError)
        }
    }

    func testAShortHeaderComesFromTheHeadAlone() throws {
        let (url, _) = try file(padding: 64)
        let f = try DICOMFile.read(path: url.path, options: .init(stopBeforePixelData: true))
        XCTAssertTrue(f.reachedPixelData)
        XCTAssertEqual(f.dataSet.string(.modality), "CT")
        XCTAssertEqual(f.dataSet.string(Tag(0x0008, 0x1030)), String(repeating: "A", count: 64))
    }

    func testPaddingIsTrimmedOnTheBytes() throws {
        // Trailing spaces and NULs go, leading spaces go except in LT/ST/UT/UR.
        let body = Bytes.text(0x0008, 0x0060, "CS", " CT\0") + Bytes.text(0x0008, 0x1030, "LO", "  Chest  ")
            + Bytes.text(0x0010, 0x4000, "LT", "  indented  ")
        let ds = try DICOMFile.parse(Data(body)).dataSet
        XCTAssertEqual(ds.string(.modality), "CT")
        XCTAssertEqual(ds.string(Tag(0x0008, 0x1030)), "Chest")
        XCTAssertEqual(ds.string(Tag(0x0010, 0x4000)), "  indented")
        XCTAssertNil(try DICOMFile.parse(Data(Bytes.text(0x0008, 0x0060, "CS", "    "))).dataSet.string(.modality))
    }
}
