import XCTest
import Foundation
import LightboxConfig
import TerminalGraphics

/// Themes/*.toml → `Theme` (moved here from TerminalGraphicsTests with the parsing).
final class ThemeFileTests: XCTestCase {
    static var themesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Themes").path
    }

    func testAllShippedThemesLoad() throws {
        for name in ["dark", "light", "high-contrast", "colorblind-safe"] {
            let theme = try Theme.load(named: name, from: Self.themesDirectory)
            XCTAssertEqual(theme.name, name)
            XCTAssertEqual(Set(theme.severity).count, 4, "\(name): risk colours must differ")
        }
        XCTAssertEqual(try Theme.load(named: "dark", from: Self.themesDirectory), Theme.dark)
    }

    func testColourBlindThemeUsesOkabeIto() throws {
        let okabeIto: Set<String> = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"]
        let theme = try Theme.load(named: "colorblind-safe", from: Self.themesDirectory)
        for (i, c) in theme.severity.enumerated() { XCTAssertTrue(okabeIto.contains(c.hex), Theme.severityKeys[i]) }
        XCTAssertEqual(theme.heatmap, .viridis)
    }

    func testThemeErrors() {
        XCTAssertThrowsError(try Theme.parse("[risk]\nlow = \"#12345\"\n"))
        XCTAssertThrowsError(try Theme.parse("[risk\nlow = \"#123456\"\n"))
        XCTAssertThrowsError(try Theme.parse("[overlay]\nheatmap = \"rainbow\"\n"))
        XCTAssertThrowsError(try Theme.parse("[overlay]\nheatmap_opacity = 1.5\n"))
        XCTAssertThrowsError(try Theme.parse("[overlay]\nheatmap_threshold = x\n"))
        XCTAssertThrowsError(try Theme.load(named: "../etc/passwd", from: Self.themesDirectory))
        XCTAssertThrowsError(try Theme.load(named: "no-such-theme", from: Self.themesDirectory))
        let t = try? Theme.parse("name = \"x\" # comment\n[risk]\ncritical = \"#ABCDEF\"\n")
        XCTAssertEqual(t?.severityColor(3), RGBColor(r: 0xAB, g: 0xCD, b: 0xEF))
        XCTAssertEqual(t?.severityColor(0), Theme.dark.severityColor(0))
    }

    /// A bad value names the file, the line and the key, so the reader can find the typo.
    func testErrorsNameFileAndLine() {
        XCTAssertThrowsError(try Theme.parse("name = \"x\"\n\n[risk]\nlow = \"#12345\"\n", source: "mine.toml")) {
            XCTAssertEqual("\($0)", "mine.toml line 4: [risk] low = \"#12345\" is not #rrggbb")
        }
        XCTAssertThrowsError(try Theme.parse("[overlay]\nheatmap = rainbow\n")) {
            XCTAssertEqual("\($0)", "theme line 2: unknown colour map \"rainbow\"")
        }
        XCTAssertThrowsError(try Theme.parse("[risk\n")) {
            XCTAssertEqual("\($0)", "theme line 1: malformed table header (no closing ])")
        }
    }
}
