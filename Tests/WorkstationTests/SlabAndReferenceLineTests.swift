import XCTest
import Imaging
import TerminalGraphics
@testable import Workstation

/// Thick slabs and reference lines on the in-memory screen: the keys, the corner annotation, the
/// pixels a slab shows, and where the lines land, checked against geometry worked out here from the
/// fixture's positions (5 axial slices at z = 0, 2, …, 8 mm; 32 × 32 pixels of 0.5 mm; origin 0).
final class SlabAndReferenceLineTests: XCTestCase {
    func openViewer(columns: Int = 120) -> AppState {
        var (s, stack) = Fixtures.state(columns: columns, rows: 40)
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        return s
    }

    /// Grey level of image pixel (x, y) of a placement (no zoom: the crop is the whole frame).
    func grey(_ p: ImagePlacement, _ x: Int, _ y: Int) -> UInt8 { p.image.pixels[(y * p.image.width + x) * 3] }

    /// The straight contours (reference lines) of a placement, as (from, to) in image pixels.
    func lines(_ p: ImagePlacement) -> [(OverlayPoint, OverlayPoint)] {
        p.overlays.compactMap {
            if case .contour(let pts, false, _) = $0, pts.count == 2 { return (pts[0], pts[1]) }
            return nil
        }
    }

    /// The screen row of image row coordinate `y` (overlay coordinates: 0 = top edge).
    func screenRow(_ p: ImagePlacement, _ y: Double) -> Int { p.row + Int(y / Double(p.image.height) * Double(p.rows)) }

    func testSlabKeysProjectionThicknessAndCornerAnnotation() {
        var s = openViewer()
        XCTAssertEqual(s.currentSlice, 2)
        var p = view(s).images[0]
        // The fixture's bright square moves one column per slice: x 8+k … 15+k on rows 8 … 15.
        XCTAssertEqual(grey(p, 19, 10), 0, "slice 2 alone: x 10 … 17")
        Fixtures.keys(&s, [.char("M")])
        XCTAssertEqual(s.viewer?.display.slab, SlabSettings(isOn: true, projection: .mip, thicknessMM: 10))
        XCTAssertTrue(s.message.contains("MIP 10 mm (5 slices)"), s.message)
        var screen = view(s)
        XCTAssertTrue(screen.contains("MIP 10 mm"), screen.snapshot())
        p = screen.images[0]
        // z = 4 ± 5 mm takes every slice (0 … 8 mm): the MIP is the union of the squares, x 8 … 19.
        XCTAssertEqual(grey(p, 19, 10), 255)
        XCTAssertEqual(grey(p, 8, 10), 255)
        XCTAssertEqual(grey(p, 20, 10), 0)
        Fixtures.keys(&s, [.char("P")])
        screen = view(s)
        XCTAssertTrue(screen.contains("MinIP 10 mm"), screen.snapshot())
        p = screen.images[0]
        XCTAssertEqual(grey(p, 12, 10), 255, "MinIP: only where every slice is bright, x 12 … 15")
        XCTAssertEqual(grey(p, 11, 10), 0)
        Fixtures.keys(&s, [.char("P")])
        XCTAssertTrue(view(s).contains("AvgIP 10 mm"))
        Fixtures.keys(&s, [.char(")")])
        XCTAssertTrue(view(s).contains("AvgIP 15 mm"))
        Fixtures.keys(&s, [.char("("), .char("("), .char("(")])
        XCTAssertEqual(s.viewer?.display.slab.thicknessMM, 5)
        XCTAssertTrue(s.message.contains("(3 slices)"), "z = 4 ± 2.5 mm: slices at 2, 4, 6 — \(s.message)")
        Fixtures.keys(&s, [.char("M")])
        XCTAssertFalse(view(s).contains("IP "), "slab off: no annotation")
        XCTAssertEqual(grey(view(s).images[0], 19, 10), 0)
        // The help screen lists the new keys.
        Fixtures.keys(&s, [.char("?")])
        let help = view(s)
        for text in ["thick slab on/off", "slab: MIP, MinIP, AvgIP", "slab thicker (mm)", "reference lines on/off", "2×2/MPR"] {
            XCTAssertTrue(help.contains(text), "help lacks \(text)")
        }
    }

    func testCoronalSlabUsesPixelSpacing() {
        var s = openViewer()
        Fixtures.keys(&s, [.char("v"), .char("M")])
        XCTAssertEqual(s.viewer?.display.orientation, .coronal)
        // Rows of 0.5 mm: ±5 mm is 10 rows each way of row 16, i.e. rows 6 … 26 (21 planes).
        XCTAssertTrue(s.message.contains("MIP 10 mm (21 planes)"), s.message)
        let p = view(s).images[0]
        XCTAssertEqual(p.image.height, 5)
        // Coronal row 16 alone is outside the square (rows 8 … 15); the slab reaches it.
        XCTAssertEqual(grey(p, 10, 2), 255, "top row is the last slice; row 2 is slice 2, square x 10 … 17")
    }

