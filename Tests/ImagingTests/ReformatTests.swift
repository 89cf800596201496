import XCTest
@testable import Imaging

/// Orthogonal reformats (moved here from the workstation): planes, orientation, spacing.
final class ReformatTests: XCTestCase {
    /// Three 4×2 slices whose value encodes (slice, row, column) as 100z + 10y + x.
    func stack(sliceSpacing: Double? = 2.5) -> AxialStack {
        var slices: [[Float]] = []
        for z in 0 ..< 3 {
            var slice: [Float] = []
            for y in 0 ..< 2 { for x in 0 ..< 4 { slice.append(Float(100 * z + 10 * y + x)) } }
            slices.append(slice)
        }
        return AxialStack(slices: slices, width: 4, height: 2, rowSpacing: 0.7, columnSpacing: 0.5, sliceSpacing: sliceSpacing)!
    }

    func testPlaneCounts() {
        let s = stack()
        XCTAssertEqual(PlaneOrientation.allCases.map { s.planeCount($0) }, [3, 2, 4])
    }

    func testCoronalPlaneIsOneRowOfEverySliceSuperiorOnTop() {
        let p = stack().plane(.coronal, 1)
        XCTAssertEqual(p.width, 4); XCTAssertEqual(p.height, 3)
        XCTAssertEqual(p.values, [210, 211, 212, 213, 110, 111, 112, 113, 10, 11, 12, 13])
        XCTAssertEqual(p.rowSpacing, 2.5); XCTAssertEqual(p.columnSpacing, 0.5)
    }

    func testSagittalPlaneIsOneColumnOfEverySlice() {
        let p = stack().plane(.sagittal, 3)
        XCTAssertEqual(p.width, 2); XCTAssertEqual(p.height, 3)
        XCTAssertEqual(p.values, [203, 213, 103, 113, 3, 13])
        XCTAssertEqual(p.rowSpacing, 2.5); XCTAssertEqual(p.columnSpacing, 0.7)
    }

    func testAxialIndexClampsAndMissingSliceSpacingFallsBack() {
        let s = stack(sliceSpacing: nil)
        XCTAssertEqual(s.plane(.axial, 99).values.first, 200)
        XCTAssertEqual(s.plane(.axial, -5).values.first, 0)
        XCTAssertEqual(s.plane(.coronal, 7).values.first, 210, "clamped to the last row")
        XCTAssertEqual(s.plane(.coronal, 0).rowSpacing, 0.5, "no slice spacing: the in-plane column spacing")
    }

    /// Slices that disagree with the stated size are refused, never indexed past.
    func testInconsistentSlicesAreRefused() {
        XCTAssertNil(AxialStack(slices: [[1, 2], [1]], width: 2, height: 1, rowSpacing: nil, columnSpacing: nil, sliceSpacing: nil))
        XCTAssertNil(AxialStack(slices: [], width: 2, height: 1, rowSpacing: nil, columnSpacing: nil, sliceSpacing: nil))
        XCTAssertNil(AxialStack(slices: [[]], width: 0, height: 0, rowSpacing: nil, columnSpacing: nil, sliceSpacing: nil))
    }
}
