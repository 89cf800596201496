import XCTest
@testable import Imaging

/// Reference lines: plane A's intersection with image B, in B's pixels, against the geometry done
/// by hand here (points of B whose distance to A's plane is zero).
final class ReferenceLineTests: XCTestCase {
    func plane(origin: [Double], row: [Double], column: [Double], spacing: Double = 1, size: Int = 100) -> PatientPlane {
        PatientPlane(origin: origin, rowDirection: row, columnDirection: column, rowSpacing: spacing, columnSpacing: spacing,
                     width: size, height: size)!
    }

    func testAxialCutsCoronalAlongARow() throws {
        // Coronal image: columns along +x, rows down along -z, from z = 50.
        let coronal = plane(origin: [0, 20, 50], row: [1, 0, 0], column: [0, 0, -1])
        let axial = plane(origin: [0, 0, 30], row: [1, 0, 0], column: [0, 1, 0])
        let s = try XCTUnwrap(ReferenceLine.segment(of: axial, on: coronal))
        XCTAssertEqual(s.from.y, 20, accuracy: 1e-9, "z = 30 is row 20 below z = 50")
        XCTAssertEqual(s.to.y, 20, accuracy: 1e-9)
        XCTAssertEqual(min(s.from.x, s.to.x), -0.5, accuracy: 1e-9, "clipped to the image's edges")
        XCTAssertEqual(max(s.from.x, s.to.x), 99.5, accuracy: 1e-9)
    }

    func testParallelPlanesHaveNoLineAndAPlaneOutsideTheImageHasNone() {
        let a = plane(origin: [0, 0, 0], row: [1, 0, 0], column: [0, 1, 0])
        let b = plane(origin: [0, 0, 5], row: [1, 0, 0], column: [0, 1, 0])
        XCTAssertNil(ReferenceLine.segment(of: a, on: b))
        let coronal = plane(origin: [0, 20, 50], row: [1, 0, 0], column: [0, 0, -1])
        let above = plane(origin: [0, 0, 60], row: [1, 0, 0], column: [0, 1, 0])
        XCTAssertNil(ReferenceLine.segment(of: above, on: coronal), "z = 60 is above the coronal image (50 … -49)")
    }

    /// An oblique plane (tilted 30° about x and 20° about z) on an axial image: every point of the
    /// segment lies on the oblique plane, inside both images, and the line's ends are on an edge.
    func testObliquePlaneOnAxialImage() throws {
        let axial = plane(origin: [-50, -50, 10], row: [1, 0, 0], column: [0, 1, 0], spacing: 1, size: 101)
        let a30 = 30.0 * .pi / 180, a20 = 20.0 * .pi / 180
        let row = [cos(a20), sin(a20), 0.0]
        let column = [-sin(a20) * cos(a30), cos(a20) * cos(a30), sin(a30)]
        // Pixel (200, 200) of the oblique image (2 mm pixels) at the axial image's centre (0, 0, 10).
        let origin = (0 ..< 3).map { [0.0, 0, 10][$0] - 400 * row[$0] - 400 * column[$0] }
        let oblique = plane(origin: origin, row: row, column: column, spacing: 2, size: 400)
        let s = try XCTUnwrap(ReferenceLine.segment(of: oblique, on: axial))
        let n = oblique.normal
        for t in stride(from: 0.0, through: 1.0, by: 0.25) {
            let x = s.from.x + t * (s.to.x - s.from.x), y = s.from.y + t * (s.to.y - s.from.y)
            // Independent: patient point of axial pixel (x, y), its distance to the oblique plane.
            let p = [-50 + x, -50 + y, 10.0]
            let d = zip(n, zip(p, oblique.origin).map { $0 - $1 }).map { $0 * $1 }.reduce(0, +)
            XCTAssertEqual(d, 0, accuracy: 1e-6)
            XCTAssertTrue((-0.5 - 1e-9 ... 100.5 + 1e-9).contains(x) && (-0.5 - 1e-9 ... 100.5 + 1e-9).contains(y))
        }
        // Its columns climb in z and its rows do not: on z = 10 the line runs along its row
        // direction (cos 20°, sin 20°), a slope of tan 20° in the axial image.
        let slope = (s.to.y - s.from.y) / (s.to.x - s.from.x)
        XCTAssertEqual(slope, tan(a20), accuracy: 1e-9)
        let onEdge = { (q: (x: Double, y: Double)) in
            [abs(q.x + 0.5), abs(q.x - 100.5), abs(q.y + 0.5), abs(q.y - 100.5)].min()! < 1e-6
        }
        XCTAssertTrue(onEdge(s.from) && onEdge(s.to))
    }

    /// A small image A cuts only part of B: the line is clipped to A too.
    func testLineIsClippedToTheCuttingImage() throws {
        let axial = plane(origin: [0, 0, 0], row: [1, 0, 0], column: [0, 1, 0], size: 100)
        let smallSagittal = PatientPlane(origin: [40, 10, 20], rowDirection: [0, 1, 0], columnDirection: [0, 0, -1],
                                         rowSpacing: 1, columnSpacing: 1, width: 30, height: 40)!
        let s = try XCTUnwrap(ReferenceLine.segment(of: smallSagittal, on: axial))
        XCTAssertEqual(s.from.x, 40, accuracy: 1e-9); XCTAssertEqual(s.to.x, 40, accuracy: 1e-9)
        XCTAssertEqual(min(s.from.y, s.to.y), 9.5, accuracy: 1e-9, "the sagittal image spans y 10 … 39 (edges 9.5 … 39.5)")
        XCTAssertEqual(max(s.from.y, s.to.y), 39.5, accuracy: 1e-9)
    }

    func testReformatPlanesOfAStack() throws {
        // 5 slices at z = 0, 2, …, 8, 32 × 32 pixels of 0.5 mm.
        let first = plane(origin: [0, 0, 0], row: [1, 0, 0], column: [0, 1, 0], spacing: 0.5, size: 32)
        let last = plane(origin: [0, 0, 8], row: [1, 0, 0], column: [0, 1, 0], spacing: 0.5, size: 32)
        let coronal = try XCTUnwrap(PatientPlane.reformat(.coronal, index: 10, first: first, last: last, sliceCount: 5))
        XCTAssertEqual(coronal.position(x: 3, y: 0), [1.5, 5, 8], "top row is the last slice; row 10 is y = 5 mm")
        XCTAssertEqual(coronal.position(x: 0, y: 4), [0, 5, 0])
        let sagittal = try XCTUnwrap(PatientPlane.reformat(.sagittal, index: 7, first: first, last: last, sliceCount: 5))
        XCTAssertEqual(sagittal.position(x: 2, y: 1), [3.5, 1, 6])
        let axial = PatientPlane(origin: [0, 0, 4], rowDirection: [1, 0, 0], columnDirection: [0, 1, 0], rowSpacing: 0.5,
                                 columnSpacing: 0.5, width: 32, height: 32)!
        let s = try XCTUnwrap(ReferenceLine.segment(of: axial, on: coronal))
        XCTAssertEqual(s.from.y, 2, accuracy: 1e-9, "slice z = 4 is row 2 of the coronal (8, 6, 4 …)")
    }
}
