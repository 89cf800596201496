import XCTest
@testable import Imaging

/// Linked scrolling: the nearest slice by patient position, not by index.
final class SliceSyncTests: XCTestCase {
    func axial(z: Double, column: [Double] = [0, 1, 0]) -> PatientPlane {
        PatientPlane(origin: [-100, -100, z], rowDirection: [1, 0, 0], columnDirection: column,
                     rowSpacing: 0.7, columnSpacing: 0.7, width: 512, height: 512)!
    }

    func testDifferentSpacingStaysWithinHalfASlice() throws {
        let fine = (0 ..< 100).map { axial(z: 10 + Double($0) * 1.25) }   // 1.25 mm
        let coarse = (0 ..< 50).map { axial(z: 10 + Double($0) * 2.5) }   // 2.5 mm, same anatomy
        for i in 0 ..< fine.count {
            let j = try XCTUnwrap(SliceSync.nearestSlice(to: fine[i], in: coarse))
            XCTAssertLessThanOrEqual(abs(coarse[j].origin[2] - fine[i].origin[2]), 1.25 + 1e-9, "slice \(i)")
        }
        XCTAssertEqual(SliceSync.nearestSlice(to: fine[40], in: coarse), 20, "z 60 is slice 20 at 2.5 mm")
        XCTAssertEqual(SliceSync.nearestSlice(to: coarse[10], in: fine), 20)
    }

    func testOppositeSliceOrder() throws {
        let up = (0 ..< 20).map { axial(z: Double($0) * 2) }              // z 0 … 38
        let down = (0 ..< 40).map { axial(z: 39 - Double($0)) }           // z 39 … 0, 1 mm
        XCTAssertEqual(SliceSync.nearestSlice(to: up[0], in: down), 39, "z 0 is the last of the descending stack")
        XCTAssertEqual(SliceSync.nearestSlice(to: up[5], in: down), 29, "z 10")
        XCTAssertEqual(SliceSync.nearestSlice(to: down[9], in: up), 15, "z 30")
    }

    func testFlippedNormalMeasuresAlongTheTargetsOwnNormal() {
        // A target whose column direction is flipped has normal -z: positions along it are -z.
        let flipped = (0 ..< 10).map { axial(z: Double($0) * 3, column: [0, -1, 0]) }
        XCTAssertEqual(SliceSync.positions(of: flipped)[2], -6, accuracy: 1e-9)
        XCTAssertEqual(SliceSync.nearestSlice(to: axial(z: 13), in: flipped), 4, "z 13 → z 12")
    }

    func testOffsetLink() throws {
        // A prior shifted by +100 mm in its own frame: aligning slice 10 of each links them.
        let current = (0 ..< 30).map { axial(z: Double($0) * 2) }
        let prior = (0 ..< 60).map { axial(z: 100 + Double($0)) }
        let offset = SliceSync.offset(aligning: current[10], with: prior[25])
        XCTAssertEqual(offset, 105, accuracy: 1e-9)
        XCTAssertEqual(SliceSync.nearestSlice(to: current[10], in: prior, offset: offset), 25)
        XCTAssertEqual(SliceSync.nearestSlice(to: current[12], in: prior, offset: offset), 29, "+4 mm")
        XCTAssertEqual(SliceSync.nearestSlice(to: current[0], in: prior, offset: offset), 5)
        XCTAssertEqual(SliceSync.nearestSlice(to: current[29], in: prior, offset: offset), 59, "clamped to the last slice")
    }

    func testEmptyAndTies() {
        XCTAssertNil(SliceSync.nearestIndex(to: 1, in: []))
        XCTAssertEqual(SliceSync.nearestIndex(to: 1.5, in: [1, 2]), 0, "a tie goes to the lower index")
        XCTAssertNil(SliceSync.nearestSlice(to: axial(z: 0), in: []))
    }
}
