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
    if v.signoff != nil, state.workflow != .standard, [.accept, .reject, .correct, .addPoint, .addBox, .undo].contains(action) {
        state.message = "Signed: the read is closed"
        return []
    }
    switch action {
    case .nextFinding, .previousFinding:
        guard !findings.isEmpty else { state.message = "No findings"; return [] }
        let step = action == .nextFinding ? 1 : -1
        state.viewer!.findingSelection = (min(v.findingSelection, findings.count - 1) + step + findings.count) % findings.count
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
        let p = v.cursor ?? ImagePoint(x: Double(frame.width) / 2, y: Double(frame.height) / 2)
        state.modal = .prompt(Prompt(purpose: .addLabel(kind: "point", x: p.x, y: p.y, width: 0, height: 0), title: "Label for the new finding"))
    case .addBox:
        guard let frame = state.currentFrame, !frame.sopUID.isEmpty else { state.message = "Marks go on axial images"; return [] }
        let p = v.cursor ?? ImagePoint(x: Double(frame.width) / 2, y: Double(frame.height) / 2)
        if case .box(let start?) = v.tool {
            state.viewer!.tool = .pointer
            let x0 = min(start.x, p.x), y0 = min(start.y, p.y)
            let w = abs(p.x - start.x), h = abs(p.y - start.y)
            state.modal = .prompt(Prompt(purpose: .addLabel(kind: "box", x: x0 + w / 2, y: y0 + h / 2, width: w, height: h),
                                         title: "Label for the new box"))
        } else {
            state.viewer!.tool = .box(start: p)
            state.message = "Box: move the cursor to the opposite corner, press B"
        }
    case .undo:
        if case .readerFinding(let key)? = v.undoStack.last, v.screening?.discordances.contains(where: { $0.findingKey == key }) == true {
            // A discordant mark is what the AI was compared with: it stays, and gets a decision.
            state.message = "Marks of the blinded read stay after the reveal; decide them instead (A keep, X withdraw)"
            return []
        }
        guard let last = state.viewer!.undoStack.popLast() else { state.message = "Nothing to undo"; return [] }
        switch last {
        case .decision(let key, let id):
            let d = state.viewer!.decisions[key]
            let recordID = id > 0 ? id : (d?.recordID ?? 0)
            state.viewer!.decisions[key] = nil
            state.message = "Undone: \(d?.kind.rawValue ?? "decision")"
            return [.undoDecision(studyUID: v.studyUID, recordID: recordID)]
        case .readerFinding(let key):
            state.viewer!.readerFindings.removeAll { $0.key == key }
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
    guard let f = state.selectedFinding else { return [] }
    var effects: [Effect] = []
    state.viewer!.orientation = .axial
    if state.viewer!.hanging {
        if let k = state.viewports.firstIndex(where: { $0.frame?.sopUID == f.sopUID }) { state.viewer!.activeViewport = k }
    } else if let loc = state.location(of: f) {
        state.viewer!.seriesIndex = loc.series
        if let s = loc.slice { setSlice(&state, s) }
        effects += seriesToLoad(state).map { .loadSeries(seriesUID: $0) }
    }
    if let x = f.centerX, let y = f.centerY {
        let c = ImagePoint(x: x, y: y)
        state.viewer!.cursor = c
        if state.viewer!.zoom > 1 { state.viewer!.pan = c }
    }
    state.message = "Finding \(state.viewer!.findingSelection + 1)/\(state.findings.count): \(TextSanitizer.sanitize(f.label))"
    return effects + [.saveSession(sessionState(state))]
}

func decide(_ state: inout AppState, _ f: ReviewFinding, _ kind: DecisionKind, reason: String?, correction: Correction) -> [Effect] {
    guard let v = state.viewer else { return [] }
    let slice = state.location(of: f)?.slice
    state.viewer!.decisions[f.key] = FindingDecision(kind: kind, reason: reason, correction: correction, recordID: 0)
    state.viewer!.undoStack.append(.decision(findingKey: f.key, recordID: 0))
    state.message = "\(kind.rawValue.capitalized)ed: \(TextSanitizer.sanitize(f.label))" + (reason.map { " (\(TextSanitizer.sanitize($0)))" } ?? "")
    if kind == .correct { state.message = "Corrected: \(TextSanitizer.sanitize(correction.label ?? f.label))" }
    return [.recordDecision(studyUID: v.studyUID, finding: f.on(slice: slice), decision: kind, reason: reason, correction: correction)]
}

/// Keys while a modal is up: help and tags close on any key (tags scroll); prompts edit text.
func updateModal(_ state: inout AppState, _ key: Key) -> [Effect] {
    switch state.modal {
    case .help?, .report?:
        state.modal = nil
        if key == .char("Q") { return perform(&state, .quit) }
        return []
    case .tags(let lines, let scroll)?:
        let page = max(1, state.rows - 4)
        switch key {
        case .down, .char("j"): state.modal = .tags(lines: lines, scroll: min(max(0, lines.count - page), scroll + 1))
        case .up, .char("k"): state.modal = .tags(lines: lines, scroll: max(0, scroll - 1))
        case .pageDown, .char(" "): state.modal = .tags(lines: lines, scroll: min(max(0, lines.count - page), scroll + page))
        case .pageUp: state.modal = .tags(lines: lines, scroll: max(0, scroll - page))
        default: state.modal = nil
        }
        return []
    case .prompt(var p)?:
        switch key {
        case .escape:
            state.modal = nil
            state.message = "Cancelled"
            return []
        case .backspace, .delete:
            if !p.text.isEmpty { p.text.removeLast() }
            state.modal = .prompt(p)
            if p.purpose == .search { state.search = p.text; state.worklistSelection = 0 }
            return []
        case .enter:
            state.modal = nil
            return submit(&state, p, choice: nil)
        case .char(let c):
            if p.zeroBased, p.text.isEmpty, let d = c.wholeNumberValue, d >= 0, d < p.choices.count {
                state.modal = nil
                return submit(&state, p, choice: d)
            }
            if !p.zeroBased, !p.choices.isEmpty, p.text.isEmpty, let d = c.wholeNumberValue, d >= 1, d <= p.choices.count {
                state.modal = nil
                return submit(&state, p, choice: d - 1)
            }
            if case .confirmSign = p.purpose {
                state.modal = nil
                if c == "!" { return submit(&state, p, choice: nil) }
                state.message = "Not signed"
                return []
            }
            if p.text.count < 200 { p.text.append(c) }
            state.modal = .prompt(p)
            if p.purpose == .search { state.search = p.text; state.worklistSelection = 0 }
            return []
        default:
            return []
        }
    case nil:
        return []
    }
}

/// A prompt was answered (a numbered `choice`, or the typed text).
func submit(_ state: inout AppState, _ p: Prompt, choice: Int?) -> [Effect] {
    let typed = p.text.trimmingCharacters(in: .whitespaces)
    func finding(_ key: String) -> ReviewFinding? { state.findings.first { $0.key == key } }
    switch p.purpose {
    case .search:
        state.search = typed
        state.message = typed.isEmpty ? "" : "Search: \(typed)"
    case .rejectReason(let key):
        guard let f = finding(key) else { return [] }
        let reason = choice.map { p.choices[$0] } ?? (typed.isEmpty ? nil : typed)
        return decide(&state, f, .reject, reason: reason, correction: Correction())
    case .correctLabel(let key):
        guard let f = finding(key) else { return [] }
        state.modal = .prompt(Prompt(purpose: .correctRisk(findingKey: key, label: typed.isEmpty ? f.label : typed),
                                     title: "Correct risk (digit; Enter keeps \(f.risk?.rawValue ?? "none"))", choices: Prompt.risks))
    case .correctRisk(let key, let label):
        guard let f = finding(key) else { return [] }
        let risk = choice.map { Prompt.risks[$0] } ?? RiskLevel(rawValue: typed.lowercased())?.rawValue
        let size = f.diameterMM.map { String(format: "%.1f", $0) } ?? "none"
        state.modal = .prompt(Prompt(purpose: .correctSize(findingKey: key, label: label, risk: risk),
                                     title: "Correct size in mm (Enter keeps \(size))"))
    case .correctSize(let key, let label, let risk):
        guard let f = finding(key) else { return [] }
        let size = Double(typed.replacingOccurrences(of: ",", with: ".")).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        if !typed.isEmpty && size == nil { state.message = "Not a size: \(typed)" }
        return decide(&state, f, .correct, reason: nil,
                      correction: Correction(label: label == f.label ? nil : label, risk: risk == f.risk?.rawValue ? nil : risk,
                                             diameterMM: size))
    case .addLabel(let kind, let x, let y, let w, let h):
        guard let v = state.viewer, let frame = state.currentFrame else { return [] }
        let series = state.viewer!.hanging ? (state.currentEntry?.study.series.first { s in s.instances.contains { $0.sopInstanceUID == frame.sopUID } }?.seriesInstanceUID ?? "")
            : (state.currentSeries?.seriesInstanceUID ?? "")
        let record = ReaderFindingRecord(key: "reader-" + UUID().uuidString.lowercased(), reader: state.reader, studyUID: v.studyUID,
                                         seriesUID: series, sopUID: frame.sopUID, label: typed.isEmpty ? "reader finding" : typed,
                                         kind: kind == "box" ? .box : .point, x: x, y: y, width: w, height: h,
                                         slice: state.viewer!.hanging ? 0 : state.currentSlice)
        state.viewer!.readerFindings.append(record)
        state.viewer!.undoStack.append(.readerFinding(key: record.key))
        state.viewer!.findingSelection = state.findings.count - 1
        state.message = "Added: \(TextSanitizer.sanitize(record.label))"
        return [.addReaderFinding(record)]
    case .signAssessment:
        guard let c = choice else { state.message = "Pick an assessment by its digit"; return [] }
        let assessment = p.choices[c]
        let undecided = state.undecidedCount
        if undecided > 0 {
            state.modal = .prompt(Prompt(purpose: .confirmSign(assessment: assessment, undecided: undecided),
                                         title: "\(undecided) finding(s) undecided. Press ! to sign anyway, any other key to go back"))
            return []
        }
        return sign(&state, assessment, undecided: 0, forced: false)
    case .confirmSign(let assessment, let undecided):
        return sign(&state, assessment, undecided: undecided, forced: true)
    case .biradsRight:
        guard let r = choice else { state.message = "Pick BI-RADS 0-5 by its digit"; return [] }
        state.modal = .prompt(Prompt(purpose: .biradsLeft(right: r), title: "LEFT breast BI-RADS (digit 0-5; right is \(r))",
                                     choices: BIRADS.names, zeroBased: true))
    case .biradsLeft(let r):
        guard let l = choice else { state.message = "Pick BI-RADS 0-5 by its digit"; return [] }
        return recordBIRADS(&state, right: r, left: l)
    case .teachingAssessment:
        guard let c = choice, let uid = state.viewer?.studyUID else { state.message = "Pick an assessment by its digit"; return [] }
        state.teaching?.assessments[uid] = p.choices[c]
        state.message = "Assessment: \(p.choices[c])"
    }
    return []
}

func sign(_ state: inout AppState, _ assessment: String, undecided: Int, forced: Bool) -> [Effect] {
    guard let v = state.viewer else { return [] }
    state.viewer!.signoff = SignoffRecord(id: 0, reader: state.reader, at: "", studyUID: v.studyUID, assessment: assessment,
                                          undecided: undecided, forced: forced)
    if let i = state.entryIndex(uid: v.studyUID) { state.entries[i].review = .signed }
    state.message = "Signed: \(assessment)" + (forced ? " (\(undecided) undecided, confirmed)" : "")
    return [.signOff(studyUID: v.studyUID, assessment: assessment, undecided: undecided, forced: forced),
            .audit(action: "sign", studyUID: v.studyUID, detail: assessment)]
}
