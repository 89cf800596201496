import TerminalGraphics

/// A small line-based text editor for the report: the text as lines, a cursor (line and
/// character), and the first line shown. Typing inserts at the cursor, Enter splits the line,
/// Backspace joins lines at a line's start, the arrows, Home/End and PgUp/PgDn move. Positions
/// count characters (a kanji is one); the view turns them into cells with the display width, as
/// the prompt line does.
public struct ReportEditor: Sendable, Equatable {
    public private(set) var lines: [String]
    /// Cursor: line index and character index within the line (0 … count).
    public private(set) var row = 0
    public private(set) var column = 0
    /// First line shown (kept so the cursor is on screen by `scroll(toShow:)`).
    var top = 0

    /// More than any report needs; keeps a stuck key from growing the text without end.
    public static let maximumCharacters = 20_000

    /// The lines of `text`, sanitised (labels in a draft come from models and DICOM files).
    public init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { TextSanitizer.sanitize(String($0)) }
        if lines.isEmpty { lines = [""] }
    }

    public var text: String { lines.joined(separator: "\n") }

    var characterCount: Int { lines.reduce(lines.count - 1) { $0 + $1.count } }

    /// Inserts `c` at the cursor. Control and bidi-override characters are refused: the text is
    /// drawn in the terminal and saved in the report.
    public mutating func insert(_ c: Character) {
        guard characterCount < Self.maximumCharacters, TextSanitizer.sanitize(String(c)) == String(c) else { return }
        var chars = Array(lines[row])
        chars.insert(c, at: column)
        lines[row] = String(chars)
        column += 1
    }

    /// Enter: the rest of the line becomes a new line below.
    public mutating func newline() {
        guard characterCount < Self.maximumCharacters else { return }
        let chars = Array(lines[row])
        lines[row] = String(chars[..<column])
        lines.insert(String(chars[column...]), at: row + 1)
        row += 1
        column = 0
    }

    /// Backspace: the character before the cursor, or at a line's start the line break before it.
    public mutating func backspace() {
        if column > 0 {
            var chars = Array(lines[row])
            chars.remove(at: column - 1)
            lines[row] = String(chars)
            column -= 1
        } else if row > 0 {
            let line = lines.remove(at: row)
            row -= 1
            column = lines[row].count
            lines[row] += line
        }
    }

    /// Delete: the character under the cursor, or at a line's end the line break after it.
    public mutating func deleteForward() {
        if column < lines[row].count {
            var chars = Array(lines[row])
            chars.remove(at: column)
            lines[row] = String(chars)
        } else if row + 1 < lines.count {
            lines[row] += lines.remove(at: row + 1)
        }
    }

    public enum Motion: Sendable { case left, right, up, down, lineStart, lineEnd, pageUp(Int), pageDown(Int) }

    /// Moves the cursor; up and down keep the column where the line is long enough.
    public mutating func move(_ m: Motion) {
        switch m {
        case .left:
            if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
        case .right:
            if column < lines[row].count { column += 1 } else if row + 1 < lines.count { row += 1; column = 0 }
        case .up: if row > 0 { row -= 1; column = min(column, lines[row].count) }
        case .down: if row + 1 < lines.count { row += 1; column = min(column, lines[row].count) }
        case .lineStart: column = 0
        case .lineEnd: column = lines[row].count
        case .pageUp(let n): row = max(0, row - max(1, n)); column = min(column, lines[row].count)
        case .pageDown(let n): row = min(lines.count - 1, row + max(1, n)); column = min(column, lines[row].count)
        }
    }

    /// Keeps the cursor's line within `height` shown lines.
    mutating func scroll(toShow height: Int) {
        let h = max(1, height)
        if row < top { top = row }
        if row >= top + h { top = row - h + 1 }
    }
}
