import XCTest
@testable import Imaging

/// The mammography hanging protocol (moved here from the workstation): layout and the mirroring
/// that makes both chest walls face the centre.
final class MammographyHangingTests: XCTestCase {
    /// A 16×8 image bright (tissue) on one half and dark (air) on the other.
    func image(chestWallOnLeft: Bool) -> [Float] {
        let row: [Float] = (0 ..< 16).map { x -> Float in (x < 8) == chestWallOnLeft ? 1000 : 0 }
        return Array([[Float]](repeating: row, count: 8).joined())
    }

    func testLayoutIsRightBreastOnTheLeftCCOverMLO() {
        XCTAssertEqual(MammographyHanging.views.map { $0.laterality + $0.position }, ["RCC", "LCC", "RMLO", "LMLO"])
        XCTAssertEqual(MammographyHanging.views.map(\.side), [.left, .right, .left, .right])
    }

    func testChestWallsAreMirroredToFaceTheCentre() {
        let wallLeft = image(chestWallOnLeft: true), wallRight = image(chestWallOnLeft: false)
        func mirror(_ v: [Float], _ side: MammographyHanging.Side, mono1: Bool = false) -> Bool {
            MammographyHanging.needsMirror(values: v, width: 16, height: 8, monochrome1: mono1, side: side)
        }
        XCTAssertTrue(mirror(wallLeft, .left), "on the screen's left the chest wall belongs on the right")
        XCTAssertFalse(mirror(wallRight, .left))
        XCTAssertFalse(mirror(wallLeft, .right))
        XCTAssertTrue(mirror(wallRight, .right))
        XCTAssertFalse(mirror(wallLeft, .left, mono1: true), "MONOCHROME1: bright is air")
    }

    func testMalformedImagesAreNeverMirroredOrIndexed() {
        XCTAssertFalse(MammographyHanging.needsMirror(values: [], width: 16, height: 8, monochrome1: false, side: .left))
        XCTAssertFalse(MammographyHanging.needsMirror(values: [1, 2, 3], width: 16, height: 8, monochrome1: false, side: .left))
        XCTAssertFalse(MammographyHanging.needsMirror(values: [1], width: 1, height: 1, monochrome1: false, side: .left))
    }
}
