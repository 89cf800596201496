import Foundation
import Review
import TerminalGraphics

/// Second-reader screening: per-breast assessment, the reveal with its discordance items, and the
/// sign-off that waits for a decision on each; also the hanging-protocol view key.
func performWorkflow(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard let v = state.viewer else { return [] }
    switch action {
    case .nextViewport:
        if v.display.layout == .mpr, !v.display.hanging { return nextMPRViewport(&state) }
        if !v.display.hanging, v.display.layout == .sideBySide || v.display.layout == .grid {
            // Comparison layouts: the next series shown becomes the one keys (and links) act on.
            let n = max(1, state.viewports.count)
            let active = (min(v.display.activeViewport, n - 1) + 1) % n
            state.viewer?.display.activeViewport = active
            state.viewer?.display.cursor = nil
            state.message = "Active viewport \(active + 1): \(state.currentSeries.map { state.shownDescription($0.first.seriesDescription) } ?? "")"
            return []
        }
        guard v.display.hanging else { state.message = "One view: next view is for the hanging protocol"; return [] }
        let n = max(1, state.viewports.count)
        let active = (v.display.activeViewport + 1) % n
        state.viewer?.display.activeViewport = active
        state.viewer?.display.cursor = nil
        // A terminal too small for the image area has no viewports at all.
        let ports = state.viewports
        if ports.indices.contains(active) { state.message = "Active view: \(ports[active].title)" }
    case .assess:
        if state.teaching != nil, state.currentEntry?.study.modalities != ["MG"] {
            state.modal = .prompt(Prompt(purpose: .teachingAssessment, title: "Your assessment (digit)", choices: Prompt.assessments))
            return []
        }
        guard state.teaching != nil || state.workflow != .standard else {
            state.message = "Per-breast BI-RADS is for --second-reader screening; S signs with an assessment"
            return []
        }
        state.modal = .prompt(Prompt(purpose: .biradsRight, title: "RIGHT breast BI-RADS (digit 0-5)", choices: BIRADS.names, zeroBased: true))
    case .reveal:
        if state.teaching != nil { return revealTeachingCase(&state) }
        return revealAI(&state)
    case .nextCase, .previousCase, .summary:
        guard state.teaching != nil else { state.message = "Case keys are for teaching sessions (lightbox teach)"; return [] }
        return performTeaching(&state, action)
    default: break
    }
    return []
}

/// A per-breast assessment was chosen (both breasts known).
func recordBIRADS(_ state: inout AppState, right: Int, left: Int) -> [Effect] {
    guard let v = state.viewer else { return [] }
    let text = "R BI-RADS \(right) / L BI-RADS \(left)"
    if var t = state.teaching {
        t.assessments[v.studyUID] = text
        state.teaching = t
        state.message = "Assessment: \(text)"
        return []
    }
    var read = v.screening ?? ScreeningRead()
    read.assess(right: right, left: left)
    state.viewer?.screening = read
    state.message = "Assessment: \(text)" + (read.revealed ? "" : " — R reveals the AI")
    return [.screeningEvent(ScreeningEvent(reader: state.reader, studyUID: v.studyUID, kind: .assess, rightBIRADS: right, leftBIRADS: left))]
}

/// Ends the blinded read: shows the AI and lists where it and the reader disagree.
func revealAI(_ state: inout AppState) -> [Effect] {
    guard let v = state.viewer else { return [] }
    guard state.workflow == .secondReader else {
        state.message = state.workflow == .arbitration ? "Arbitration shows the AI from the start" : "The AI is not hidden (reveal is for --second-reader)"
        return []
    }
    guard !(v.screening?.revealed ?? false), !state.revealed.contains(v.studyUID) else { state.message = "The AI is already revealed"; return [] }
    guard v.screening?.assessed == true else { state.message = "Record the BI-RADS for both breasts first (b), then reveal"; return [] }
    guard let e = state.currentEntry else { return [] }
    switch e.ai {
    case .running, .notRun:
        if e.aiResult == nil { state.message = "The AI has not finished on this study; reveal when it has"; return [] }
    default: break
    }
    let ai = (e.aiResult?.trustedFindings ?? []).filter { $0.origin == .ai }   // never what an abstaining AI withheld
    let marks = state.findings.filter { $0.origin == .reader }
    let outcome = DiscordanceMatcher.match(ai: ai, marks: marks, headers: state.headersBySOP(), reader: state.reader, studyUID: v.studyUID)
    let items = outcome.records
    state.revealed.insert(v.studyUID)
    state.viewer?.screening?.reveal(items)   // there is a read: it was assessed (guard above)
    state.viewer?.review.selection = 0
    state.message = items.isEmpty ? "AI revealed: it agrees with your marks" : "AI revealed: \(items.count) discordance(s) need a decision (A keep/accept, X reject)"
        + (outcome.note.map { " — \($0)" } ?? "")
    if let i = state.entryIndex(uid: v.studyUID) { state.entries[i].review = .inProgress }
    return [.reveal(studyUID: v.studyUID, discordances: items)]
}

/// Sign-off in the screening workflows: after the reveal, every discordance decided, with the
/// per-breast BI-RADS as the assessment. No forced sign-off: discordances are the point.
func screeningSign(_ state: inout AppState) -> [Effect] {
    guard let v = state.viewer else { return [] }
    if v.review.signoff != nil { state.message = "Already signed"; return [] }
    guard let s = v.screening, s.revealed else { state.message = "Reveal the AI (R) before signing"; return [] }
    let pending = state.pendingDiscordances.count
    guard pending == 0 else { state.message = "\(pending) discordance(s) need a decision before sign-off (A keep/accept, X reject)"; return [] }
    guard let r = s.rightBIRADS, let l = s.leftBIRADS else { state.message = "Record the BI-RADS for both breasts (b) before signing"; return [] }
    let assessment = "R BI-RADS \(r) / L BI-RADS \(l)"
    var effects = sign(&state, assessment, undecided: 0, forced: false)
    let kind: ScreeningEvent.Kind = state.workflow == .arbitration ? .arbitrate : .sign
    effects.append(.screeningEvent(ScreeningEvent(reader: state.reader, studyUID: v.studyUID, kind: kind, rightBIRADS: r, leftBIRADS: l,
                                                  detail: BIRADS.isRecall(r) || BIRADS.isRecall(l) ? "recall" : "routine")))
    if kind == .arbitrate { state.discordanceQueue.remove(v.studyUID) }
    return effects
}
