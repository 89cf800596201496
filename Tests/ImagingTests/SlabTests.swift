import XCTest
@testable import Imaging

/// Thick slabs: which planes `SlabRule` takes (uneven spacing, gaps, the edges of the volume), and
/// that MIP / MinIP / AvgIP combine exactly those, against a brute-force projection written here.
final class SlabTests: XCTestCase {
    /// `n` slices of `w`×`h` whose value encodes (slice, row, column) as 1000z + 10y + x.
    func stack(positions: [Double], w: Int = 5, h: Int = 4, rowSpacing: Double = 0.8, columnSpacing: Double = 0.6) -> AxialStack {
        let slices = positions.indices.map { z in (0 ..< w * h).map { i in Float(1000 * z + 10 * (i / w) + i % w) } }
        return AxialStack(slices: slices, width: w, height: h, rowSpacing: rowSpacing, columnSpacing: columnSpacing,
                          sliceSpacing: nil, slicePositions: positions)!
    }

    /// The rule, written out independently: slices whose centre lies within ±T/2 of slice N's,
    /// walking out from N and stopping at a gap (a step > 1.5 × the median step).
    func expectedSlices(_ p: [Double], _ n: Int, _ t: Double) -> [Int] {
        let steps = (1 ..< p.count).map { p[$0] - p[$0 - 1] }.sorted()
        let median = steps[steps.count / 2]
        var out = [n]
        var j = n - 1
        while j >= 0, p[j + 1] - p[j] <= 1.5 * median, p[n] - p[j] <= t / 2 + 1e-3 { out.insert(j, at: 0); j -= 1 }
        j = n + 1
        while j < p.count, p[j] - p[j - 1] <= 1.5 * median, p[j] - p[n] <= t / 2 + 1e-3 { out.append(j); j += 1 }
        return out
    }

    func testEvenSpacingTakesSlicesWithinHalfTheThicknessInclusive() throws {
        let s = stack(positions: (0 ..< 10).map { Double($0) * 2.5 })
        XCTAssertEqual(try s.slabRange(.axial, 4, thickness: 10), 2 ... 6, "±5 mm at 2.5 mm: the slices at ±5 mm count")
        XCTAssertEqual(try s.slabRange(.axial, 4, thickness: 9.99), 3 ... 5)
        XCTAssertEqual(try s.slabRange(.axial, 4, thickness: 0), 4 ... 4, "zero thickness is the plane itself")
        XCTAssertEqual(try s.slabRange(.axial, 4, thickness: 2), 4 ... 4, "thinner than the spacing: the plane itself")
    }

    func testUnevenSpacingMeasuresFromPositionsNotIndices() throws {
        let p: [Double] = [0, 1, 2, 3, 5, 7, 9, 10, 11]   // 1 mm, then 2 mm, then 1 mm steps (median 1; 2 mm steps are gaps)
        let even: [Double] = [0, 1, 2.5, 4, 5.5, 7, 8, 9]  // 1 / 1.5 mm: median 1.5, no gaps
        let s = stack(positions: even)
        for n in 0 ..< even.count {
            for t in [0.5, 2.0, 3.0, 4.0, 6.0, 20.0] {
                let r = try s.slabRange(.axial, n, thickness: t)
                XCTAssertEqual(Array(r), expectedSlices(even, n, t), "N=\(n) T=\(t)")
            }
        }
        XCTAssertEqual(try s.slabRange(.axial, 3, thickness: 3), 2 ... 4, "4 ± 1.5 mm: 2.5 and 5.5")
        let g = stack(positions: p)
        for n in 0 ..< p.count {
            for t in [2.0, 4.0, 10.0, 30.0] {
                XCTAssertEqual(Array(try g.slabRange(.axial, n, thickness: t)), expectedSlices(p, n, t), "N=\(n) T=\(t)")
            }
        }
    }

    func testASlabNeverReachesAcrossAGap() throws {
        // 1 mm slices with 4 missing between 4 and 9 mm.
        let p: [Double] = [0, 1, 2, 3, 4, 9, 10, 11, 12]
        let s = stack(positions: p)
        XCTAssertEqual(try s.slabRange(.axial, 4, thickness: 20), 0 ... 4, "stops below the gap")
        XCTAssertEqual(try s.slabRange(.axial, 5, thickness: 20), 5 ... 8, "starts above the gap")
        XCTAssertEqual(try s.slabRange(.axial, 2, thickness: 4), 0 ... 4)
        let mip = try s.slab(.axial, 4, thickness: 20, projection: .mip)
        XCTAssertEqual(mip.values[0], 4000, "slice 4 is the brightest it may take; slice 5 (5000) lies across the gap")
    }

