import Imaging
import XCTest
@testable import Analysis

/// Findings are measured without bringing the whole heatmap to the volume's grid and without
/// labelling every component: these must give what the whole-map versions give.
final class LazyMeasurementTests: XCTestCase {
    /// A deterministic map with blobs of several sizes, plateaus and single-voxel spikes.
    private func blobMap(columns: Int, rows: Int, slices: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        var map = [Float](repeating: 0, count: columns * rows * slices)
        for _ in 0 ..< 12 {
            let cx = Double(rng.next() % UInt64(columns)), cy = Double(rng.next() % UInt64(rows)), cz = Double(rng.next() % UInt64(slices))
            let r = 1 + Double(rng.next() % 5), peak = 0.3 + Double(rng.next() % 70) / 100
            for z in 0 ..< slices { for y in 0 ..< rows { for x in 0 ..< columns {
                let d2 = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy) + (Double(z) - cz) * (Double(z) - cz)
                let v = Float(peak * exp(-d2 / (2 * r * r)))
                let i = (z * rows + y) * columns + x
                map[i] = max(map[i], (v * 20).rounded() / 20)  // quantised: equal-valued plateaus
            } } }
        }
        return map
    }

    func testNeighbourhoodMaximaMatchBruteForce() {
        for (columns, rows, slices, radius, sliceRadius) in [(23, 17, 5, 3, 1), (4, 3, 2, 6, 4), (1, 9, 1, 2, 0), (31, 1, 3, 0, 1)] {
            let map = blobMap(columns: columns, rows: rows, slices: slices, seed: UInt64(columns * 7 + rows))
            let fast = PeakCandidates.neighbourhoodMaxima(map, columns: columns, rows: rows, slices: slices,
                                                          radius: radius, sliceRadius: sliceRadius)
            var slow = [Float](repeating: 0, count: map.count)
            for z in 0 ..< slices { for y in 0 ..< rows { for x in 0 ..< columns {
                var m = -Float.infinity
                for dz in -sliceRadius ... sliceRadius { for dy in -radius ... radius { for dx in -radius ... radius {
                    let (nx, ny, nz) = (x + dx, y + dy, z + dz)
                    guard nx >= 0, nx < columns, ny >= 0, ny < rows, nz >= 0, nz < slices else { continue }
                    m = max(m, map[(nz * rows + ny) * columns + nx])
                } } }
                slow[(z * rows + y) * columns + x] = m
            } } }
            XCTAssertEqual(fast, slow, "\(columns)×\(rows)×\(slices), radius \(radius)/\(sliceRadius)")
        }
    }

    func testSeededComponentEqualsTheLabelledOne() {
        let (columns, rows, slices) = (30, 20, 6)
        let map = blobMap(columns: columns, rows: rows, slices: slices, seed: 42)
        let all = ComponentLabeler.components(map, columns: columns, rows: rows, slices: slices, threshold: 0.6)
        XCTAssertGreaterThan(all.count, 2, "the map should have several components")
        var filled = ComponentLabeler.FilledVoxels(count: map.count)
        for c in all {
            let seed = c.voxels[c.voxels.count / 2]
            XCTAssertFalse(filled.contains(seed))
            let one = ComponentLabeler.component(containing: seed, columns: columns, rows: rows, slices: slices,
                                                 threshold: 0.6, filled: &filled) { map[$0] }
            XCTAssertEqual(one, c)
            XCTAssertEqual(one.bounds.x, c.bounds.x); XCTAssertEqual(one.bounds.z, c.bounds.z)
            XCTAssertEqual(one.maxProbability, c.maxProbability)
            XCTAssertTrue(c.voxels.allSatisfy { filled.contains($0) })
        }
    }

    /// The extractor on a model-grid map half the volume's size: reading the source grid lazily gives
    /// the same findings as passing the whole resampled map.
    func testLazySourceGridGivesTheSameFindings() throws {
        let (n, slices) = (24, 8)
        let modelMap = blobMap(columns: n, rows: n, slices: slices, seed: 7)
        let grid = VolumeAnalyzer.ModelGrid(columns: n, rows: n, slices: slices, values: modelMap, sliceScores: nil)
        let volume = try Volume(columns: 2 * n, rows: 2 * n, slices: slices, voxels: [Float](repeating: 40, count: 4 * n * n * slices),
                                spacing: (column: 0.7, row: 0.7, slice: 1.25), origin: [0, 0, 0],
                                sopInstanceUIDs: (0 ..< slices).map { "2.25.\($0 + 1)" })
        let extractor = VolumeFindingExtractor(kind: .lungNodule, threshold: 0.5, model: .init(id: "m", version: "1", sha256: "0"))
        let lazy = extractor.findings(volume: volume, grid: grid)
        let whole = extractor.findings(volume: volume, grid: grid, sourceProbabilities: grid.onVolumeGrid(volume))
        XCTAssertFalse(lazy.isEmpty, "the map should give findings")
        XCTAssertEqual(lazy.map(\.centerPX), whole.map(\.centerPX))
        XCTAssertEqual(lazy.map(\.volumeML), whole.map(\.volumeML))
        XCTAssertEqual(lazy.map(\.probability), whole.map(\.probability))
    }
}
