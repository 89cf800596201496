import XCTest
import Foundation
@testable import TerminalGraphics

final class OverlayThemeTests: XCTestCase {
    func testHeatmapThresholdAndOpacity() throws {
        var raster = try RGBImage(width: 10, height: 1, filledWith: RGBColor(grey: 100))
        let heat = try XCTUnwrap(ScalarOverlay(width: 10, height: 1, values: (0..<10).map { Float($0) / 9 }, colorMap: .inferno, threshold: 0.5, opacity: 1))
        XCTAssertNil(ScalarOverlay(width: 10, height: 2, values: [0, 1]), "a size that does not match its values is refused, not trapped on")
        XCTAssertNil(ScalarOverlay(width: 0, height: 0, values: []))
        let layout = ImageLayout(columns: 10, rows: 1, sampleWidth: 10, sampleHeight: 1, grid: CellGrid(columns: 10, rows: 1))
        _ = OverlayCompositor().composite([.heatmap(heat)], onto: &raster, layout: layout, sourceWidth: 10, sourceHeight: 1)
        for x in 0..<5 { XCTAssertEqual(raster[x, 0], RGBColor(grey: 100), "below threshold untouched") }
        XCTAssertEqual(raster[9, 0], ColorMap.inferno.color(1))
        XCTAssertNotEqual(raster[6, 0], RGBColor(grey: 100))
    }

    func testColourMapsAreOrdered() {
        XCTAssertEqual(ColorMap.viridis.color(0), RGBColor(hex: "#440154"))
        XCTAssertEqual(ColorMap.inferno.color(1), RGBColor(hex: "#fcffa4"))
        let lumas = ColorMap.inferno.table.map(\.luma)
        XCTAssertEqual(lumas.first, 0)
        XCTAssertGreaterThan(lumas.last!, 200)
        XCTAssertEqual(ColorMap.turbo.table.count, 256)
    }

    func testBoxesContoursAndLabelsUseRiskColoursAndAreSanitised() throws {
        var raster = try RGBImage(width: 100, height: 100, filledWith: RGBColor(grey: 0))
        let layout = ImageLayout(columns: 50, rows: 25, sampleWidth: 100, sampleHeight: 100, grid: CellGrid(columns: 50, rows: 25))
        let labels = OverlayCompositor(theme: .dark).composite(
            [.box(x: 50, y: 50, width: 100, height: 60, color: .severity(3), label: "nodule\u{1B}[31m\u{202E}"),
             .contour(points: [OverlayPoint(x: 10, y: 10), OverlayPoint(x: 30, y: 10)], closed: false, color: .severity(0)),
             .measurement(from: OverlayPoint(x: 0, y: 180), to: OverlayPoint(x: 100, y: 180), label: "12.4 mm")],
            onto: &raster, layout: layout, sourceWidth: 200, sourceHeight: 200)
        XCTAssertEqual(raster[25, 25], Theme.dark.severityColor(3))
        XCTAssertEqual(raster[10, 5], Theme.dark.severityColor(0))
        XCTAssertEqual(raster[25, 90], Theme.dark.measurement)
        XCTAssertEqual(labels.map(\.text), ["nodule[31m", "12.4 mm"])
        XCTAssertEqual(labels[0].column, 12); XCTAssertEqual(labels[0].row, 6)
        let bytes = LabelWriter.bytes(for: labels, originRow: 1, originColumn: 1, depth: .trueColor)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}[7;13H"))
        XCTAssertFalse(text.unicodeScalars.contains("\u{202E}"))
    }

    func testTextSanitizer() {
        XCTAssertEqual(TextSanitizer.sanitize("DOE^JOHN\u{1B}]0;pwned\u{07}"), "DOE^JOHN]0;pwned")
        XCTAssertEqual(TextSanitizer.sanitize("a\u{9B}31mb\u{7F}c"), "a31mbc")
        XCTAssertEqual(TextSanitizer.sanitize("x\u{202E}y\u{2066}z\u{200F}"), "xyz")
        XCTAssertEqual(TextSanitizer.sanitize("line1\nline2\ttab"), "line1 line2 tab")
        XCTAssertEqual(TextSanitizer.sanitize("Müller 肺 5 mm²"), "Müller 肺 5 mm²")
        XCTAssertTrue(TextSanitizer.isClean("ok"))
        XCTAssertFalse(TextSanitizer.isClean("\u{1B}"))
    }

    func testRendererWithOverlaysInEveryProtocol() throws {
        let image = try TestImages.slice(width: 128, height: 128)
        let overlays: [Overlay] = [.marker(OverlayPoint(x: 64, y: 64), color: .severity(2), label: "A")]
        for proto in GraphicsProtocol.allCases {
            var caps = TerminalCapabilities(graphicsProtocol: proto, colorDepth: proto == .ascii ? .none : .trueColor)
            caps.cellWidth = 8; caps.cellHeight = 16
            let r = ImageRenderer(capabilities: caps).render(image, overlays: overlays, columns: 40, rows: 20)
            XCTAssertFalse(r.bytes.isEmpty, "\(proto)")
            XCTAssertEqual(r.labels.count, 1)
            XCTAssertLessThanOrEqual(r.layout.columns, 40); XCTAssertLessThanOrEqual(r.layout.rows, 20)
        }
    }
}
