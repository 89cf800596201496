import XCTest
@testable import TerminalGraphics

final class CellCanvasTests: XCTestCase {
    func testRedrawingTheSameFrameSendsNothing() throws {
        let enc = HalfBlockEncoder()
        let buffer = enc.cells(try TestImages.slice(), fitting: CellGrid(columns: 30, rows: 15))
        let canvas = CellCanvas(originRow: 3, originColumn: 5, depth: .trueColor)
        let first = canvas.draw(buffer)
        XCTAssertGreaterThan(first.count, buffer.cells.count)
        XCTAssertEqual(canvas.draw(buffer), [])
    }

    func testOnlyChangedCellsAreSentAndTheScreenMatches() throws {
        let enc = HalfBlockEncoder()
        let grid = CellGrid(columns: 30, rows: 15)
        let a = enc.cells(try TestImages.slice(), fitting: grid)
        var b = a
        b[7, 4] = .uniform(.rgb(255, 0, 0))
        b[20, 9] = Cell(glyph: BlockGlyphs.upperHalf, foreground: .rgb(0, 0, 255), background: .rgb(0, 255, 0))
        let canvas = CellCanvas(originRow: 1, originColumn: 1, depth: .trueColor)
        var screen = ReferenceCellDecoder(columns: a.columns, rows: a.rows)
        screen.feed(canvas.draw(a))
        let diff = canvas.draw(b)
        XCTAssertLessThan(diff.count, 120)
        screen.feed(diff)
        var expected = ReferenceCellDecoder(columns: b.columns, rows: b.rows)
        expected.feed(b.frameBytes(depth: .trueColor))
        XCTAssertEqual(try screen.samples(across: 1, down: 2).pixels, try expected.samples(across: 1, down: 2).pixels)
    }

    func testInvalidateRepaintsEverything() throws {
        let buffer = HalfBlockEncoder().cells(try TestImages.slice(), fitting: CellGrid(columns: 20, rows: 10))
        let canvas = CellCanvas(depth: .trueColor)
        let first = canvas.draw(buffer)
        canvas.invalidate()
        XCTAssertEqual(canvas.draw(buffer), first)
    }
}
