import Analysis
import Foundation
import Review
import TerminalGraphics

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
    case .reportEditor(let editor)?:
        return updateReportEditor(&state, editor, key)
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
        let series = v.display.hanging ? (state.currentEntry?.study.series.first { s in s.instances.contains { $0.sopInstanceUID == frame.sopUID } }?.seriesInstanceUID ?? "")
            : (state.currentSeries?.seriesInstanceUID ?? "")
        let record = ReaderFindingRecord(key: "reader-" + UUID().uuidString.lowercased(), reader: state.reader, studyUID: v.studyUID,
                                         seriesUID: series, sopUID: frame.sopUID, label: typed.isEmpty ? "reader finding" : typed,
                                         kind: kind == "box" ? .box : .point, x: x, y: y, width: w, height: h,
                                         slice: v.display.hanging ? 0 : state.currentSlice)
        state.viewer?.review.add(record)
        let count = state.findings.count   // with the new mark, which comes last
        state.viewer?.review.selection = count - 1
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
    case .relinkPrior(let key, let ids):
        guard let c = choice, ids.indices.contains(c) else { state.message = "Pick a prior nodule by its digit (1 unlinks)"; return [] }
        return recordPriorLink(&state, findingKey: key, priorFindingID: ids[c].isEmpty ? nil : ids[c])
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
