import XCTest
import Foundation
@testable import TerminalGraphics

final class CapabilityTests: XCTestCase {
    func testDumbTerminalIsPlainASCII() throws {
        let c = TerminalCapabilities.fromEnvironment(["TERM": "dumb"])
        XCTAssertEqual(c.graphicsProtocol, .ascii); XCTAssertEqual(c.colorDepth, .none)
        XCTAssertEqual(TerminalCapabilities.fromEnvironment([:]).graphicsProtocol, .ascii)
        // Detection against a dumb terminal sends nothing and returns at once.
        let r = ImageRenderer(capabilities: c).render(try TestImages.slice(), columns: 40, rows: 20)
        XCTAssertFalse(r.bytes.contains(0x1B))
    }

    func testPlainSSHGets256ColourBlocks() throws {
        let c = TerminalCapabilities.fromEnvironment(["TERM": "xterm-256color"])
        XCTAssertEqual(c.graphicsProtocol, .blocks); XCTAssertEqual(c.colorDepth, .xterm256)
        let bytes = ImageRenderer(capabilities: c).render(try TestImages.slice(), columns: 40, rows: 20).bytes
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("38;5;") || text.contains("48;5;"))
        XCTAssertFalse(text.contains("38;2;") || text.contains("48;2;"))
    }

    func testEnvironmentRules() {
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "xterm-256color", "COLORTERM": "truecolor"]).colorDepth, .trueColor)
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "xterm-kitty"]).graphicsProtocol, .kitty)
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"]).graphicsProtocol, .iterm)
        let tmux = TerminalCapabilities.fromEnvironment(["TERM": "tmux-256color", "TMUX": "/tmp/x", "TERM_PROGRAM": "iTerm.app"])
        XCTAssertEqual(tmux.graphicsProtocol, .blocks); XCTAssertTrue(tmux.insideTmux)
        XCTAssertEqual(tmux.maxSequenceBytes, TmuxPassthrough.inputBufferLimit)
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "linux"]).colorDepth, .ansi16)
    }

    func testOverridesWin() {
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "xterm-256color", "LIGHTBOX_GRAPHICS": "sixel"]).graphicsProtocol, .sixel)
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "xterm-kitty", "LIGHTBOX_GRAPHICS": "ascii"]).graphicsProtocol, .ascii)
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "xterm-kitty", "LIGHTBOX_GRAPHICS": "auto"]).graphicsProtocol, .kitty)
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "xterm-kitty", "LIGHTBOX_GRAPHICS": "bogus"]).graphicsProtocol, .kitty)
        let c = TerminalCapabilities.detect(environment: ["TERM": "xterm-256color"], input: -1, output: -1, timeout: 0.05,
                                            protocolFlag: "kitty", cellSize: (10, 20))
        XCTAssertEqual(c.graphicsProtocol, .kitty)
        XCTAssertEqual(c.grid(columns: 80, rows: 24).cellWidth, 10)
        XCTAssertEqual(TerminalCapabilities.fromEnvironment(["TERM": "xterm"]).grid(columns: 80, rows: 24).cellHeight, 16)
    }

    func testParsesTerminalReplies() {
        let bytes = Array(("\u{1B}_Gi=31;OK\u{1B}\\" + "\u{1B}P>|WezTerm 2024\u{1B}\\" + "\u{1B}[?1;0;1024S" +
                           "\u{1B}[6;20;10t" + "\u{1B}[4;1000;1600t" + "\u{1B}[?62;4;22c").utf8)
        let r = TerminalReplies(parsing: bytes)
        XCTAssertTrue(r.kittyGraphics); XCTAssertTrue(r.sixel); XCTAssertTrue(r.complete)
        XCTAssertEqual(r.version, "WezTerm 2024")
        XCTAssertEqual(r.sixelRegisters, 1024)
        XCTAssertTrue(r.cellPixelSize! == (10, 20))
        XCTAssertTrue(r.textAreaPixels! == (1600, 1000))
        var caps = TerminalCapabilities.fromEnvironment(["TERM": "xterm-256color"])
        caps.apply(r)
        XCTAssertEqual(caps.graphicsProtocol, .kitty)
        XCTAssertEqual(caps.cellWidth, 10)
        var sixelOnly = TerminalCapabilities.fromEnvironment(["TERM": "xterm-256color"])
        sixelOnly.apply(TerminalReplies(parsing: Array("\u{1B}[?63;1;4c".utf8)))
        XCTAssertEqual(sixelOnly.graphicsProtocol, .sixel)
        XCTAssertEqual(sixelOnly.sixelRegisters, 256)
        XCTAssertFalse(TerminalReplies(parsing: Array("\u{1B}[?62;22c\u{1B}_Gi=31;ENOENT\u{1B}\\".utf8)).kittyGraphics)
        // Garbage and truncation never crash.
        _ = TerminalReplies(parsing: Array("\u{1B}[?1;0".utf8))
        _ = TerminalReplies(parsing: [0x1B])
    }

    func testQueryDoesNotHangWhenNothingAnswers() {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let t0 = Date()
        let r = TerminalQuery.collect(from: fds[0], timeout: 0.1)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 1.0)
        XCTAssertFalse(r.complete)
        // Not a terminal: nothing is sent, returns at once.
        let t1 = Date()
        _ = TerminalQuery.run(input: fds[0], output: fds[1], timeout: 5)
        XCTAssertLessThan(Date().timeIntervalSince(t1), 0.5)
    }

    func testQueryStopsAtDA1() {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let reply = Array("\u{1B}[6;16;8t\u{1B}[?62;4c".utf8)
        _ = reply.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        let t0 = Date()
        let r = TerminalQuery.collect(from: fds[0], timeout: 5)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 1.0)
        XCTAssertTrue(r.sixel)
        XCTAssertTrue(r.cellPixelSize! == (8, 16))
    }

    func testProtocolArgumentParsing() {
        XCTAssertEqual(GraphicsProtocol(argument: "ITERM2"), .iterm)
        XCTAssertEqual(GraphicsProtocol(argument: "blocks"), .blocks)
        XCTAssertNil(GraphicsProtocol(argument: "x"))
    }

    func testSixelTooLargeForTmuxFallsBackToBlocks() throws {
        var c = TerminalCapabilities.fromEnvironment(["TERM": "tmux-256color", "TMUX": "1"])
        c.apply(TerminalReplies(parsing: Array("\u{1B}[?62;4c".utf8)))
        XCTAssertEqual(c.graphicsProtocol, .sixel)
        c.maxSequenceBytes = 1000
        let r = ImageRenderer(capabilities: c).render(try TestImages.slice(), columns: 40, rows: 20)
        XCTAssertEqual(r.graphicsProtocol, .blocks)
        XCTAssertLessThanOrEqual(r.layout.columns, 40)
    }
}

final class TmuxRenderingTests: XCTestCase {
    func testForcedKittyInsideTmuxUploadsThroughPassthrough() throws {
        let c = TerminalCapabilities.fromEnvironment(["TERM": "tmux-256color", "TMUX": "1", "LIGHTBOX_GRAPHICS": "kitty"])
        XCTAssertEqual(c.graphicsProtocol, .kitty)
        let r = ImageRenderer(capabilities: c).render(try TestImages.slice(width: 16, height: 16), columns: 4, rows: 2)
        XCTAssertEqual(Array(r.bytes.prefix(9)), Array("\u{1B}Ptmux;\u{1B}\u{1B}".utf8))
    }
}
