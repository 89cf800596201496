import Analysis
import Imaging
import XCTest
@testable import Workstation

/// The DWI's map echoed on the other sequences: only onto frames in the same plane grid, at the
/// nearest position within half a slice, never onto a frame on another in-plane grid.
final class OverlayEchoTests: XCTestCase {
    func frame(_ sop: String, z: Double, x0: Double = -115, spacing: Double = 1.8) -> StackFrame {
        StackFrame(width: 128, height: 128, values: [Float](repeating: 0, count: 128 * 128), rgb: [], sopUID: sop, path: "",
                   frameIndex: 0, rowSpacing: spacing, columnSpacing: spacing, position: [x0, -105, z], fileWindow: nil,
                   monochrome1: false, laterality: "", viewPosition: "")
    }

    func testEchoesTheNearestSamePlaneMapOnly() throws {
        let dwi = ImageStack(seriesUID: "dwi", frames: (0 ..< 4).map { frame("d\($0)", z: -12 + 5 * Double($0)) }, sliceSpacing: 5,
                             sequence: .dwi)
        let stacks = ["dwi": dwi]
        let map = ModelGridHeatmap(sopInstanceUID: "d2", width: 4, height: 4, values: [Float](repeating: 0.9, count: 16),
                                   sourceColumns: 128, sourceRows: 128)
        let heatmaps = ["d2": map]
        // FLAIR 1.5 mm above DWI slice 2 (z = −2 → −0.5): echoed from d2, labelled by its sequence.
        let echo = try XCTUnwrap(OverlayEcho.source(for: frame("f", z: -0.5), stacks: stacks, heatmaps: heatmaps))
        XCTAssertEqual(echo.frame.sopUID, "d2")
        XCTAssertEqual(echo.label, "echo of DWI")
        // 3 mm away from the only mapped slice: more than half the DWI's 5 mm spacing.
        XCTAssertNil(OverlayEcho.source(for: frame("f", z: 1), stacks: stacks, heatmaps: heatmaps))
        // Another in-plane grid (shifted by 10 mm, or another pixel size): no echo.
        XCTAssertNil(OverlayEcho.source(for: frame("f", z: -2, x0: -105), stacks: stacks, heatmaps: heatmaps))
        XCTAssertNil(OverlayEcho.source(for: frame("f", z: -2, spacing: 0.9), stacks: stacks, heatmaps: heatmaps))
        // A frame with its own map keeps it.
        XCTAssertNil(OverlayEcho.source(for: frame("d2", z: -2), stacks: stacks, heatmaps: heatmaps))
    }
}
