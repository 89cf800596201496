import XCTest
import TerminalGraphics
@_spi(Benchmarks) @testable import Workstation

final class FrameEncoderTests: XCTestCase {
    func viewerState() -> AppState {
        var (s, stack) = Fixtures.state(columns: 100, rows: 30)
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        return s
    }

    func testBlocksSendOnlyChangedCells() {
        var s = viewerState()
        let encoder = FrameEncoder(capabilities: TerminalCapabilities(graphicsProtocol: .blocks, colorDepth: .trueColor), theme: .dark)
        let full = encoder.encode(view(s), theme: .dark)
        let same = encoder.encode(view(s), theme: .dark)
        Fixtures.keys(&s, [.char("j")])
        let step = encoder.encode(view(s), theme: .dark)
        XCTAssertGreaterThan(full.count, 1000)
        XCTAssertLessThan(same.count, 16, "an unchanged frame sends (almost) nothing")
        XCTAssertGreaterThan(step.count, same.count)
        XCTAssertLessThan(step.count, full.count / 2, "a slice step sends the changed cells only")
        XCTAssertTrue(String(decoding: full, as: UTF8.self).contains("▀") || String(decoding: full, as: UTF8.self).contains("▄"))
    }

    func testPixelProtocolsSendImagesOnlyWhenTheyChange() {
        for (proto, marker) in [(GraphicsProtocol.sixel, "\u{1B}P"), (.kitty, "\u{1B}_G")] {
            var s = viewerState()
            var caps = TerminalCapabilities(graphicsProtocol: proto, colorDepth: .trueColor)
            caps.cellWidth = 8; caps.cellHeight = 16
            let encoder = FrameEncoder(capabilities: caps, theme: .dark)
            XCTAssertTrue(String(decoding: encoder.encode(view(s), theme: .dark), as: UTF8.self).contains(marker), "\(proto)")
            XCTAssertFalse(String(decoding: encoder.encode(view(s), theme: .dark), as: UTF8.self).contains(marker), "\(proto) unchanged")
            Fixtures.keys(&s, [.char("j")])
            XCTAssertTrue(String(decoding: encoder.encode(view(s), theme: .dark), as: UTF8.self).contains(marker), "\(proto) step")
            // A prompt over the image hides the pixel image rather than drawing over the text.
            Fixtures.keys(&s, [.char("S")])
            XCTAssertFalse(String(decoding: encoder.encode(view(s), theme: .dark), as: UTF8.self).contains(marker), "\(proto) prompt")
        }
    }
}
