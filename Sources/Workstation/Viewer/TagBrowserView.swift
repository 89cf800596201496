/// `t`: the current image's data set, dcmdump-style, scrollable (j/k, PgUp/PgDn; other keys close).
enum TagBrowserView {
    static func draw(lines: [String], scroll: Int, into screen: inout Screen) {
        screen.fill(row: 0, column: 0, rows: screen.rows, columns: screen.columns, style: .normal)
        screen.put("DICOM tags (\(lines.count) lines) — j/k scroll, any other key closes", row: 0, column: 1, style: .header)
        for (i, line) in lines.dropFirst(scroll).prefix(max(0, screen.rows - 1)).enumerated() {
            screen.put(line, row: 1 + i, column: 1)
        }
    }
}
