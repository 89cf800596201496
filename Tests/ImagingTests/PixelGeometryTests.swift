import XCTest
@testable import Imaging

/// PixelGeometry: validated spacing, millimetre distances and sizes, and the missing-spacing text.
final class PixelGeometryTests: XCTestCase {
    func testDistancesAndSizesUseRowAndColumnSpacing() throws {
        let g = PixelGeometry(pixelSpacing: [0.5, 0.2])   // rows 0.5 mm apart, columns 0.2 mm
        XCTAssertTrue(g.isKnown)
        XCTAssertEqual(g.rowSpacingMM, 0.5)
        XCTAssertEqual(g.columnSpacingMM, 0.2)
        XCTAssertEqual(try XCTUnwrap(g.distanceMM(from: (0, 0), to: (50, 0))), 10, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(g.distanceMM(from: (0, 0), to: (0, 20))), 10, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(g.lengthMM(dx: 30, dy: 16)), 10, accuracy: 1e-9)   // 6 and 8 mm
        let size = try XCTUnwrap(g.sizeMM(width: 100, height: 10))
        XCTAssertEqual(size.width, 20, accuracy: 1e-9)
        XCTAssertEqual(size.height, 5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(g.radiusMM(width: 100, height: 10)), 10, accuracy: 1e-9)
        XCTAssertEqual(g.aspectRatio, 2.5, accuracy: 1e-9)
        XCTAssertEqual(PixelGeometry.describe(g.distanceMM(from: (0, 0), to: (61, 0))), "12.2 mm")
    }

    func testInvalidSpacingIsUnknownAndNeverOneMillimetre() {
        let bad: [[Double]] = [[], [0.2], [0.2, 0.2, 0.2], [0, 0.2], [-0.2, 0.2], [.nan, 0.2], [.infinity, 0.2],
                               [0.2, PixelGeometry.maximumSpacingMM + 1]]
        for value in bad {
            let g = PixelGeometry(pixelSpacing: value)
            XCTAssertFalse(g.isKnown, "\(value)")
            XCTAssertEqual(g, .unknown)
            XCTAssertNil(g.distanceMM(from: (0, 0), to: (10, 0)))
            XCTAssertNil(g.sizeMM(width: 10, height: 10))
            XCTAssertNil(g.radiusMM(width: 10, height: 10))
            XCTAssertEqual(g.aspectRatio, 1)
        }
        XCTAssertFalse(PixelGeometry(rowSpacing: 0.2, columnSpacing: nil).isKnown)
        XCTAssertEqual(PixelGeometry.describe(nil), "n/a (no pixel spacing)")
        XCTAssertEqual(PixelGeometry.describe(.nan), "n/a (no pixel spacing)")
    }

    func testNonFiniteOffsetsGiveNoDistance() {
        let g = PixelGeometry(rowSpacing: 0.2, columnSpacing: 0.2)
        XCTAssertNil(g.lengthMM(dx: .infinity, dy: 0))
        XCTAssertNil(g.sizeMM(width: .nan, height: 1))
    }
}
