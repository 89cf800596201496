import Analysis
import Foundation
import Review
import TerminalGraphics

/// The reader's say on the analysis's prior matches (issue 19): a nodule the analysis matched to
/// the wrong prior nodule is re-linked to the right one, one it matched that is in fact new is
/// unlinked. Each is recorded like a decision (append-only `prior_links`) and changes what the
/// panel shows: the comparison is worked out again against the chosen prior nodule, and the
/// list of nodules that resolved follows.
extension AppState {
    /// The prior nodules a finding can be linked to: the analysis's own match for it and every
    /// prior nodule it left unmatched (resolved), each with the sizes the comparison needs.
    func priorCandidates(for f: ReviewFinding) -> [ResolvedFinding] {
        guard let ai = currentEntry?.aiResult else { return [] }
        var out = ai.resolved
        if let p = f.analysisPrior ?? f.prior, let r = ResolvedFinding(matchedIn: p, label: f.label),
           !out.contains(where: { $0.findingID == r.findingID }) {
            out.insert(r, at: 0)
        }
        return out
    }

    /// `f` with the reader's link in force applied to its comparison (unchanged without one).
    func applyingPriorLink(_ f: ReviewFinding) -> ReviewFinding {
        guard let link = viewer?.review.priorLinks[f.key] else { return f }
        var out = f
        out.analysisPrior = f.prior
        out.prior = link.comparison
        return out
    }

    /// The comparison of a current nodule with a prior one the reader chose (the analysis's rules:
    /// `NoduleChange`), sizes from the two findings.
    static func comparison(current f: ReviewFinding, prior r: ResolvedFinding, intervalDays: Double?) -> PriorComparison {
        var p = PriorComparison(studyInstanceUID: r.studyInstanceUID, status: .stable)
        p.findingID = r.findingID; p.centerMM = r.centerMM; p.centerInCurrentMM = r.centerInCurrentMM
        p.diameterMM = r.diameterMM; p.volumeML = r.volumeML; p.priorCategory = r.category; p.intervalDays = intervalDays
        if let d2 = f.diameterMM, let d1 = r.diameterMM {
            p.diameterChangeMM = d2 - d1
            p.status = NoduleChange.status(priorMeanMM: d1, currentMeanMM: d2)
        }
        if let v2 = f.volumeML, let v1 = r.volumeML, v1 > 0 {
            p.volumeChangePct = (v2 / v1 - 1) * 100
            if let t = intervalDays { p.volumeDoublingDays = NoduleChange.doublingDays(priorML: v1, currentML: v2, days: t) }
        }
        return p
    }

    /// A prior nodule as the reader knows it: "solid nodule 7 mm, Z -70": label, size and its slice
    /// position in the prior (finding ids are the analysis's, not meant for people).
    static func describe(_ r: ResolvedFinding) -> String {
        var text = TextSanitizer.sanitize(r.label)
        if let d = r.diameterMM, d.isFinite { text += String(format: " %.0f mm", d) }
        if r.centerMM.count == 3, r.centerMM[2].isFinite { text += String(format: ", Z %.0f", r.centerMM[2]) }
        return text
    }

    /// Prior nodules no current finding is linked to once the reader's links are applied.
    var resolvedPriorNodules: [ResolvedFinding] {
        guard let ai = currentEntry?.aiResult else { return [] }
        let findings = self.findings
        let linked = Set(findings.compactMap { $0.prior?.status == .new ? nil : $0.prior?.findingID })
        var out = ai.resolved.filter { r in r.findingID.map { !linked.contains($0) } ?? true }
        // A match the reader unlinked or replaced is a prior nodule with no current finding now.
        for f in findings {
            if let p = f.analysisPrior, let r = ResolvedFinding(matchedIn: p, label: f.label), let id = r.findingID,
               !linked.contains(id), !out.contains(where: { $0.findingID == id }) {
                out.append(r)
            }
        }
        return out
    }
}

/// `U`: asks which prior nodule the selected finding is (or none).
func askPriorLink(_ state: inout AppState) -> [Effect] {
    guard let f = state.selectedFinding, f.origin == .ai else { state.message = "Select an AI finding (n) to re-link its prior match"; return [] }
    guard let current = f.prior ?? f.analysisPrior else { state.message = "No prior was compared with this finding"; return [] }
    let candidates = state.priorCandidates(for: f)
    var choices = ["none: a new nodule (unlink)"], ids = [""]
    for c in candidates {
        guard let id = c.findingID else { continue }
        let mark = id == current.findingID && current.status != .new ? " (linked now)" : ""
        choices.append("prior \(AppState.describe(c))\(mark)")
        ids.append(id)
    }
    state.modal = .prompt(Prompt(purpose: .relinkPrior(findingKey: f.key, priorFindingIDs: ids),
                                 title: "Prior match of \"\(TextSanitizer.sanitize(f.label))\" (digit)", choices: choices))
    return []
}

/// Records the reader's link (or unlink) and applies it at once; the store's answer reloads it.
func recordPriorLink(_ state: inout AppState, findingKey: String, priorFindingID: String?) -> [Effect] {
    guard let v = state.viewer, let f = state.findings.first(where: { $0.key == findingKey }) else { return [] }
    let analysis = f.analysisPrior ?? f.prior
    guard let priorStudy = analysis?.studyInstanceUID else { return [] }
    let comparison: PriorComparison
    if let id = priorFindingID {
        guard let chosen = state.priorCandidates(for: f).first(where: { $0.findingID == id }) else { return [] }
        let interval = analysis?.intervalDays ?? state.currentEntry?.aiResult?.findings.lazy.compactMap(\.prior?.intervalDays).first
        comparison = analysis?.findingID == id && analysis?.status != .new ? analysis! : AppState.comparison(current: f, prior: chosen, intervalDays: interval)
    } else {
        var unlinked = PriorComparison(studyInstanceUID: priorStudy, status: .new)
        unlinked.intervalDays = analysis?.intervalDays
        comparison = unlinked
    }
    let record = PriorLinkRecord(reader: state.reader, studyUID: v.studyUID, findingKey: findingKey,
                                 analysisFindingID: analysis.flatMap { $0.status == .new ? nil : $0.findingID }, comparison: comparison)
    state.viewer?.review.priorLinks[findingKey] = record
    state.message = priorFindingID.map { "Re-linked \(TextSanitizer.sanitize(f.label)) to prior \(TextSanitizer.sanitize($0))" }
        ?? "Unlinked \(TextSanitizer.sanitize(f.label)): new since the prior"
    return [.recordPriorLink(record), .audit(action: "prior-link", studyUID: v.studyUID, detail: findingKey)]
}