    func testEdgesOfTheVolumeCutTheSlab() throws {
        let s = stack(positions: (0 ..< 6).map(Double.init))
        XCTAssertEqual(try s.slabRange(.axial, 0, thickness: 4), 0 ... 2)
        XCTAssertEqual(try s.slabRange(.axial, 5, thickness: 4), 3 ... 5)
        XCTAssertEqual(try s.slabRange(.coronal, 0, thickness: 100), 0 ... 3)
        XCTAssertEqual(try s.slabRange(.sagittal, 4, thickness: 1.2), 3 ... 4, "0.6 mm columns: ±0.6 mm is one column each way")
        XCTAssertEqual(try s.slabRange(.sagittal, 4, thickness: 1e300), 0 ... 4, "a huge thickness is the whole volume, no trap")
    }

    func testCoronalAndSagittalUseInPlaneSpacing() throws {
        let s = stack(positions: (0 ..< 3).map { Double($0) * 3 }, w: 7, h: 9, rowSpacing: 0.8, columnSpacing: 0.6)
        XCTAssertEqual(try s.slabRange(.coronal, 4, thickness: 3.2), 2 ... 6, "0.8 mm rows: ±1.6 mm is two rows each way")
        XCTAssertEqual(try s.slabRange(.coronal, 4, thickness: 3.1), 3 ... 5)
        XCTAssertEqual(try s.slabRange(.sagittal, 3, thickness: 2.4), 1 ... 5, "0.6 mm columns: ±1.2 mm is two columns")
    }

    /// Every projection and plane against a brute-force projection over the same planes.
    func testProjectionsMatchBruteForce() throws {
        let p: [Double] = [0, 1.2, 2.5, 3.7, 5, 6.2, 12, 13.3]
        let s = stack(positions: p, w: 6, h: 5)
        func value(_ z: Int, _ y: Int, _ x: Int) -> Float { s.slices[z][y * s.width + x] }
        for o in PlaneOrientation.allCases {
            for n in 0 ..< s.planeCount(o) {
                for proj in SlabProjection.allCases {
                    let plane = try s.slab(o, n, thickness: 3, projection: proj)
                    let r = Array(try s.slabRange(o, n, thickness: 3))
                    func reduce(_ xs: [Float]) -> Float {
                        switch proj {
                        case .mip: return xs.max()!
                        case .minip: return xs.min()!
                        case .avg: return xs.reduce(0, +) / Float(xs.count)
                        }
                    }
                    for row in 0 ..< plane.height {
                        for col in 0 ..< plane.width {
                            let want: Float
                            switch o {
                            case .axial: want = reduce(r.map { value($0, row, col) })
                            case .coronal: want = reduce(r.map { value(p.count - 1 - row, $0, col) })
                            case .sagittal: want = reduce(r.map { value(p.count - 1 - row, col, $0) })
                            }
                            XCTAssertEqual(plane.values[row * plane.width + col], want, accuracy: 1e-3, "\(o) N=\(n) \(proj) (\(col),\(row))")
                        }
                    }
                }
            }
        }
    }

    func testBadValuesAreClearErrors() {
        let s = stack(positions: [0, 1, 2])
        XCTAssertThrowsError(try s.slab(.axial, 1, thickness: -1, projection: .mip)) {
            XCTAssertEqual($0 as? SlabError, .invalidThickness(-1))
        }
        XCTAssertThrowsError(try s.slab(.axial, 1, thickness: .nan, projection: .mip))
        let one = AxialStack(slices: [[1, 2]], width: 2, height: 1, rowSpacing: 1, columnSpacing: 1, sliceSpacing: 1)!
        XCTAssertThrowsError(try one.slab(.axial, 0, thickness: 10, projection: .mip)) { XCTAssertEqual($0 as? SlabError, .singleImage) }
        let noSpacing = AxialStack(slices: [[1], [2]], width: 1, height: 1, rowSpacing: nil, columnSpacing: nil, sliceSpacing: nil)!
        XCTAssertThrowsError(try noSpacing.slab(.coronal, 0, thickness: 10, projection: .mip)) {
            XCTAssertEqual($0 as? SlabError, .unknownSpacing(.coronal))
        }
        XCTAssertNil(SlabProjection(name: "max"))
        XCTAssertEqual(SlabProjection(name: "MinIP"), .minip)
        XCTAssertEqual(SlabProjection.avg.label, "AvgIP")
    }
}
