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

/// kitty inside tmux: each distinct slice is uploaded once; stepping back sends placeholder text only.
final class KittyPlaceholderFrameTests: XCTestCase {
    func testSlicesUploadOnceAndRevisitsSendOnlyPlaceholders() {
        var (s, stack) = Fixtures.state(columns: 100, rows: 30)
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        var caps = TerminalCapabilities.fromEnvironment(["TERM": "tmux-256color", "TMUX": "/tmp/t,1,0", "KITTY_WINDOW_ID": "1"])
        caps.cellWidth = 8; caps.cellHeight = 16
        XCTAssertTrue(caps.kittyPlaceholders)
        let encoder = FrameEncoder(capabilities: caps, theme: .dark)
        func uploads(_ bytes: [UInt8]) -> Int { String(decoding: bytes, as: UTF8.self).components(separatedBy: "a=T,U=1").count - 1 }
        func placeholders(_ bytes: [UInt8]) -> Int { String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0.value == 0x10EEEE }.count }
        let first = encoder.encode(view(s), theme: .dark)
        XCTAssertEqual(uploads(first), 1)
        XCTAssertGreaterThan(placeholders(first), 100)
        XCTAssertTrue(String(decoding: first, as: UTF8.self).contains("\u{1B}Ptmux;"), "the upload goes through passthrough")
        XCTAssertEqual(uploads(encoder.encode(view(s), theme: .dark)), 0, "unchanged frame")
        Fixtures.keys(&s, [.char("j")])
        let forward = encoder.encode(view(s), theme: .dark)
        XCTAssertEqual(uploads(forward), 1, "a new slice is uploaded")
        Fixtures.keys(&s, [.char("k")])
        let back = encoder.encode(view(s), theme: .dark)
        XCTAssertEqual(uploads(back), 0, "a slice already in kitty is not sent again")
        XCTAssertEqual(placeholders(back), placeholders(first))
        // The fixture's tiny synthetic slices deflate to a few hundred bytes, so the saving here is
        // just the upload; KittyPlaceholderTests measures it on a realistic raster.
        XCTAssertLessThan(back.count, forward.count)
        // No direct-placement delete-all (it would drop the uploaded slices), and the exit cleanup deletes our ids only.
        XCTAssertFalse(String(decoding: first + forward + back, as: UTF8.self).contains("\u{1B}_Ga=d\u{1B}"))
        let cleanup = String(decoding: encoder.kittyCleanup(), as: UTF8.self)
        XCTAssertEqual(cleanup.components(separatedBy: "a=d,d=I,").count - 1, 2)
        // After a resize (or tmux reattach) everything is uploaded afresh, after deleting the old ids.
        encoder.invalidate()
        let repaint = encoder.encode(view(s), theme: .dark)
        XCTAssertEqual(uploads(repaint), 1)
    }
}
