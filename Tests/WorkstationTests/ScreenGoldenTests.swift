import Foundation
import TerminalGraphics
import TestSupport
import XCTest
@testable import Workstation

/// Whole-screen goldens: the worklist, the viewer, the review (findings) panel and the teaching
/// panel, each built in process from `Fixtures` through `update`, drawn by `view(state)` on a
/// 120×40 cell grid and compared with Goldens/NAME.txt. A golden holds three parts:
///
/// - the text rows (`Screen.snapshot()`: image areas as `░`, trailing spaces trimmed);
/// - the style of every cell, one letter each (legend below), trailing normal cells trimmed;
/// - the images placed on the grid: cell rectangle, pixel size, a hash of the displayed pixels and
///   the overlays (kind, place, label).
///
/// Nothing here depends on the clock or the terminal: fixtures carry fixed dates and the size is
/// fixed. `UPDATE_GOLDENS=1 swift test --filter ScreenGoldenTests` rewrites the goldens.
final class ScreenGoldenTests: XCTestCase {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
    static let columns = 120, rows = 40

    /// Two studies; the first has AI findings (its AI column says so), the second none yet.
    func testWorklist() {
        var (s, _) = Fixtures.state(columns: Self.columns, rows: Self.rows)
        _ = update(&s, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: s.entries[0].study)))
        expect(view(s), golden: "worklist")
    }

    /// The first study open with its series loaded, no model installed: header, series strip, the
    /// image area, corner annotations, the findings panel saying why there is no AI, the status line.
    func testViewer() {
        var (s, stack) = Fixtures.state(columns: Self.columns, rows: Self.rows)
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        expect(view(s), golden: "viewer")
    }

    /// The review panel: two AI findings from a not-for-clinical-use model (banner on the top row),
    /// the first accepted, the second selected (the viewer jumped to its slice).
    func testReviewPanel() {
        var (s, stack) = Fixtures.state(columns: Self.columns, rows: Self.rows)
        _ = update(&s, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: s.entries[0].study)))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        Fixtures.keys(&s, [.char("A"), .char("n")])
        expect(view(s), golden: "review-panel")
    }

    /// A teaching quiz after the reveal: a hit and a false positive scored against the ground truth,
    /// the teaching text, and the AI's proposal (not for clinical use).
    func testTeachingPanel() {
        var s = AppState(columns: Self.columns, rows: Self.rows, reader: "trainee1", deidentify: false)
        s.teaching = TeachingSession(key: "sess-1", mode: .unknown, presenter: false, cases: TeachingTests.cases())
        let (a, stackA) = Fixtures.ctStudy(uid: "1.1")
        let (b, stackB) = Fixtures.ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2")
        _ = update(&s, .studiesLoaded([a, b]))
        _ = update(&s, .seriesLoaded(stackA))
        _ = update(&s, .seriesLoaded(stackB))
        _ = update(&s, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: s.entries[0].study)))
        setSlice(&s, 3)
        s.viewer!.display.cursor = ImagePoint(x: 14, y: 12)
        Fixtures.keys(&s, [.char("F")] + Fixtures.type("nodule") + [.enter])
        s.viewer!.display.cursor = ImagePoint(x: 28, y: 28)
        Fixtures.keys(&s, [.char("F"), .enter, .char("b"), .char("3"), .char("R")])
        XCTAssertTrue(view(s).contains("SCORE: 1 hit · 0 missed · 1 false"), view(s).snapshot())
        expect(view(s), golden: "teaching-panel")
    }

    /// The golden text of a screen: rows, styles, images.
    static func render(_ screen: Screen) -> String {
        var out = ["# \(screen.columns)x\(screen.rows) text rows (images as ░)"]
        out += screen.snapshot().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        out.append("# styles, one letter a cell: . normal, d dim, h header, s selected, t status, b banner, w warning,"
                   + " a accent, p prompt, L I H C risk low/intermediate/high/critical")
        for r in 0 ..< screen.rows {
            var line = (0 ..< screen.columns).map { styleCode(screen[r, $0].style) }.joined()
            while line.hasSuffix(".") { line.removeLast() }
            out.append(line)
        }
        out.append("# images: cell row,column columns x rows, pixels, overlays")
        for p in screen.images {
            out.append("at \(p.row),\(p.column) \(p.columns)x\(p.rows) cells, \(p.image.width)x\(p.image.height)x\(p.image.channels) px"
                       + " (FNV-1a \(fnv1a(p.image.pixels))), \(p.overlays.count) overlays")
            out += p.overlays.map { "  " + describe($0) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A 64-bit FNV-1a hash of the displayed pixels (after window/level), so a change in how the
    /// image is drawn changes the golden too.
    static func fnv1a(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return String(h, radix: 16)
    }

    static func styleCode(_ style: Style) -> String {
        switch style {
        case .normal: return "."
        case .dim: return "d"
        case .header: return "h"
        case .selected: return "s"
        case .status: return "t"
        case .banner: return "b"
        case .warning: return "w"
        case .accent: return "a"
        case .prompt: return "p"
        // By case name, so the golden does not care which module the risk level lives in.
        case .risk(let level):
            return ["low": "L", "intermediate": "I", "high": "H", "critical": "C"][String(describing: level)] ?? "R"
        }
    }

    /// An overlay by kind, place and label; colours are left to the theme tests.
    static func describe(_ overlay: Overlay) -> String {
        func n(_ x: Double) -> String { String(format: "%g", x) }
        func pt(_ p: OverlayPoint) -> String { "(\(n(p.x)),\(n(p.y)))" }
        func label(_ l: String?) -> String { l.map { " \"\($0)\"" } ?? "" }
        switch overlay {
        case .heatmap: return "heatmap"
        case .contour(let points, let closed, _): return "contour \(points.count) points\(closed ? " closed" : "")"
        case .box(let x, let y, let w, let h, _, let l): return "box (\(n(x)),\(n(y))) \(n(w))x\(n(h))\(label(l))"
        case .marker(let p, _, let l): return "marker \(pt(p))\(label(l))"
        case .measurement(let a, let b, let l): return "measurement \(pt(a))-\(pt(b))\(label(l))"
        }
    }

    func expect(_ screen: Screen, golden name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(screen.columns, Self.columns)
        XCTAssertEqual(screen.rows, Self.rows)
        if let failure = Golden.check(Self.render(screen), against: Self.goldens.appendingPathComponent("\(name).txt")) {
            XCTFail(failure, file: file, line: line)
        }
    }
}
