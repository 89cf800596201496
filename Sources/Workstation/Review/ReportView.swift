/// A full-screen page of text (screening statistics, a teaching session's summary); any key closes it.
enum ReportView {
    static func draw(title: String, lines: [String], into screen: inout Screen) {
        screen.fill(row: 0, column: 0, rows: screen.rows, columns: screen.columns, style: .normal)
        screen.fill(row: 0, column: 0, rows: 1, columns: screen.columns, style: .header)
        screen.put(title, row: 0, column: 1, style: .header)
        var row = 2
        for line in lines {
            for part in Text.wrap(line, max(10, screen.columns - 4)) {
                guard row < screen.rows - 1 else { break }
                screen.put(part, row: row, column: 2)
                row += 1
            }
        }
        screen.put("Any key closes · Q quits", row: screen.rows - 1, column: 1, style: .dim)
    }
}

extension Text {
    /// `s` broken into lines of at most `width` cells at spaces (long words are cut), measured
    /// in display width.
    static func wrap(_ s: String, _ width: Int) -> [String] {
        guard width > 0 else { return [] }
        if s.isEmpty { return [""] }
        var lines: [String] = []
        var current = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: true) {
            var w = String(word)
            while Text.width(w) > width {
                if !current.isEmpty { lines.append(current); current = "" }
                // At least one character per line, so a width-1 wrap of a kanji still ends.
                var head = Text.prefix(w, width)
                if head.isEmpty, let first = w.first { head = String(first) }
                lines.append(head)
                w = String(w.dropFirst(head.count))
            }
            if current.isEmpty { current = w }
            else if Text.width(current) + 1 + Text.width(w) <= width { current += " " + w }
            else { lines.append(current); current = w }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
