import XCTest
import TerminalGraphics
@_spi(Benchmarks) @testable import Workstation

/// Wide (CJK) characters on the cell grid: two cells each, never drawn by halves, and flushed to
/// the terminal so that the columns after them stay where the layout put them.
final class ScreenWideTextTests: XCTestCase {
    func testAKanjiTakesTwoCellsTheSecondAContinuation() {
        var s = Screen(columns: 12, rows: 1)
        s.put("山田 太郎", row: 0, column: 0)
        XCTAssertEqual(s.line(0), "山田 太郎")
        XCTAssertEqual(s[0, 0].character, "山")
        XCTAssertTrue(s[0, 1].isContinuation)
        XCTAssertEqual(s[0, 2].character, "田")
        XCTAssertTrue(s[0, 3].isContinuation)
        XCTAssertEqual(s[0, 4].character, " ")
        XCTAssertEqual(s[0, 5].character, "太")
        XCTAssertEqual(s[0, 9].character, " ", "9 cells used")
    }

    func testWidthLimitPadsInsteadOfDrawingHalfAKanji() {
        var s = Screen(columns: 12, rows: 1)
        s.put("xxxxxxxxxxxx", row: 0, column: 0)
        s.put("山田太郎", row: 0, column: 1, style: .accent, width: 5)
        XCTAssertEqual(s.line(0), "x山田 xxxxxx")
        XCTAssertEqual(s[0, 5], ScreenCell(character: " ", style: .accent), "the straddling kanji's visible cell is padded")
        XCTAssertEqual(s[0, 6].character, "x", "nothing past the limit")
    }

    func testRightAndLeftEdgesClipWholeCharacters() {
        var s = Screen(columns: 5, rows: 2)
        s.put("ab山田", row: 0, column: 0)
        XCTAssertEqual(s.line(0), "ab山")
        XCTAssertFalse(s[0, 4].isContinuation)
        s.put("山x", row: 1, column: -1)
        XCTAssertEqual(s.line(1), " x", "half a kanji left of the screen becomes a space")
        XCTAssertFalse(s[1, 0].isContinuation)
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var s = Screen(columns: 6, rows: 2)
        s.put("山田", row: 0, column: 0)
        s.put("x", row: 0, column: 1)            // over 山's right half
        XCTAssertEqual(s.line(0), " x田")
        s.put("山田", row: 1, column: 0)
        s.put("y", row: 1, column: 2)            // over 田's left half
        XCTAssertEqual(s.line(1), "山y")
        XCTAssertFalse(s[1, 3].isContinuation)
        s.fill(row: 1, column: 1, rows: 1, columns: 1, style: .normal, character: "-")
        XCTAssertEqual(s.line(1), " -y")
    }

