import Foundation

/// Text as a cell grid draws it: one Unicode scalar per cell, one or two cells wide.
///
/// A cell holds a single scalar (``Cell/glyph``), so a character (grapheme cluster) is first
/// composed (NFC: a decomposed "か" + U+3099 becomes "が") and then drawn as its first scalar that
/// takes room; marks that do not compose are dropped rather than sent, so the terminal's cursor
/// moves exactly as the layout expects. Layout code measures with ``width(_:)`` and cuts with
/// ``prefix(_:fitting:)``, which follow the same rule as the drawing, so columns stay aligned.
public enum TerminalText {
    /// What `character` draws as: the scalar to send and its width (1 or 2), or nil when it takes
    /// no cell (a lone combining mark, a format or bidi control). C0/C1 control characters draw as
    /// "?", so text from files never reaches the terminal as a control sequence.
    public static func glyph(_ character: Character) -> (scalar: Unicode.Scalar, width: Int)? {
        if let a = character.asciiValue { return a < 0x20 || a == 0x7F ? ("?", 1) : (Unicode.Scalar(a), 1) }
        var scalars = character.unicodeScalars
        if scalars.contains(where: { isControl($0.value) }) { return ("?", 1) }
        if scalars.count > 1 {
            let composed = String(character).precomposedStringWithCanonicalMapping
            if composed.unicodeScalars.count == 1 { scalars = composed.unicodeScalars }
        }
        for s in scalars where !TextSanitizer.isUnsafe(s.value) {
            let w = DisplayWidth.of(s)
            if w > 0 { return (s, w) }
        }
        return nil
    }

    /// Cells `text` takes when drawn.
    public static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + (glyph($1)?.width ?? 0) }
    }

    /// The longest prefix of `text` that fits in `cells`, and the cells it takes. A wide character
    /// that would straddle the limit is left out; the caller pads the cell it leaves.
    public static func prefix(_ text: String, fitting cells: Int) -> (text: Substring, width: Int) {
        var used = 0
        var end = text.startIndex
        for i in text.indices {
            let w = glyph(text[i])?.width ?? 0
            if used + w > cells { break }
            used += w
            end = text.index(after: i)
        }
        return (text[..<end], used)
    }

    /// `text` cut or padded with spaces to exactly `cells` cells; a cut ends in "…".
    public static func fit(_ text: String, _ cells: Int) -> String {
        guard cells > 0 else { return "" }
        let w = width(text)
        if w <= cells { return text + String(repeating: " ", count: cells - w) }
        let (head, used) = prefix(text, fitting: cells - 1)
        return head + "…" + String(repeating: " ", count: cells - 1 - used)
    }

    /// C0 controls, DEL and C1 controls.
    @inline(__always)
    static func isControl(_ v: UInt32) -> Bool { v < 0x20 || (0x7F...0x9F).contains(v) }
}
