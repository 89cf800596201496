import Foundation
import Imaging
import Review

/// A teaching session in progress (`lightbox teach`): the cases in order, where the trainee is,
/// and what has been revealed and scored.
public struct TeachingSession: Sendable {
    /// `known`: answers visible from the start. `unknown`: a quiz; answers show on reveal.
    public enum Mode: String, Sendable { case known, unknown }
    public var key: String
    public var mode: Mode
    /// Presenter use: larger panel, every annotation labelled, de-identified display.
    public var presenter: Bool
    public var cases: [TeachingCase]
    public var index = 0
    /// Studies whose answers are showing (every case in known mode).
    public var revealed: Set<String> = []
    /// The trainee's assessment per study.
    public var assessments: [String: String] = [:]
    /// Scores of the revealed quiz cases.
    public var scores: [String: TeachingScore] = [:]

    public init(key: String, mode: Mode, presenter: Bool, cases: [TeachingCase]) {
        self.key = key; self.mode = mode; self.presenter = presenter; self.cases = cases
        if mode == .known { revealed = Set(cases.map(\.studyUID)) }
    }

    public var current: TeachingCase? { cases.indices.contains(index) ? cases[index] : nil }
    public func teachingCase(_ uid: String) -> TeachingCase? { cases.first { $0.studyUID == uid } }

    /// The end-of-session summary: one line per case, then the totals.
    public func summary(trainee: String) -> [String] {
        var lines = ["Trainee: \(trainee)   mode: \(mode == .known ? "known (answers shown)" : "quiz")   cases: \(cases.count)", ""]
        var hits = 0, misses = 0, fps = 0, lesions = 0, scored = 0, unscored = 0
        for (i, c) in cases.enumerated() {
            let dx = c.diagnosis.isEmpty ? (c.normal ? "normal" : "abnormal") : c.diagnosis
            var line = "\(i + 1). \(dx)"
            if let s = scores[c.studyUID] {
                scored += 1
                hits += s.hits; misses += s.misses; fps += s.falsePositives; lesions += s.lesions - s.unmeasuredLesions.count
                unscored += s.unscored
                line += " — \(s.hits)/\(s.lesions) found, \(s.falsePositives) false positive\(s.falsePositives == 1 ? "" : "s")"
                if s.unscored > 0 { line += " (\(s.unscored) not scored: \(PixelGeometry.missingSpacingText))" }
            } else if mode == .unknown {
                line += " — not revealed"
            }
            if let a = assessments[c.studyUID] { line += " — you: \(a)" }
            lines.append(line)
        }
        if mode == .unknown {
            lines.append("")
            let sensitivity = lesions == 0 ? "-" : String(format: "%.0f%%", Double(hits) / Double(lesions) * 100)
            lines.append("Total over \(scored) revealed case\(scored == 1 ? "" : "s"): \(hits) hit\(hits == 1 ? "" : "s"), \(misses) missed, \(fps) false positive\(fps == 1 ? "" : "s") (lesions found: \(sensitivity))"
                         + (unscored > 0 ? "; \(unscored) not scored (\(PixelGeometry.missingSpacingText))" : ""))
        }
        return lines
    }
}
