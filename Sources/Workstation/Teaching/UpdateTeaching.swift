import Foundation
import Imaging
import Review

/// Teaching sessions: the cases in order, the reveal that scores a quiz case, and the summary.

/// Called when the scan has answered: keeps the cases whose study was found, opens the first.
func startTeaching(_ state: inout AppState) -> [Effect] {
    guard var t = state.teaching else { return [] }
    let found = Set(state.entries.map(\.uid))
    let missing = t.cases.filter { !found.contains($0.studyUID) }.count
    t.cases = t.cases.filter { found.contains($0.studyUID) }
    t.index = 0
    state.teaching = t
    guard !t.cases.isEmpty else { state.message = "No teaching case's images were found"; return [] }
    var effects = openCase(&state, 0)
    if missing > 0 { state.message += " (\(missing) case(s) without images skipped)" }
    effects.append(.audit(action: "teach", studyUID: "", detail: "session \(t.key) \(t.mode.rawValue) \(t.cases.count) cases"))
    return effects
}

func openCase(_ state: inout AppState, _ index: Int) -> [Effect] {
    guard var t = state.teaching, t.cases.indices.contains(index) else { return [] }
    t.index = index
    state.teaching = t
    let effects = openStudy(&state, t.cases[index].studyUID)
    state.message = "Case \(index + 1)/\(t.cases.count)" + (t.mode == .unknown && !t.revealed.contains(t.cases[index].studyUID)
        ? ": mark findings (F point, B box), b assessment, R reveal" : "")
    return effects
}

func performTeaching(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard let t = state.teaching else { return [] }
    switch action {
    case .nextCase:
        if t.index + 1 < t.cases.count { return openCase(&state, t.index + 1) }
        return showSummary(&state)
    case .previousCase:
        guard t.index > 0 else { state.message = "This is the first case"; return [] }
        return openCase(&state, t.index - 1)
    case .summary, .back:
        return showSummary(&state)
    default: return []
    }
}

func showSummary(_ state: inout AppState) -> [Effect] {
    guard let t = state.teaching else { return [] }
    state.modal = .report(title: "Teaching session summary", lines: t.summary(trainee: state.reader))
    return []
}

/// Quiz reveal: scores the trainee's marks against the sidecar and stores the result.
func revealTeachingCase(_ state: inout AppState) -> [Effect] {
    guard var t = state.teaching, let v = state.viewer, let c = t.teachingCase(v.studyUID) else { return [] }
    guard t.mode == .unknown else { state.message = "Known mode: the answers are already showing"; return [] }
    guard !t.revealed.contains(v.studyUID) else { state.message = "Already revealed"; return [] }
    let marks = v.review.readerFindings.filter { !$0.removed }
    let score = TeachingScore.score(c, marks: marks, headers: state.headersBySOP())
    t.revealed.insert(v.studyUID)
    t.scores[v.studyUID] = score
    state.teaching = t
    state.message = "Score: \(score.hits) hit\(score.hits == 1 ? "" : "s"), \(score.misses) missed, \(score.falsePositives) false positive\(score.falsePositives == 1 ? "" : "s")"
        + (score.unscored > 0 ? ", \(score.unscored) not scored (\(PixelGeometry.missingSpacingText))" : "")
    let number = (t.cases.firstIndex { $0.studyUID == v.studyUID } ?? 0) + 1
    return [.teachingResult(TeachingResultRecord(sessionKey: t.key, trainee: state.reader, studyUID: v.studyUID, caseNumber: number,
                                                 mode: t.mode.rawValue, assessment: t.assessments[v.studyUID] ?? "",
                                                 lesions: score.lesions, hits: score.hits, misses: score.misses,
                                                 falsePositives: score.falsePositives))]
}
