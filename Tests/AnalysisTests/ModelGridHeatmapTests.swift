import XCTest
@testable import Analysis

/// The one heatmap type: a model-grid map that knows its source image's size. Sampling one source
/// pixel (what the viewer does for the visible crop) must give what the full source-grid copy
/// holds, or the overlay would drift off the finding.
final class ModelGridHeatmapTests: XCTestCase {
    func testOnePixelSampleMatchesTheSourceGrid() {
        let map = ModelGridHeatmap(sopInstanceUID: "1.2", width: 5, height: 3, values: (0 ..< 15).map { Float(($0 * 7) % 11) / 10 },
                                   sourceColumns: 37, sourceRows: 23)
        let grid = map.onSourceGrid()
        XCTAssertEqual(grid.count, 37 * 23)
        for y in 0 ..< 23 {
            for x in 0 ..< 37 {
                XCTAssertEqual(map.sourceValue(x: Double(x), y: Double(y)), grid[y * 37 + x], accuracy: 1e-5, "(\(x), \(y))")
            }
        }
    }

    func testCornersTakeTheCornerCellsAndTheCentreIsBetween() {
        let map = ModelGridHeatmap(sopInstanceUID: "1.2", width: 2, height: 1, values: [0, 1], sourceColumns: 100, sourceRows: 10)
        XCTAssertEqual(map.sourceValue(x: 0, y: 0), 0)
        XCTAssertEqual(map.sourceValue(x: 99, y: 9), 1)
        XCTAssertEqual(map.sourceValue(x: 49.5, y: 5), 0.5, accuracy: 1e-6)
    }
}
