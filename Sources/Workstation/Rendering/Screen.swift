import TerminalGraphics

/// One text cell of the in-memory screen. A wide character (see `TerminalText`) takes two: its
/// cell, then a continuation cell that stands for its right half and is never drawn on its own.
public struct ScreenCell: Equatable, Sendable {
    public var character: Character
    public var style: Style
    /// The right half of the wide character in the cell to the left.
    public var isContinuation = false

    public init(character: Character, style: Style) { self.character = character; self.style = style }

    public static let blank = ScreenCell(character: " ", style: .normal)

    static func continuation(_ style: Style) -> ScreenCell {
        var cell = ScreenCell(character: " ", style: style)
        cell.isContinuation = true
        return cell
    }
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
    ///
    /// Cells follow `TerminalText`: control characters draw as "?", a wide character takes two
    /// cells, and one that would straddle the limit (or the left edge) is not drawn by halves: its
    /// visible cell is padded with a space instead. Writing over half of a wide character already
    /// on the screen blanks its other half, so the grid never holds half a character.
    public mutating func put(_ text: String, row: Int, column: Int, style: Style = .normal, width: Int? = nil) {
        guard row >= 0, row < rows else { return }
        let limit = min(columns, column + (width ?? columns))
        var c = column
        for ch in text {
            if c >= limit { break }
            guard let (scalar, w) = TerminalText.glyph(ch) else { continue }
            if c + w > limit || c < 0 {
                // Straddles the limit or the left edge: pad what is visible of it.
                var x = max(0, c)
                while x < min(limit, c + w) { set(row, x, ScreenCell(character: " ", style: style)); x += 1 }
                if c + w > limit { break }
            } else {
                set(row, c, ScreenCell(character: Character(scalar), style: style))
                if w == 2 { set(row, c + 1, .continuation(style)) }
            }
            c += w
        }
    }

    /// Fills a rectangle with a one-cell `character`.
    public mutating func fill(row: Int, column: Int, rows h: Int, columns w: Int, style: Style, character: Character = " ") {
        let cell = ScreenCell(character: character, style: style)
        for r in max(0, row) ..< min(rows, row + h) {
            for c in max(0, column) ..< min(columns, column + w) { set(r, c, cell) }
        }
    }

    /// Puts `cell` at (row, column), in range, first blanking the other half of a wide character
    /// it overwrites half of (a continuation `cell` is written right after its left half).
    private mutating func set(_ row: Int, _ column: Int, _ cell: ScreenCell) {
        let i = row * columns + column
        if cells[i].isContinuation, column > 0, !cell.isContinuation {
            cells[i - 1].character = " "
        }
        if column + 1 < columns, cells[i + 1].isContinuation {
            cells[i + 1] = ScreenCell(character: " ", style: cells[i + 1].style)
        }
        cells[i] = cell
    }

    /// A row as a string with trailing spaces trimmed; a wide character appears once.
    public func line(_ row: Int) -> String {
        guard row >= 0, row < rows else { return "" }
        var s = String(cells[row * columns ..< (row + 1) * columns].filter { !$0.isContinuation }.map(\.character))
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
