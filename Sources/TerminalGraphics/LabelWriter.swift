import ByteWriting

/// Writes ``PlacedLabel``s as terminal text next to (over) an image drawn at a screen origin.
///
/// Text is sanitised again here (a label may have been built by hand) and truncated at the
/// right edge given by `maxColumn`, by display width. With ``ColorDepth/none`` there is no cursor addressing, so
/// labels become a plain legend, one per line, after the image.
public enum LabelWriter {
    public static func bytes(for labels: [PlacedLabel], originRow: Int, originColumn: Int,
                             maxColumn: Int = Int.max, depth: ColorDepth, theme: Theme = .dark) -> [UInt8] {
        var out = ByteWriter()
        for label in labels {
            let text = TextSanitizer.sanitize(label.text)
            if depth == .none {
                out.appendUTF8("[\(label.column),\(label.row)] \(text)\n"); continue
            }
            let column = originColumn + label.column
            let room = maxColumn - column + 1
            guard room > 0 else { continue }
            CellCanvas.appendCursorPosition(row: originRow + label.row, column: column, into: &out)
            var writer = SGRWriter(depth: depth)
            let q = ColorQuantizer(depth: depth)
            let fg = q.quantize(Float(label.color.r), Float(label.color.g), Float(label.color.b), x: 0, y: 0)
            let bg = q.quantize(Float(theme.background.r), Float(theme.background.g), Float(theme.background.b), x: 0, y: 0)
            // Display width, not scalars: a kanji takes two cells and one that would cross the
            // right edge is left out.
            var used = 0
            for character in text {
                guard let (scalar, width) = TerminalText.glyph(character) else { continue }
                if used + width > room { break }
                writer.write(Cell(glyph: scalar.value, foreground: fg, background: bg), into: &out)
                used += width
            }
            writer.reset(into: &out)
        }
        return out.bytes
    }
}
