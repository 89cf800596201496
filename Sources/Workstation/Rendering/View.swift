import TerminalGraphics

/// Draws the whole state into an in-memory screen. Pure: the same state gives the same screen.
public func view(_ state: AppState) -> Screen {
    var screen = Screen(columns: state.columns, rows: state.rows)
    guard state.columns >= 20, state.rows >= 6 else {
        screen.put("too small: \(state.columns)×\(state.rows)", row: 0, column: 0, style: .warning)
        return screen
    }
    switch state.mode {
    case .worklist: WorklistView.draw(state, into: &screen)
    case .viewer: ViewerView.draw(state, into: &screen)
    }
    switch state.modal {
    case .help?:
        screen.images = []
        HelpView.draw(state, into: &screen)
    case .tags(let lines, let scroll)?:
        screen.images = []
        TagBrowserView.draw(lines: lines, scroll: scroll, into: &screen)
    case .prompt(let p)?: StatusLine.drawPrompt(p, state: state, into: &screen)
    case .report(let title, let lines)?:
        screen.images = []
        ReportView.draw(title: title, lines: lines, into: &screen)
    case .reportEditor(let editor)?:
        screen.images = []
        ReportEditorView.draw(editor, state: state, into: &screen)
    case nil: break
    }
    return screen
}

/// Text helpers shared by the views.
enum Text {
    /// `s` cut or padded to exactly `width` cells (display width: a kanji takes two).
    static func fit(_ s: String, _ width: Int) -> String { TerminalText.fit(s, width) }

    /// Cells `s` takes on the screen.
    static func width(_ s: String) -> Int { TerminalText.width(s) }

    /// The longest prefix of `s` that fits in `width` cells.
    static func prefix(_ s: String, _ width: Int) -> String { String(TerminalText.prefix(s, fitting: max(0, width)).text) }

    /// DICOM date YYYYMMDD as YYYY-MM-DD.
    static func date(_ d: String) -> String {
        let c = Array(d)
        guard c.count == 8, c.allSatisfy(\.isNumber) else { return TextSanitizer.sanitize(d) }
        return "\(String(c[0 ..< 4]))-\(String(c[4 ..< 6]))-\(String(c[6 ..< 8]))"
    }

    static func percent(_ p: Double?) -> String { p.map { "\(Int(($0 * 100).rounded()))%" } ?? "-" }
}
