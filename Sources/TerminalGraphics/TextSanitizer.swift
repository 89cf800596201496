/// Makes untrusted text (DICOM strings, labels, file names) safe to draw in a terminal.
///
/// Removes C0 controls (U+0000–U+001F, including ESC, CR, LF and TAB), DEL, C1 controls
/// (U+0080–U+009F, which some terminals honour as CSI/OSC/DCS introducers), the Unicode bidi
/// embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F,
/// U+061C — "Trojan Source" reordering) and line/paragraph separators. Tabs and newlines
/// become a single space so that field boundaries stay visible; everything else is dropped.
public enum TextSanitizer {
    public static func sanitize(_ text: String) -> String {
        // Most text is clean: returned as it is, without building a copy scalar by scalar (a
        // worklist sanitises every study's patient at once).
        if isClean(text) { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let v = s.value
            if v == 0x09 || v == 0x0A || v == 0x0D { out.append(" "); continue }
            if isUnsafe(v) { continue }
            out.append(s)
        }
        return String(out)
    }

    @inline(__always)
    static func isUnsafe(_ v: UInt32) -> Bool {
        v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C || v == 0x2028 || v == 0x2029
    }

    /// True when `text` needs no sanitising.
    public static func isClean(_ text: String) -> Bool {
        !text.unicodeScalars.contains { isUnsafe($0.value) }
    }
}
