import XCTest
@testable import TerminalGraphics

/// The cell-width rule (East Asian Width W/F = 2, combining and format = 0, else 1) and how text
/// is measured, cut and padded with it.
final class DisplayWidthTests: XCTestCase {
    func testScalarWidthsFollowEastAsianWidth() {
        let cases: [(UInt32, Int, String)] = [
            (0x41, 1, "A"), (0xE9, 1, "é precomposed"), (0x0416, 1, "Cyrillic Ж"),
            (0x5C71, 2, "山 CJK ideograph"), (0x3042, 2, "あ hiragana"), (0x30A2, 2, "ア katakana"),
            (0xFF76, 1, "ｶ halfwidth katakana"), (0xFF21, 2, "Ａ fullwidth Latin"), (0x3000, 2, "ideographic space"),
            (0xAC00, 2, "가 hangul syllable"), (0x1100, 2, "hangul leading jamo"), (0x1161, 0, "hangul medial jamo"),
            (0x4E2D, 2, "中"), (0x20BB7, 2, "𠮷 plane 2"), (0x1F600, 2, "😀 emoji presentation"),
            (0x2764, 1, "❤ text presentation"), (0x00B1, 1, "± ambiguous → narrow"),
            (0x0301, 0, "combining acute"), (0x3099, 0, "combining dakuten"), (0x200B, 0, "zero width space"),
            (0x200D, 0, "zero width joiner"), (0xFE0F, 0, "variation selector 16"), (0x00AD, 1, "soft hyphen"),
        ]
        for (v, w, what) in cases {
            XCTAssertEqual(DisplayWidth.of(Unicode.Scalar(v)!), w, what)
        }
    }

    func testTableIsSortedAndDisjoint() {
        for table in [DisplayWidthTable.wide, DisplayWidthTable.zero] {
            for (a, b) in zip(table, table.dropFirst()) { XCTAssertLessThan(a.upperBound, b.lowerBound, "\(a) \(b)") }
        }
    }

    func testStringWidthCountsWhatTheScreenDraws() {
        XCTAssertEqual(TerminalText.width("Yamada Tarou"), 12)
        XCTAssertEqual(TerminalText.width("山田 太郎"), 9)
        XCTAssertEqual(TerminalText.width("홍길동"), 6)
        XCTAssertEqual(TerminalText.width("e\u{301}"), 1, "a combining mark shares its base's cell")
        XCTAssertEqual(TerminalText.width("\u{202E}abc"), 3, "bidi override takes no cell")
        XCTAssertEqual(TerminalText.width("a\u{1B}b"), 3, "ESC draws as ?")
    }

    func testGlyphSanitisesAndComposes() {
        XCTAssertEqual(TerminalText.glyph("\u{1B}")?.scalar, "?")
        XCTAssertEqual(TerminalText.glyph("\u{9B}")?.scalar, "?", "C1 CSI")
        XCTAssertEqual(TerminalText.glyph("\r\n")?.scalar, "?")
        XCTAssertNil(TerminalText.glyph("\u{200F}"), "bidi mark: no cell")
        XCTAssertNil(TerminalText.glyph("\u{301}"), "lone combining mark: no cell")
        XCTAssertEqual(TerminalText.glyph("か\u{3099}")?.scalar, "が", "decomposed kana composes")
        XCTAssertEqual(TerminalText.glyph("か\u{3099}")?.width, 2)
        XCTAssertEqual(TerminalText.glyph("e\u{301}")?.scalar, "é")
    }

    func testPrefixNeverCutsAWideCharacterInHalf() {
        XCTAssertEqual(TerminalText.prefix("山田太郎", fitting: 5).text, "山田")
        XCTAssertEqual(TerminalText.prefix("山田太郎", fitting: 5).width, 4)
        XCTAssertEqual(TerminalText.prefix("a山", fitting: 2).text, "a")
        XCTAssertEqual(TerminalText.prefix("山", fitting: 1).text, "")
        XCTAssertEqual(TerminalText.prefix("abc", fitting: 0).text, "")
    }

    func testFitPadsToExactDisplayWidth() {
        XCTAssertEqual(TerminalText.fit("山田", 6), "山田  ")
        XCTAssertEqual(TerminalText.fit("山田太郎", 7), "山田太…")
        XCTAssertEqual(TerminalText.fit("山田太郎", 6), "山田… ", "the cell a kanji cannot fill is padded")
        XCTAssertEqual(TerminalText.fit("Yamada", 4), "Yam…")
        for n in 1 ... 10 { XCTAssertEqual(TerminalText.width(TerminalText.fit("山田^太郎 やまだ", n)), n, "fit to \(n)") }
    }

    func testContinuationCellsSendNothing() {
        var writer = SGRWriter(depth: .none)
        var out: [UInt8] = []
        writer.write(Cell(glyph: 0x5C71, foreground: .terminalDefault, background: .terminalDefault), into: &out)
        writer.write(Cell(glyph: Cell.continuationGlyph, foreground: .terminalDefault, background: .terminalDefault), into: &out)
        writer.write(Cell(glyph: 0x78, foreground: .terminalDefault, background: .terminalDefault), into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "山x")
    }
}
