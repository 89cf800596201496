/// One terminal cell: a glyph (a Unicode scalar) drawn in `foreground` over `background`.
///
/// Uniform cells are stored as a space whose `foreground == background`; the writer may send
/// them as a full block instead when that saves an SGR change.
///
/// A wide character (kanji, hangul; see ``DisplayWidth``) takes two cells: its glyph in the left
/// one and ``continuationGlyph`` in the right one, with the same colours. Writers send nothing
/// for a continuation cell: the terminal's cursor already moved two columns.
public struct Cell: Hashable, Sendable {
    public var glyph: UInt32
    public var foreground: CellColor
    public var background: CellColor

    @inline(__always)
    public init(glyph: UInt32, foreground: CellColor, background: CellColor) {
        self.glyph = glyph; self.foreground = foreground; self.background = background
    }

    /// A cell showing one colour everywhere.
    @inline(__always)
    public static func uniform(_ color: CellColor) -> Cell {
        Cell(glyph: 0x20, foreground: color, background: color)
    }

    /// The glyph of the right half of a wide character (U+0000, which text never draws).
    public static let continuationGlyph: UInt32 = 0

    public var isContinuation: Bool { glyph == Self.continuationGlyph }

    public static let blank = Cell(glyph: 0x20, foreground: .terminalDefault, background: .terminalDefault)
}