    func testSlabOnASingleImageSaysWhy() {
        var (s, stack) = Fixtures.state()
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(ImageStack(seriesUID: stack.seriesUID, frames: [stack.frames[0]], sliceSpacing: 2)))
        Fixtures.keys(&s, [.char("M")])
        XCTAssertFalse(s.viewer?.display.slab.isOn ?? true)
        XCTAssertTrue(s.message.contains("Slabs need a volume"), s.message)
    }

    /// No slice positions and no slice spacing: an axial slab in mm cannot be measured. The key
    /// says so, and a slab left on (set directly here) is not claimed in the corner.
    func testASlabThatCannotBeMadeIsRefusedAndNeverLabelled() {
        var (s, stack) = Fixtures.state()
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(ImageStack(seriesUID: stack.seriesUID, frames: stack.frames, sliceSpacing: nil)))
        Fixtures.keys(&s, [.char("M")])
        XCTAssertFalse(s.viewer?.display.slab.isOn ?? true)
        XCTAssertTrue(s.message.contains("needs the spacing"), s.message)
        s.viewer?.display.slab.isOn = true
        let screen = view(s)
        XCTAssertFalse(screen.contains("MIP"), screen.snapshot())
        XCTAssertEqual(grey(screen.images[0], 19, 10), 0, "the plain slice")
    }

    func testMPRClickMakesAPlaneActive() {
        var s = openViewer(columns: 220)
        Fixtures.keys(&s, [.char("l"), .char("l"), .char("l")])
        let sagittal = view(s).images[2]
        _ = update(&s, .mouse(MouseEvent(.press, row: sagittal.row + sagittal.rows / 2, column: sagittal.column + sagittal.columns / 2)))
        _ = update(&s, .mouse(MouseEvent(.release, row: sagittal.row + sagittal.rows / 2, column: sagittal.column + sagittal.columns / 2)))
        XCTAssertEqual(s.viewer?.display.orientation, .sagittal)
        XCTAssertEqual(s.viewer?.display.seriesIndex, 0, "a click in MPR picks a plane, not another series")
        XCTAssertNotNil(s.viewer?.display.cursor)
    }

    func testMPRLayoutReferenceLinesFollowThePlanes() {
        var s = openViewer(columns: 220)   // three viewports wide enough for their corner text
        Fixtures.keys(&s, [.char("l"), .char("l"), .char("l")])
        XCTAssertEqual(s.viewer?.display.layout, .mpr)
        var screen = view(s)
        XCTAssertEqual(screen.images.count, 3, screen.snapshot())
        XCTAssertTrue(screen.contains("coronal 17/32") && screen.contains("sagittal 17/32") && screen.contains("Im 3/5"), screen.snapshot())
        // Independent geometry. Axial slice k lies at z = 2k; coronal plane r at y = 0.5 r; sagittal
        // plane c at x = 0.5 c. In the axial image pixel (x, y) is at (0.5 x, 0.5 y, z): the coronal
        // plane is row r, the sagittal plane column c. In the coronal image (top row = last slice,
        // z = 8) row j is at z = 8 - 2j: the axial plane z = 4 is row 2. Overlay coordinates put
        // pixel centres at + 0.5.
        func expectLines(_ p: ImagePlacement, horizontal ys: [Double], vertical xs: [Double], _ what: String) {
            let ls = lines(p)
            XCTAssertEqual(ls.count, ys.count + xs.count, "\(what): \(ls)")
            for y in ys {
                XCTAssertTrue(ls.contains { abs($0.0.y - y) < 1e-6 && abs($0.1.y - y) < 1e-6 && abs(abs($0.1.x - $0.0.x) - Double(p.image.width)) < 1e-6 },
                              "\(what): no full-width line at y \(y): \(ls)")
            }
            for x in xs {
                XCTAssertTrue(ls.contains { abs($0.0.x - x) < 1e-6 && abs($0.1.x - x) < 1e-6 && abs(abs($0.1.y - $0.0.y) - Double(p.image.height)) < 1e-6 },
                              "\(what): no full-height line at x \(x): \(ls)")
            }
        }
        expectLines(screen.images[0], horizontal: [16.5], vertical: [16.5], "axial")
        expectLines(screen.images[1], horizontal: [2.5], vertical: [16.5], "coronal")
        expectLines(screen.images[2], horizontal: [2.5], vertical: [16.5], "sagittal")
        // Step the coronal plane (w makes it active; j moves it one row, 0.5 mm): the axial
        // viewport's line moves to row 17, on the screen row that image row maps to.
        Fixtures.keys(&s, [.char("w"), .char("j"), .char("j")])
        XCTAssertEqual(s.viewer?.display.orientation, .coronal)
        screen = view(s)
        expectLines(screen.images[0], horizontal: [18.5], vertical: [16.5], "axial after two coronal steps")
        let axial = screen.images[0]
        let row = screenRow(axial, 18.5)
        XCTAssertEqual(row, axial.row + Int(18.5 / 32 * Double(axial.rows)))
        XCTAssertTrue((axial.row ..< axial.row + axial.rows).contains(row))
        // And the axial slice (w w: back to axial; k: slice 1, z = 2) moves the coronal line to row 3.
        Fixtures.keys(&s, [.char("w"), .char("w"), .char("k")])
        XCTAssertEqual(s.viewer?.display.orientation, .axial)
        expectLines(view(s).images[1], horizontal: [3.5], vertical: [16.5], "coronal after an axial step")
        // y hides them, y shows them again.
        Fixtures.keys(&s, [.char("y")])
        XCTAssertTrue(view(s).images.allSatisfy { lines($0).isEmpty })
        Fixtures.keys(&s, [.char("y")])
        XCTAssertFalse(lines(view(s).images[0]).isEmpty)
    }

    /// Two series of one study, one acquired axially and one sagittally, side by side (1×2): each
    /// shows where the other cuts it, from the files' positions and orientations alone.
    func testReferenceLinesAcrossSeries() {
        var (s, axialStack) = Fixtures.state()
        let (study, _) = Fixtures.ctStudy(uid: "1.1", slices: 5)
        // A sagittal series: 3 slices at x = 4, 5, 6 mm; rows run down (-z) from z = 9, columns along +y; 0.5 mm pixels.
        let sagHeaders = (0 ..< 3).map { k in Fixtures.header(study: "1.1", series: "1.1.9", sop: "1.1.9.\(k + 1)", instance: k + 1) }
        let withSagittal = StudyIndex.group(study.series.flatMap(\.instances) + sagHeaders)[0]
        let sagFrames = sagHeaders.enumerated().map { k, h in
            StackFrame(width: 32, height: 20, values: [Float](repeating: 0, count: 32 * 20), rgb: [], sopUID: h.sopInstanceUID, path: h.path,
                       frameIndex: 0, rowSpacing: 0.5, columnSpacing: 0.5, position: [4 + Double(k), 0, 9], fileWindow: nil,
                       monochrome1: false, laterality: "", viewPosition: "", orientation: [0, 1, 0, 0, 0, -1])
        }
        _ = update(&s, .studiesLoaded([withSagittal]))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(axialStack))
        _ = update(&s, .seriesLoaded(ImageStack(seriesUID: "1.1.9", frames: sagFrames, sliceSpacing: 1)))
        Fixtures.keys(&s, [.char("l")])
        XCTAssertEqual(s.viewer?.display.layout, .sideBySide)
        let screen = view(s)
        XCTAssertEqual(screen.images.count, 2)
        let vps = s.viewports
        guard let a = vps.firstIndex(where: { $0.stackUID == axialStack.seriesUID }), let b = vps.firstIndex(where: { $0.stackUID == "1.1.9" }) else {
            return XCTFail("both series shown")
        }
        // Axial slice k lies at z = 2k mm, sagittal slice m at x = 4 + m mm. In the axial image
        // x mm is column 2x; the sagittal image spans y 0 … 15.5 mm (rows 0 … 31, edges −0.5 …
        // 31.5), the whole axial height: a vertical line at column 2x (+ 0.5) from 0 to 32.
        let z = 2 * Double(vps[a].sliceIndex), x = 4 + Double(vps[b].sliceIndex)
        let onAxial = lines(screen.images[a])
        XCTAssertEqual(onAxial.count, 1)
        XCTAssertEqual(onAxial[0].0.x, 2 * x + 0.5, accuracy: 1e-6); XCTAssertEqual(onAxial[0].1.x, 2 * x + 0.5, accuracy: 1e-6)
        XCTAssertEqual(abs(onAxial[0].1.y - onAxial[0].0.y), 32, accuracy: 1e-6)
        // In the sagittal image row j is at z = 9 − 0.5 j: the axial plane is row (9 − z) / 0.5.
        let onSagittal = lines(screen.images[b])
        XCTAssertEqual(onSagittal.count, 1)
        XCTAssertEqual(onSagittal[0].0.y, (9 - z) / 0.5 + 0.5, accuracy: 1e-6)
        XCTAssertEqual(onSagittal[0].1.y, (9 - z) / 0.5 + 0.5, accuracy: 1e-6)
    }
}
