import Imaging
import Review

/// How the workstation is being used: ordinary reading, a blinded second-reader screening read
/// (`--second-reader`), or a third reader arbitrating reader/AI discordances (`--arbitrate`).
public enum Workflow: String, Sendable {
    case standard
    case secondReader = "second reader"
    case arbitration
}

extension AppState {
    /// Whether the AI's output for `uid` must stay hidden: the blinded first read before the reveal,
    /// or a quiz case before its answer is shown.
    public func isBlinded(_ uid: String) -> Bool {
        if let t = teaching { return t.mode == .unknown && !t.revealed.contains(uid) }
        return workflow == .secondReader && !revealed.contains(uid)
    }

    /// Discordance items of the open study that have no decision yet (sign-off waits for them).
    public var pendingDiscordances: [DiscordanceRecord] {
        guard let v = viewer, let s = v.screening else { return [] }
        return s.discordances.filter { v.review.decisions[$0.findingKey] == nil }
    }

    /// Per-breast AI score: the highest probability among the AI's findings on that breast's
    /// images, and how many there are. Shown only after the reveal.
    ///
    /// Drawn on every frame: the lateralities come from the open study's own headers (one pass),
    /// not from a search of the whole worklist per finding.
    func breastScores() -> [(side: String, score: Double?, count: Int)] {
        guard let e = currentEntry else { return [("R", nil, 0), ("L", nil, 0)] }
        let ai = (e.aiResult?.trustedFindings ?? []).filter { $0.origin == .ai }   // never what an abstaining AI withheld
        var sides: [String: String] = [:]
        for s in e.study.series { for h in s.instances where sides[h.sopInstanceUID] == nil { sides[h.sopInstanceUID] = h.laterality.uppercased() } }
        return ["R", "L"].map { side in
            let mine = ai.filter { (sides[$0.sopUID] ?? "") == side }
            return (side, mine.compactMap(\.probability).max(), mine.count)
        }
    }

    /// Headers of the open study's images (and its prior's, where marks can also be placed) by SOP
    /// Instance UID: geometry for matching marks. Only those studies, not the whole worklist — this
    /// runs on the UI loop when a reader reveals.
    func headersBySOP() -> [String: InstanceHeader] {
        guard let v = viewer else { return [:] }
        var out: [String: InstanceHeader] = [:]
        for uid in [v.display.priorStudyUID, v.studyUID].compactMap({ $0 }) {
            guard let e = entry(uid: uid) else { continue }
            for s in e.study.series { for h in s.instances { out[h.sopInstanceUID] = h } }
        }
        return out
    }
}
