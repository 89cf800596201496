import Foundation
import TestSupport
import XCTest
@testable import DICOM

/// Which fragments make up each frame (PS3.5 §A.4): offset tables, one-per-frame, SOI markers.
final class FrameLocatorTests: XCTestCase {
    /// Fragments: frame 0 = [A, B], frame 1 = [C]. Each fragment item is 8 header bytes + 4 bytes.
    private let fragments: [[UInt8]] = [[0xFF, 0xD8, 1, 2], [3, 4, 5, 6], [0xFF, 0xD8, 7, 8]]

    private func dataSet(basicOffsets: [UInt32], extended: [UInt64]? = nil) throws -> DataSet {
        var pixels = Bytes.u16(0x7FE0) + Bytes.u16(0x0010) + Array("OB".utf8) + [0, 0] + Bytes.u32(0xFFFF_FFFF)
        pixels += Bytes.u16(0xFFFE) + Bytes.u16(0xE000) + Bytes.u32(UInt32(4 * basicOffsets.count)) + basicOffsets.flatMap(Bytes.u32)
        for f in fragments { pixels += Bytes.u16(0xFFFE) + Bytes.u16(0xE000) + Bytes.u32(UInt32(f.count)) + f }
        pixels += Bytes.u16(0xFFFE) + Bytes.u16(0xE0DD) + Bytes.u32(0)
        var body = Bytes.text(0x0028, 0x0008, "IS", "2")
        if let extended {
            let u64 = extended.flatMap { v in (0 ..< 8).map { UInt8((v >> (8 * $0)) & 0xFF) } }
            body += Bytes.element(0x7FE0, 0x0001, "OV", u64)
            body += Bytes.element(0x7FE0, 0x0002, "OV", [UInt8](repeating: 0, count: 8 * extended.count))
        }
        return try DICOMFile.parse(Bytes.part10(syntax: "1.2.840.10008.1.2.4.50", body: body + pixels)).dataSet
    }

    private struct LocatorTestError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private func locate(_ ds: DataSet) throws -> [Range<Int>] {
        // The data set is built above with an undefined-length item sequence: a parser that does
        // not see encapsulated pixel data there is broken, so this fails rather than skips.
        guard case let .encapsulated(p)? = ds[.pixelData]?.value else {
            throw LocatorTestError("pixel data not parsed as encapsulated: \(String(describing: ds[.pixelData]?.value).prefix(120))")
        }
        let locator = FrameLocator(pixels: p, dataSet: ds, frameCount: 2, source: "t.dcm")
        return try (0 ..< 2).map { try locator.fragmentRange(ofFrame: $0) }
    }

    func testBasicOffsetTable() throws {
        XCTAssertEqual(try locate(dataSet(basicOffsets: [0, 24])), [0 ..< 2, 2 ..< 3])
    }

    func testExtendedOffsetTableWinsOverAnEmptyBasicTable() throws {
        XCTAssertEqual(try locate(dataSet(basicOffsets: [], extended: [0, 24])), [0 ..< 2, 2 ..< 3])
    }

    func testStartOfImageMarkersWhenThereIsNoTable() throws {
        XCTAssertEqual(try locate(dataSet(basicOffsets: [])), [0 ..< 2, 2 ..< 3])
    }

    func testAnOffsetThatPointsNowhereIsAnError() throws {
        XCTAssertThrowsError(try locate(dataSet(basicOffsets: [0, 13]))) { error in
            XCTAssertFalse(error is LocatorTestError, "\(error)")
            XCTAssertTrue("\(error)".contains("does not point at a fragment"), "\(error)")
        }
    }
}
