import XCTest
@testable import TerminalGraphics

/// Sizes reach images from files; a size that does not match the buffer is an error the caller
/// sees, never a trap (issue 23: failable initialisers, not `precondition`).
final class ImageSizeCheckTests: XCTestCase {
    func testRGBImageRejectsBuffersThatDoNotMatch() {
        XCTAssertThrowsError(try RGBImage(width: 2, height: 2, pixels: [0, 0, 0])) { error in
            XCTAssertEqual(error as? ImageSizeError, .pixelCount(expected: 12, actual: 3))
        }
        XCTAssertThrowsError(try RGBImage(width: 1, height: 1, channels: 2, pixels: [0, 0])) { error in
            XCTAssertEqual(error as? ImageSizeError, .unsupportedChannels(2))
        }
        XCTAssertThrowsError(try RGBImage(width: -1, height: 1, pixels: [])) { error in
            XCTAssertEqual(error as? ImageSizeError, .invalidSize(width: -1, height: 1))
        }
        XCTAssertThrowsError(try RGBImage(width: Int.max, height: 2, pixels: []), "an overflowing size is an error, not a trap")
        XCTAssertThrowsError(try RGBImage(width: 1, height: 1, pixels: [0, 0, 0], pixelAspectRatio: 0)) { error in
            XCTAssertEqual(error as? ImageSizeError, .invalidAspectRatio(0))
        }
        XCTAssertThrowsError(try RGBImage(width: 1, height: 1, pixels: [0, 0, 0], rowSpacing: 1, columnSpacing: 0))
        XCTAssertThrowsError(try RGBImage(width: -3, height: 3, filledWith: RGBColor(grey: 0)))
        XCTAssertNoThrow(try RGBImage(width: 0, height: 0, pixels: []))
    }

    func testGreyImageRejectsBuffersThatDoNotMatch() {
        XCTAssertThrowsError(try GreyImage(width: 3, height: 3, pixels: [1, 2, 3])) { error in
            XCTAssertEqual(error as? ImageSizeError, .pixelCount(expected: 9, actual: 3))
        }
        XCTAssertThrowsError(try GreyImage(width: 2, height: 1, values: [0], windowCenter: 0, windowWidth: 1))
        XCTAssertThrowsError(try GreyImage(width: 1, height: 1, pixels: [0], pixelAspectRatio: .nan))
    }

    func testPixelsChangeOnlyInPlace() throws {
        var image = try RGBImage(width: 2, height: 1, filledWith: RGBColor(grey: 0))
        image.withUnsafeMutablePixels { p in p[0] = 9 }
        image[1, 0] = RGBColor(grey: 7)
        XCTAssertEqual(image.pixels, [9, 0, 0, 7, 7, 7])
    }
}
