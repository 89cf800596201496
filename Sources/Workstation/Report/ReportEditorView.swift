import TerminalGraphics

/// The report editor, full screen: a title, the text with the cursor, and the keys.
enum ReportEditorView {
    /// Rows the text gets (title, blank, keys line taken off).
    static func textRows(_ state: AppState) -> Int { max(1, state.rows - 3) }

    static func draw(_ editor: ReportEditor, state: AppState, into screen: inout Screen) {
        screen.fill(row: 0, column: 0, rows: screen.rows, columns: screen.columns, style: .normal)
        screen.fill(row: 0, column: 0, rows: 1, columns: screen.columns, style: .header)
        let who = state.currentEntry.map { state.patientLabel($0) } ?? ""
        screen.put(Text.prefix("Report — \(who)", screen.columns - 2), row: 0, column: 1, style: .header)
        let width = max(1, screen.columns - 2)
        var e = editor
        let height = textRows(state)
        e.scroll(toShow: height)
        for k in 0 ..< height {
            let i = e.top + k
            guard i < e.lines.count else { break }
            var line = Substring(e.lines[i])
            var cursorColumn = 0
            if i == e.row {
                // The cursor's line scrolls sideways so the cursor stays on screen.
                var before = line.prefix(e.column)
                while Text.width(String(before)) >= width, !before.isEmpty { before = before.dropFirst(); line = line.dropFirst() }
                cursorColumn = Text.width(String(before))
                screen.cursor = (2 + k, 1 + cursorColumn)
            }
            let style: Style = e.lines[i].uppercased() == "FINDINGS:" || e.lines[i].uppercased() == "IMPRESSION:" ? .accent : .normal
            screen.put(Text.prefix(String(line), width), row: 2 + k, column: 1, style: style)
        }
        screen.put(Text.prefix("Type to edit · Enter new line · Bksp/Del · arrows Home End PgUp PgDn · Esc keep draft & close · F2 keep & sign off",
                               screen.columns - 2), row: screen.rows - 1, column: 1, style: .dim)
    }
}
