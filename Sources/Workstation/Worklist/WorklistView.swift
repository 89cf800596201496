import Review
import TerminalGraphics

/// Where the worklist's rows start (mouse clicks map back through it).
enum WorklistLayout {
    static let headerRow = 2
    static let firstRow = 3
}

/// The worklist: one row per study with priority, patient, date, modality, description, images,
/// AI status and review status.
enum WorklistView {
    static func draw(_ state: AppState, into screen: inout Screen) {
        var title = "Lightbox worklist — reader \(TextSanitizer.sanitize(state.reader))" + (state.deidentify ? " — de-identified" : "")
        if state.workflow == .secondReader { title += " — SECOND READER (AI hidden until you reveal it; I statistics)" }
        if state.workflow == .arbitration { title += " — ARBITRATION of reader/AI discordances (I statistics)" }
        screen.fill(row: 0, column: 0, rows: 1, columns: screen.columns, style: .header)
        screen.put(title, row: 0, column: 1, style: .header)
        let info = "sort: \(state.sort.rawValue)  filter: \(state.filter.rawValue)" + (state.search.isEmpty ? "" : "  search: \(TextSanitizer.sanitize(state.search))")
        screen.put(info, row: 1, column: 1, style: .dim)

        let widths = columnWidths(screen.columns)
        let headers = ["PRI", "PATIENT", "DATE", "MOD", "DESCRIPTION", "IMG", "AI", "REVIEW"]
        var x = 1
        for (h, w) in zip(headers, widths) { screen.put(Text.fit(h, w), row: WorklistLayout.headerRow, column: x, style: .accent); x += w + 1 }

        let visible = state.visibleOrder
        if state.entries.isEmpty {
            screen.put("No studies found. Run `lightbox open PATH` with folders of DICOM files.", row: WorklistLayout.firstRow, column: 1, style: .dim)
        } else if visible.isEmpty {
            screen.put("No study matches the filter or search (f: filter, /: search, Esc: clear).", row: WorklistLayout.firstRow, column: 1, style: .dim)
        }
        let maxRows = max(0, screen.rows - WorklistLayout.firstRow - 1)
        let selection = min(state.worklistSelection, max(0, visible.count - 1))
        let top = max(0, selection - maxRows + 1)
        for (i, position) in visible.enumerated().dropFirst(top).prefix(maxRows) {
            let e = state.entries[position]
            let row = WorklistLayout.firstRow + i - top
            let selected = i == selection
            let h = e.study.first
            let blinded = state.isBlinded(e.uid)
            let ai = blinded ? "AI: hidden until reveal" : "AI: " + e.ai.text
            let review = state.discordanceQueue.contains(e.uid) && state.workflow == .arbitration ? "discordant" : e.review.rawValue
            // On a shared store: who else has the study open (reader names, never patient data).
            let reading = (state.readingElsewhere[e.uid].map { "[reading: \(TextSanitizer.sanitize($0.joined(separator: ", ")))] " } ?? "")
                + (state.resultsPending[e.uid].map { "[\(TextSanitizer.sanitize($0))] " } ?? "")
            let cells = [blinded ? "screen" : e.priority, state.patientLabel(e), state.deidentify ? "—" : Text.date(h.studyDate),
                         e.study.modalities.joined(separator: "/"), reading + (state.deidentify ? "—" : state.shownDescription(h.studyDescription)),
                         String(e.study.instanceCount), ai, review]
            if selected { screen.fill(row: row, column: 0, rows: 1, columns: screen.columns, style: .selected) }
            var x = 1
            for (k, (text, w)) in zip(cells, widths).enumerated() {
                var style: Style = selected ? .selected : .normal
                if !selected {
                    if k == 0, e.priority != "routine", !blinded { style = .warning }
                    if k == 6, let r = e.highestRisk, !blinded { style = .risk(r) }
                    if k == 6, case .notRun = e.ai { style = .dim }
                    if k == 7 { style = e.review == .signed ? .dim : e.review == .inProgress ? .accent : .normal }
                }
                screen.put(Text.fit(text, w), row: row, column: x, style: style)
                x += w + 1
            }
        }
        StatusLine.draw(state, into: &screen,
                        left: "\(visible.count)/\(state.entries.count) studies"
                            + (state.worklistUnverified ? " (as last indexed; checking the files)" : "") + "  Enter open  / search  s sort  f filter  ? keys  Q quit")
    }

    /// Column widths for a screen `total` cells wide; description and AI take what is left.
    static func columnWidths(_ total: Int) -> [Int] {
        let patient = total >= 140 ? 30 : 22
        let fixed = [7, patient, 10, 6, 0, 4, 0, 11]
        let rest = max(16, total - 2 - fixed.reduce(0, +) - fixed.count)
        let description = max(10, rest - 34)
        return [7, patient, 10, 6, description, 4, max(6, rest - description), 11]
    }
}
