import XCTest
import Imaging
@testable import Workstation

/// Synchronised comparison on the in-memory screen: two series of one study side by side (1×2),
/// 2 mm slices (10, z 0 … 18) and 5 mm slices (4, z 0 … 15), scrolled with linking on.
final class LinkedScrollTests: XCTestCase {
    func series(_ uid: String, count: Int, spacing: Double, z0: Double = 0, frameOfReference: String?) -> ([InstanceHeader], ImageStack) {
        let headers = (0 ..< count).map { k in
            var h = Fixtures.header(study: "1.1", series: uid, sop: "\(uid).\(k + 1)", instance: k + 1, z: z0 + Double(k) * spacing)
            h.frameOfReferenceUID = frameOfReference
            return h
        }
        let frames = headers.map { h in
            StackFrame(width: 32, height: 32, values: [Float](repeating: 0, count: 32 * 32), rgb: [], sopUID: h.sopInstanceUID, path: h.path,
                       frameIndex: 0, rowSpacing: 0.5, columnSpacing: 0.5, position: h.imagePosition, fileWindow: nil,
                       monochrome1: false, laterality: "", viewPosition: "", orientation: [1, 0, 0, 0, 1, 0])
        }
        return (headers, ImageStack(seriesUID: uid, frames: frames, sliceSpacing: spacing))
    }

    /// The viewer on a 1×2 layout of a 2 mm and a 5 mm series (the second shifted by `shift` mm).
    func openSideBySide(secondFrame: String? = "FOR1", shift: Double = 0) -> AppState {
        var (s, _) = Fixtures.state(columns: 120, rows: 40)
        let (fine, fineStack) = series("1.1.1", count: 10, spacing: 2, frameOfReference: "FOR1")
        let (coarse, coarseStack) = series("1.1.2", count: 4, spacing: 5, z0: shift, frameOfReference: secondFrame)
        _ = update(&s, .studiesLoaded([StudyIndex.group(fine + coarse)[0]]))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(fineStack))
        _ = update(&s, .seriesLoaded(coarseStack))
        Fixtures.keys(&s, [.char("l")])
        XCTAssertEqual(s.viewer?.display.layout, .sideBySide)
        return s
    }

    func z(_ s: AppState) -> (active: Double, other: Double) {
        let vps = s.viewports
        return (vps[0].plane!.origin[2], vps[1].plane!.origin[2])
    }

    func testLinkedScrollKeepsPositionsWithinHalfASlice() {
        var s = openSideBySide()
        Fixtures.keys(&s, [.char("Y"), .char("g")])
        XCTAssertEqual(s.viewer?.display.link.scroll, true)
        for step in 0 ..< 12 {
            // Within half a coarse slice wherever the coarse series covers (z ≤ 15 + 2.5).
            let (a, b) = z(s)
            if a <= 17.5 { XCTAssertLessThanOrEqual(abs(a - b), 2.5 + 1e-9, "step \(step): z \(a) vs \(b)") }
            Fixtures.keys(&s, [.char("j")])
        }
        // Past the coarse series' end it stays at its last slice.
        XCTAssertEqual(z(s).active, 18); XCTAssertEqual(z(s).other, 15)
        // Not the same index: fine slice 5 (z 10) shows coarse slice 2 (z 10), not 5.
        Fixtures.keys(&s, [.char("g")])
        for _ in 0 ..< 5 { Fixtures.keys(&s, [.char("j")]) }
        XCTAssertEqual(s.viewports[1].sliceIndex, 2)
        let screen = view(s)
        let bottom = screen.line(s.viewports[0].rect.row + s.viewports[0].rect.rows - 1)
        XCTAssertTrue(bottom.contains("Z 10.0 mm ⇄ Im 6/10"), "position and link marker in both corners: \(bottom)")
        XCTAssertEqual(bottom.components(separatedBy: "Z 10.0 mm ⇄").count, 3, bottom)
        // Unlinked: the other viewport stays.
        Fixtures.keys(&s, [.char("Y"), .char("j")])
        XCTAssertEqual(s.viewports[1].sliceIndex, 2)
        XCTAssertFalse(view(s).contains("⇄"))
    }

    func testDifferentFramesOfReferenceLinkByTheReadersOffset() {
        // The second series is the same anatomy 100 mm higher in its own frame.
        var s = openSideBySide(secondFrame: "FOR2", shift: 100)
        Fixtures.keys(&s, [.char("Y")])
        XCTAssertTrue(s.message.contains("link here"), s.message)
        Fixtures.keys(&s, [.char("g"), .char("j"), .char("j")])
        XCTAssertEqual(s.viewports[1].sliceIndex, 0, "different frames: not linked until aligned")
        XCTAssertFalse(view(s).contains("⇄ Im 1/4"))
        // Align fine slice 2 (z 4) with coarse slice 1 (z 105): offset 101 mm.
        // The second viewport made active (w) and scrolled on its own (unlinked) to z 105.
        Fixtures.keys(&s, [.char("w")])
        XCTAssertTrue(s.viewports[1].isActive)
        Fixtures.keys(&s, [.char("g"), .char("j"), .char("w")])
        XCTAssertTrue(s.viewports[0].isActive)
        XCTAssertEqual(z(s).other, 105)
        Fixtures.keys(&s, [.char("V")])
        XCTAssertEqual(s.viewer!.display.link.offsets["1.1.2"]!, 101, accuracy: 1e-9)
        for _ in 0 ..< 3 { Fixtures.keys(&s, [.char("j")]) }   // z 10 → 111: coarse slice 2 (z 110)
        XCTAssertEqual(z(s).active, 10)
        XCTAssertEqual(s.viewports[1].sliceIndex, 2)
        XCTAssertTrue(view(s).contains("Z 110.0 mm ⇄ Im 3/4"))
    }

    func testZoomLinkOption() {
        var s = openSideBySide()
        Fixtures.keys(&s, [.char("z")])
        XCTAssertTrue(view(s).contains("zoom 1.0×"), "only the active viewport zooms")
        Fixtures.keys(&s, [.char("D")])
        XCTAssertFalse(view(s).contains("zoom 1.0×"), "both zoom when linked")
        // W/L is one value for every viewport.
        Fixtures.keys(&s, [.char("2")])
        let w = s.effectiveWindow(s.viewports[0].frame)
        XCTAssertEqual(s.effectiveWindow(s.viewports[1].frame), w)
    }
}
