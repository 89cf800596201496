import XCTest
@testable import TerminalGraphics

/// Issue 18, "pixel-clean in real terminals": a cell the screen holds as a blank goes out as a
/// space, never as a glyph (the writer used to send a one-colour blank as "█" in the foreground
/// colour, or swap a blank for its complement, to save a colour sequence; xterm drew those as rows
/// of boxes beside the images, and copies and captures read them as text).
final class BlankCellsStayBlankTests: XCTestCase {
    func testBlanksNeverBecomeFullBlocks() {
        let black = CellColor.rgb(0, 0, 0), grey = CellColor.rgb(40, 40, 40), white = CellColor.rgb(255, 255, 255)
        var writer = SGRWriter(depth: .trueColor)
        var out: [UInt8] = []
        // A full block of an image sets the foreground to grey; then blanks in every colour pairing.
        writer.write(Cell(glyph: BlockGlyphs.fullBlock, foreground: grey, background: grey), into: &out)
        for cell in [Cell(glyph: 0x20, foreground: grey, background: grey), Cell(glyph: 0x20, foreground: white, background: black),
                     Cell(glyph: 0x20, foreground: black, background: grey), Cell(glyph: 0x20, foreground: grey, background: white)] {
            var line: [UInt8] = []
            writer.write(cell, into: &line)
            let text = String(decoding: line, as: UTF8.self)
            XCTAssertFalse(text.contains("\u{2588}"), "a blank went out as a full block: \(text.debugDescription)")
            XCTAssertTrue(text.hasSuffix(" "), "a blank goes out as a space: \(text.debugDescription)")
            out += line
        }
        // The image's own full block may still go out as a space in its background colour.
        var image: [UInt8] = []
        writer.write(Cell(glyph: BlockGlyphs.fullBlock, foreground: white, background: white), into: &image)
        XCTAssertFalse(image.isEmpty)
    }
}
