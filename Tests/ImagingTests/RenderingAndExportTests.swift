import DICOM
import Foundation
import TestSupport
import XCTest
@testable import Imaging

final class RenderingAndExportTests: XCTestCase {
    private func dataSet(_ photometric: String, extra: [UInt8] = []) throws -> DataSet {
        let body = Bytes.us(0x0028, 0x0002, 1) + Bytes.text(0x0028, 0x0004, "CS", photometric)
            + Bytes.us(0x0028, 0x0010, 1) + Bytes.us(0x0028, 0x0011, 3) + Bytes.us(0x0028, 0x0100, 8)
            + Bytes.us(0x0028, 0x0101, 8) + extra + Bytes.element(0x7FE0, 0x0010, "OB", [0, 100, 200, 0])
        return try DICOMFile.parse(Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body)).dataSet
    }

    func testMonochrome1IsInvertedAfterTheWindow() throws {
        for (photometric, expected) in [("MONOCHROME2", [UInt8]([0, 128, 255])), ("MONOCHROME1", [255, 127, 0])] {
            let ds = try dataSet(photometric)
            let frame = try PixelDataReader(dataSet: ds, transferSyntax: .explicitVRLittleEndian).frame(0)
            let image = try FrameRenderer(ds).render(frame, window: .init(center: 100, width: 200, function: .linearExact))
            XCTAssertEqual(image.pixels, expected, photometric)
        }
    }

    func testModalityRescaleFeedsTheWindow() throws {
        let ds = try dataSet("MONOCHROME2", extra: Bytes.text(0x0028, 0x1052, "DS", "-100") + Bytes.text(0x0028, 0x1053, "DS", "1"))
        let frame = try PixelDataReader(dataSet: ds, transferSyntax: .explicitVRLittleEndian).frame(0)
        let renderer = FrameRenderer(ds)
        XCTAssertEqual(renderer.modalityValues(frame), [-100, 0, 100])
        XCTAssertEqual(try renderer.render(frame, window: .init(center: 0, width: 200, function: .linearExact)).pixels, [0, 128, 255])
    }

    func testYBRFullConvertsToRGB() {
        var pixels: [UInt8] = [128, 128, 128, 76, 85, 255]  // mid grey, and pure red in YCbCr
        ColorConversion.ybrFullToRGB(&pixels)
        XCTAssertEqual(Array(pixels[0 ..< 3]), [128, 128, 128])
        XCTAssertEqual(Int(pixels[3]), 254, accuracy: 2)
        XCTAssertEqual(Int(pixels[4]), 0, accuracy: 2)
        XCTAssertEqual(Int(pixels[5]), 0, accuracy: 2)
    }

    func testPNGRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let image = try DisplayImage(width: 3, height: 2, channels: 3, pixels: (0 ..< 18).map { UInt8($0 * 14) })
        try PNGCodec.write(image, to: path)
        let back = try PNGCodec.read(path)
        XCTAssertEqual(back.width, 3)
        XCTAssertEqual(back.pixels, image.pixels)
        XCTAssertThrowsError(try PNGCodec.read("/nonexistent.png"))
    }
}
