import Analysis
import Review

extension AppState {
    /// The findings the reader kept, as the report draft takes them: AI findings accepted or
    /// corrected (with the corrected label, risk and diameter), rejected ones marked so, and the
    /// reader's own marks. Undecided AI findings are left out: the reader has not stood behind them.
    var reviewedFindingsForReport: [ReviewedFinding] {
        guard let v = viewer else { return [] }
        return findings.compactMap { f in
            let d = v.review.decisions[f.key]
            var r: ReviewedFinding
            if f.origin == .reader { r = ReviewedFinding(f, outcome: .addedByReader, reader: reader) }
            else {
                guard let d else { return nil }
                r = ReviewedFinding(f, outcome: d.kind == .reject ? .rejected : d.kind == .correct ? .corrected : .accepted, reader: reader)
            }
            if d?.kind == .reject { r.outcome = .rejected }
            if d?.kind == .correct, let c = d?.correction {
                if let l = c.label { r.proposedLabel = r.label; r.label = l }
                if let k = c.risk.flatMap(RiskLevel.init(rawValue:)) { r.proposedRisk = r.risk; r.risk = k }
                if let mm = c.diameterMM { r.proposedDiameterMM = r.diameterMM; r.diameterMM = mm }
            }
            return r
        }
    }

    /// A fresh draft from the kept findings.
    var reportDraft: ReportText {
        let h = currentEntry?.study.first
        return ReportDraft.make(reviewedFindingsForReport,
                                study: ReportDraft.Study(modality: h?.modality ?? "", description: h?.studyDescription ?? "",
                                                         bodyPart: h?.bodyPart ?? ""))
    }
}

/// `d`: opens the report editor on the reader's text, else the saved report, else a fresh draft.
func openReportEditor(_ state: inout AppState) -> [Effect] {
    guard let v = state.viewer else { return [] }
    if state.teaching != nil || state.workflow != .standard {
        state.message = "Reports are written in the standard reading workflow"
        return []
    }
    let text = v.report.current ?? state.reportDraft
    state.modal = .reportEditor(ReportEditor(text: text.text))
    return []
}

/// Keys while the report editor is open. Esc keeps the text (a new row in the store when it
/// changed) and closes; F2 keeps it and goes on to the sign-off, which signs it.
func updateReportEditor(_ state: inout AppState, _ editor: ReportEditor, _ key: Key) -> [Effect] {
    var e = editor
    let page = max(1, state.rows - 4)
    switch key {
    case .char(let c): e.insert(c)
    case .enter: e.newline()
    case .backspace: e.backspace()
    case .delete: e.deleteForward()
    case .left: e.move(.left)
    case .right: e.move(.right)
    case .up: e.move(.up)
    case .down: e.move(.down)
    case .home: e.move(.lineStart)
    case .end: e.move(.lineEnd)
    case .pageUp: e.move(.pageUp(page))
    case .pageDown: e.move(.pageDown(page))
    case .escape, .function(2):
        state.modal = nil
        let effects = keepReport(&state, ReportText(parsing: e.text))
        if key == .function(2) { return effects + performReview(&state, .signOff) }
        return effects
    default: break
    }
    e.scroll(toShow: ReportEditorView.textRows(state))
    state.modal = .reportEditor(e)
    return []
}

/// Keeps the edited text for this study; saves it as a draft row when it differs from the text in force.
func keepReport(_ state: inout AppState, _ text: ReportText) -> [Effect] {
    guard let v = state.viewer else { return [] }
    state.viewer?.report.text = text
    guard text != v.report.current else { state.message = "Report unchanged"; return [] }
    state.message = "Report draft kept — S signs it with the study"
    return [.saveReport(studyUID: v.studyUID, text)]
}
