import Analysis
import Foundation
import Review
import TerminalGraphics

/// Findings review: moving through findings, decisions, reader marks, undo and sign-off.
func performReview(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard let v = state.viewer else { return [] }
    let findings = state.findings
    if state.teaching != nil, [.accept, .reject, .correct, .signOff].contains(action) {
        state.message = "Teaching: mark findings (F point, B box), b assessment, R reveal, . next case"
        return []
    }
    if action == .signOff, state.workflow != .standard { return screeningSign(&state) }
    if v.review.signoff != nil, state.workflow != .standard, [.accept, .reject, .correct, .addPoint, .addBox, .undo].contains(action) {
        state.message = "Signed: the read is closed"
        return []
    }
    switch action {
    case .nextFinding, .previousFinding:
        guard !findings.isEmpty else { state.message = "No findings"; return [] }
        let step = action == .nextFinding ? 1 : -1
        state.viewer?.review.select(step: step, of: findings.count)
        return jumpToSelectedFinding(&state)
    case .accept:
        guard let f = state.selectedFinding else { state.message = "No finding selected"; return [] }
        return decide(&state, f, .accept, reason: nil, correction: Correction())
    case .reject:
        guard let f = state.selectedFinding else { state.message = "No finding selected"; return [] }
        state.modal = .prompt(Prompt(purpose: .rejectReason(findingKey: f.key), title: "Reject \"\(f.label)\": reason (digit, or type; Enter)",
                                     choices: Prompt.rejectReasons))
    case .correct:
        guard let f = state.selectedFinding else { state.message = "No finding selected"; return [] }
        state.modal = .prompt(Prompt(purpose: .correctLabel(findingKey: f.key), title: "Correct label (Enter keeps)", text: f.label))
    case .addPoint:
        guard let frame = state.currentFrame, !frame.sopUID.isEmpty else { state.message = "Marks go on axial images"; return [] }
        let p = v.display.cursorOrCentre(width: frame.width, height: frame.height)
        state.modal = .prompt(Prompt(purpose: .addLabel(kind: "point", x: p.x, y: p.y, width: 0, height: 0), title: "Label for the new finding"))
    case .addBox:
        guard let frame = state.currentFrame, !frame.sopUID.isEmpty else { state.message = "Marks go on axial images"; return [] }
        let p = v.display.cursorOrCentre(width: frame.width, height: frame.height)
        if let (start, end) = state.viewer?.tools.box(at: p) {
            let x0 = min(start.x, end.x), y0 = min(start.y, end.y)
            let w = abs(end.x - start.x), h = abs(end.y - start.y)
            state.modal = .prompt(Prompt(purpose: .addLabel(kind: "box", x: x0 + w / 2, y: y0 + h / 2, width: w, height: h),
                                         title: "Label for the new box"))
        } else {
            state.message = "Box: move the cursor to the opposite corner, press B"
        }
    case .undo:
        if case .readerFinding(let key)? = v.review.undoStack.last, v.screening?.discordances.contains(where: { $0.findingKey == key }) == true {
            // A discordant mark is what the AI was compared with: it stays, and gets a decision.
            state.message = "Marks of the blinded read stay after the reveal; decide them instead (A keep, X withdraw)"
            return []
        }
        guard let undone = state.viewer?.review.undoLast() else { state.message = "Nothing to undo"; return [] }
        switch undone.entry {
        case .decision(_, let id):
            let d = undone.removedDecision
            let recordID = id > 0 ? id : (d?.recordID ?? 0)
            state.message = "Undone: \(d?.kind.rawValue ?? "decision")"
            return [.undoDecision(studyUID: v.studyUID, recordID: recordID)]
        case .readerFinding(let key):
            state.message = "Undone: added finding"
            return [.removeReaderFinding(studyUID: v.studyUID, key: key)]
        }
    case .signOff:
        state.modal = .prompt(Prompt(purpose: .signAssessment, title: "Sign off: overall assessment (digit)", choices: Prompt.assessments))
    default: break
    }
    return []
}

/// Shows the selected finding: its series and slice, centred, cursor on it.
func jumpToSelectedFinding(_ state: inout AppState) -> [Effect] {
    guard let viewer = state.viewer, let f = state.selectedFinding else { return [] }
    var effects: [Effect] = []
    // Writes go through `state.viewer?` so that the viewports and slices asked for below see them.
    state.viewer?.display.orientation = .axial
    if viewer.display.hanging {
        if let k = state.viewports.firstIndex(where: { $0.frame?.shows(f) == true }) { state.viewer?.display.activeViewport = k }
    } else if let loc = state.location(of: f) {
        state.viewer?.display.seriesIndex = loc.series
        if viewer.display.showsPriorBeside {
            // The current scan on the left, keys on it; the prior follows to the matched nodule.
            state.viewer?.display.viewportSeries = [loc.series]
            state.viewer?.display.activeViewport = 0
        }
        if let s = loc.slice { setSlice(&state, s) }
        showPriorNodule(&state, of: f)
        effects += seriesToLoad(state).map { .loadSeries(seriesUID: $0) }
    }
    if let x = f.centerX, let y = f.centerY {
        let c = ImagePoint(x: x, y: y)
        state.viewer?.display.cursor = c
        if viewer.display.zoom > 1 { state.viewer?.display.pan = c }
    }
    state.message = "Finding \(viewer.review.selection + 1)/\(state.findings.count): \(TextSanitizer.sanitize(f.label))"
    return effects + [.saveSession(sessionState(state))]
}

func decide(_ state: inout AppState, _ f: ReviewFinding, _ kind: DecisionKind, reason: String?, correction: Correction) -> [Effect] {
    guard let v = state.viewer else { return [] }
    let slice = state.location(of: f)?.slice
    state.viewer?.review.decide(FindingDecision(kind: kind, reason: reason, correction: correction, recordID: 0), for: f.key)
    state.message = "\(kind.rawValue.capitalized)ed: \(TextSanitizer.sanitize(f.label))" + (reason.map { " (\(TextSanitizer.sanitize($0)))" } ?? "")
    if kind == .correct { state.message = "Corrected: \(TextSanitizer.sanitize(correction.label ?? f.label))" }
    return [.recordDecision(studyUID: v.studyUID, finding: f.on(slice: slice), decision: kind, reason: reason, correction: correction)]
}

func sign(_ state: inout AppState, _ assessment: String, undecided: Int, forced: Bool) -> [Effect] {
    guard let v = state.viewer else { return [] }
    state.viewer?.review.signoff = SignoffRecord(id: 0, reader: state.reader, at: "", studyUID: v.studyUID, assessment: assessment,
                                          undecided: undecided, forced: forced)
    if let i = state.entryIndex(uid: v.studyUID) { state.entries[i].review = .signed }
    let report = v.report.current.flatMap { $0.isEmpty ? nil : $0 }
    state.message = "Signed: \(assessment)" + (forced ? " (\(undecided) undecided, confirmed)" : "") + (report == nil ? "" : ", with the report")
    return [.signOff(studyUID: v.studyUID, assessment: assessment, undecided: undecided, forced: forced, report: report),
            .audit(action: "sign", studyUID: v.studyUID, detail: assessment)]
}
