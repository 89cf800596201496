import Review
import TerminalGraphics

/// The right-hand panel in a teaching session: the case, the trainee's marks and assessment; once
/// the answer shows, the ground truth, the AI's findings, the score and the teaching text.
enum TeachingPanel {
    static func draw(_ state: AppState, into screen: inout Screen) {
        let width = ScreenLayout.panelWidth(state)
        guard width > 0, let t = state.teaching, let v = state.viewer, let e = state.currentEntry, let c = t.teachingCase(v.studyUID) else { return }
        let x = screen.columns - width
        let top = ScreenLayout.bodyTop, bottom = screen.rows - 1
        var row = top
        func line(_ text: String, _ style: Style = .normal) {
            for part in Text.wrap(text, width - 2) {
                guard row < bottom else { return }
                screen.put(part, row: row, column: x + 1, style: style)
                row += 1
            }
        }
        for r in top ..< bottom { screen.put("│", row: r, column: x, style: .dim) }
        let revealed = t.revealed.contains(v.studyUID)
        line("CASE \(t.index + 1)/\(t.cases.count) — \(t.mode == .known ? "known" : "quiz")  trainee \(TextSanitizer.sanitize(state.reader))", .header)
        line("Assessment: " + (t.assessments[v.studyUID] ?? "none yet (b)"), .accent)
        let marks = v.review.readerFindings.filter { !$0.removed }
        let score = t.scores[v.studyUID]
        line("YOUR MARKS (\(marks.count))", .accent)
        for (i, m) in marks.enumerated() {
            var verdict = ""
            if let hits = score?.markHits[m.key] {
                verdict = hits.isEmpty ? " — false positive" : " — hit GT " + hits.map { String($0 + 1) }.joined(separator: ",")
            }
            line(" \(i + 1). \(TextSanitizer.sanitize(m.label))\(verdict)", score == nil ? .normal : (verdict.contains("hit") ? .accent : .warning))
        }
        guard revealed else {
            line("F point, B box, u undo, b assessment", .dim)
            line("R reveals the answer and scores your marks", .dim)
            line(". next case  , previous  E summary", .dim)
            return
        }
        if let s = score {
            line("SCORE: \(s.hits) hit\(s.hits == 1 ? "" : "s") · \(s.misses) missed · \(s.falsePositives) false positive\(s.falsePositives == 1 ? "" : "s")", .header)
        }
        line("GROUND TRUTH (\(c.lesions.count == 0 ? "normal" : "\(c.lesions.count) lesion\(c.lesions.count == 1 ? "" : "s")"))", .accent)
        for (i, l) in c.lesions.enumerated() {
            let verdict = score.map { $0.hitLesions.contains(i) ? " ✓ found" : " ✗ missed" } ?? ""
            let nature = l.nature.map { ", \($0)" } ?? ""
            line(" GT \(i + 1). \(l.label) \(String(format: "%.0f", l.diameterMM)) mm\(nature)\(verdict)")
        }
        let ai = (e.aiResult?.trustedFindings ?? []).filter { $0.origin == .ai }   // never what an abstaining AI withheld
        if let r = e.aiResult {
            line("AI: \(TextSanitizer.sanitize(r.model?.id ?? "model"))" + (r.notForClinicalUse ? " — NOT FOR CLINICAL USE" : ""), .accent)
            if ai.isEmpty { line(" no findings", .dim) }
            for (i, f) in ai.enumerated() {
                line(" \(i + 1). \(TextSanitizer.sanitize(f.label)) \(Text.percent(f.probability))", f.risk.map { .risk($0) } ?? .normal)
            }
        } else {
            line("AI: \(e.ai.text)", .dim)
        }
        for (title, text) in [("HISTORY", c.history), ("FINDINGS", c.findings), ("DIAGNOSIS", c.diagnosis), ("DISCUSSION", c.discussion)]
        where !text.isEmpty {
            line(title, .accent)
            line(text)
        }
        line(". next case  , previous  E summary", .dim)
    }
}