    func testControlCharactersNeverReachTheGrid() {
        var s = Screen(columns: 20, rows: 1)
        s.put("a\u{1B}[31mb\u{9B}c\u{202E}d", row: 0, column: 0)
        XCTAssertEqual(s.line(0), "a?[31mb?cd")
        XCTAssertFalse(s.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 || (0x7F ... 0x9F).contains($0.value) } })
    }

    func testTextFitUsesDisplayWidth() {
        XCTAssertEqual(Text.fit("山田 太郎 [P1]", 8), "山田 太…")
        XCTAssertEqual(Text.width(Text.fit("山田 太郎 [P1]", 8)), 8)
        XCTAssertEqual(Text.wrap("山田太郎山田", 5), ["山田", "太郎", "山田"])
    }

    /// The worklist with a Japanese name: the kanji are on screen, and DATE, MOD … start in the
    /// same cell on the study's row as on the header row.
    func testWorklistColumnsStayAlignedAfterKanji() {
        var s = AppState(columns: 150, rows: 20, reader: "r", deidentify: false)
        let (a, _) = Fixtures.ctStudy(uid: "1.1", name: "Yamada^Tarou=山田^太郎=やまだ^たろう", id: "P1", date: "20260102")
        let (b, _) = Fixtures.ctStudy(uid: "2.2", name: "=王^小明", id: "P2", date: "20250505")
        _ = update(&s, .studiesLoaded([a, b]))
        let screen = view(s)
        XCTAssertTrue(screen.contains("Yamada Tarou 山田 太郎"), screen.snapshot())
        XCTAssertTrue(screen.contains("王 小明 [P2]"), screen.snapshot())
        let widths = WorklistView.columnWidths(150)
        let dateColumn = 1 + widths[0] + 1 + widths[1] + 1
        XCTAssertEqual(screen[WorklistLayout.headerRow, dateColumn].character, "D")
        for row in [WorklistLayout.firstRow, WorklistLayout.firstRow + 1] {
            let date = (dateColumn ..< dateColumn + 10).map { String(screen[row, $0].character) }.joined()
            XCTAssertTrue(date == "2026-01-02" || date == "2025-05-05", "row \(row): \(date)\n\(screen.snapshot())")
        }
    }

    /// The bytes the frame encoder sends, replayed on a minimal terminal that advances two
    /// columns for a wide character, give back every row of the screen: after a full frame and
    /// after a diff that changes the cells around the kanji.
    func testFlushedFrameKeepsColumnsAfterWideCharacters() {
        let encoder = FrameEncoder(capabilities: TerminalCapabilities(graphicsProtocol: .blocks, colorDepth: .trueColor), theme: .dark)
        var terminal = TextTerminal(columns: 30, rows: 3)
        var a = Screen(columns: 30, rows: 3)
        a.put("山田 太郎 | 2026-01-02 | CT", row: 0, column: 0)
        a.put("abcdefghij", row: 1, column: 0)
        a.put("a홍길동", row: 2, column: 28)       // a wide char at the right edge: padded, not wrapped
        terminal.feed(encoder.encode(a, theme: .dark))
        for r in 0 ..< 3 { XCTAssertEqual(terminal.line(r), a.line(r), "full frame row \(r)") }

        var b = Screen(columns: 30, rows: 3)
        b.put("山本 太郎 | 2026-01-03 | MR", row: 0, column: 0)
        b.put("ab中国ghij", row: 1, column: 0)
        b.put("x", row: 2, column: 28)
        terminal.feed(encoder.encode(b, theme: .dark))
        for r in 0 ..< 3 { XCTAssertEqual(terminal.line(r), b.line(r), "diff row \(r)") }
    }
}

/// A terminal that understands just enough: CSI row;col H, SGR (ignored), UTF-8 text where a
/// wide scalar fills two cells (the standard terminal behaviour the encoder must match).
struct TextTerminal {
    let columns: Int
    var grid: [[String]]
    var row = 0, column = 0

    init(columns: Int, rows: Int) {
        self.columns = columns
        grid = Array(repeating: Array(repeating: " ", count: columns), count: rows)
    }

    mutating func feed(_ bytes: [UInt8]) {
        let text = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        var i = 0
        while i < text.count {
            if text[i] == "\u{1B}", i + 1 < text.count, text[i + 1] == "[" {
                var j = i + 2
                while j < text.count, !(0x40 ... 0x7E).contains(text[j].value) { j += 1 }
                if j < text.count, text[j] == "H" {
                    let p = String(String.UnicodeScalarView(text[(i + 2) ..< j])).split(separator: ";").compactMap { Int($0) }
                    row = (p.first ?? 1) - 1; column = (p.count > 1 ? p[1] : 1) - 1
                }
                i = j + 1
                continue
            }
            let w = DisplayWidth.of(text[i])
            if row < grid.count, column + w <= columns {
                // Overwriting half of a wide character erases all of it, as terminals do.
                if grid[row][column] == "" , column > 0 { grid[row][column - 1] = " " }
                grid[row][column] = String(text[i])
                if w == 2 { grid[row][column + 1] = "" }
                if column + w < columns, grid[row][column + w] == "" { grid[row][column + w] = " " }
            }
            column += w
            i += 1
        }
    }

    func line(_ r: Int) -> String {
        var s = grid[r].joined()
        while s.last == " " { s.removeLast() }
        return s
    }
}
