import TerminalGraphics

/// One text cell of the in-memory screen.
public struct ScreenCell: Equatable, Sendable {
    public var character: Character
    public var style: Style
    public static let blank = ScreenCell(character: " ", style: .normal)
}

/// An image to draw at a cell rectangle after the text: already windowed, cropped and with its
/// overlays, so the backend only encodes it for the terminal's protocol.
public struct ImagePlacement: Sendable {
    public var row: Int
    public var column: Int
    public var columns: Int
    public var rows: Int
    public var image: RGBImage
    public var overlays: [Overlay]
}

/// The whole frame the view produces: a grid of text cells plus image placements (ratatui's
/// buffer). Tests snapshot it; the ncurses backend draws it. Writes outside the grid are clipped,
/// never trapped on.
public struct Screen: Sendable {
    public let columns: Int
    public let rows: Int
    public private(set) var cells: [ScreenCell]
    public var images: [ImagePlacement] = []
    /// Where the terminal cursor should rest (prompts), if anywhere.
    public var cursor: (row: Int, column: Int)?

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns); self.rows = max(0, rows)
        cells = Array(repeating: .blank, count: self.columns * self.rows)
    }

    public subscript(row: Int, column: Int) -> ScreenCell {
        guard row >= 0, row < rows, column >= 0, column < columns else { return .blank }
        return cells[row * columns + column]
    }

    /// Writes `text` from (row, column), at most `width` cells (default: to the right edge).
    /// Control characters are replaced; wide characters take one cell here (the backend pads).
    public mutating func put(_ text: String, row: Int, column: Int, style: Style = .normal, width: Int? = nil) {
        guard row >= 0, row < rows else { return }
        let limit = min(columns, column + (width ?? columns))
        var c = column
        for ch in text {
            if c >= limit { break }
            if c >= 0 {
                let printable = ch.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && !(0x80 ..< 0xA0).contains($0.value) }
                // Double-width characters would shift the rest of the row: one cell, one column.
                let safe: Character = printable && !Self.isWide(ch) ? ch : "?"
                cells[row * columns + c] = ScreenCell(character: safe, style: style)
            }
            c += 1
        }
    }

    /// East Asian wide and emoji ranges (two terminal columns).
    static func isWide(_ ch: Character) -> Bool {
        guard let v = ch.unicodeScalars.first?.value else { return false }
        return (0x1100 ... 0x115F).contains(v) || (0x2E80 ... 0xA4CF).contains(v) || (0xAC00 ... 0xD7A3).contains(v)
            || (0xF900 ... 0xFAFF).contains(v) || (0xFE30 ... 0xFE4F).contains(v) || (0xFF00 ... 0xFF60).contains(v)
            || (0xFFE0 ... 0xFFE6).contains(v) || (0x1F300 ... 0x1FAFF).contains(v) || (0x20000 ... 0x3FFFD).contains(v)
    }

    /// Fills a rectangle.
    public mutating func fill(row: Int, column: Int, rows h: Int, columns w: Int, style: Style, character: Character = " ") {
        for r in max(0, row) ..< min(rows, row + h) {
            for c in max(0, column) ..< min(columns, column + w) { cells[r * columns + c] = ScreenCell(character: character, style: style) }
        }
    }

    /// A row as a string with trailing spaces trimmed.
    public func line(_ row: Int) -> String {
        guard row >= 0, row < rows else { return "" }
        var s = String(cells[row * columns ..< (row + 1) * columns].map(\.character))
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Every row joined by newlines; image areas appear as `░` so a snapshot shows where they are.
    public func snapshot() -> String {
        var copy = self
        for p in images { copy.fill(row: p.row, column: p.column, rows: p.rows, columns: p.columns, style: .normal, character: "░") }
        return (0 ..< rows).map { copy.line($0) }.joined(separator: "\n")
    }

    /// Whether any row contains `text`.
    public func contains(_ text: String) -> Bool { (0 ..< rows).contains { line($0).contains(text) } }
}
