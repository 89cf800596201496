import Foundation

/// Nodules of two time points, given the registration: match (`NoduleMatching`), then for each
/// current nodule its `PriorComparison` and Lung-RADS with comparison, and the resolved ones.
/// Pure (no pixels); O((n + m)³) in the number of findings.
public enum NoduleComparison {
    public struct Output: Sendable {
        /// The current findings, in the given order, each with `prior` set and its category and
        /// risk those with comparison.
        public var current: [Finding]
        public var resolved: [ResolvedFinding]
    }

    /// Intervals up to this many days count as "within 12 months" for Lung-RADS growth (a yearly
    /// screen is rarely exactly 365 days after the last).
    public static let yearWindowDays = 395.0

    /// `transform`: p_prior = R · p_current + t. `days`: from the prior to the current study.
    public static func compare(current: [Finding], prior: [Finding], transform: RigidTransform, days: Double?,
                               priorStudyInstanceUID: String) -> Output {
        let back = transform.inverse
        let priorInCurrent = prior.map { $0.centerMM.count == 3 ? back.apply($0.centerMM) : $0.centerMM }
        let pairs = NoduleMatching.match(
            current: current.map { .init(center: $0.centerMM, diameterMM: NoduleChange.meanDiameter($0) ?? 0) },
            prior: prior.indices.map { .init(center: priorInCurrent[$0], diameterMM: NoduleChange.meanDiameter(prior[$0]) ?? 0) })
        var out = current
        var matchedPrior = Set<Int>()
        for i in out.indices { out[i].prior = PriorComparison(studyInstanceUID: priorStudyInstanceUID, status: .new) }
        for (i, j, distance) in pairs {
            matchedPrior.insert(j)
            let c = current[i], p = prior[j]
            var pc = PriorComparison(studyInstanceUID: priorStudyInstanceUID, status: .stable)
            pc.findingID = p.id
            pc.centerMM = p.centerMM.map(round2)
            pc.centerInCurrentMM = priorInCurrent[j].map(round2)
            pc.diameterMM = p.diameterMM
            pc.volumeML = p.volumeML
            pc.priorCategory = p.category
            pc.distanceMM = round2(distance)
            pc.intervalDays = days.map { ($0 * 10).rounded() / 10 }
            if let a = c.diameterMM, let b = p.diameterMM { pc.diameterChangeMM = round2(a - b) }
            let meanC = NoduleChange.meanDiameter(c), meanP = NoduleChange.meanDiameter(p)
            if let meanC, let meanP { pc.meanDiameterChangeMM = round2(meanC - meanP) }
            if let v2 = c.volumeML, let v1 = p.volumeML, v1 > 0 {
                pc.volumeChangePct = ((v2 / v1 - 1) * 1000).rounded() / 10
                if let days { pc.volumeDoublingDays = NoduleChange.doublingDays(priorML: v1, currentML: v2, days: days).map { $0.rounded() } }
            }
            if let meanC, let meanP {
                pc.status = NoduleChange.status(priorMeanMM: meanP, currentMeanMM: meanC)
            }
            out[i].prior = pc
        }
        for i in out.indices { recategorise(&out[i], days: days) }
        let resolved = prior.indices.filter { !matchedPrior.contains($0) }.map {
            ResolvedFinding(prior: prior[$0], studyInstanceUID: priorStudyInstanceUID, centerInCurrentMM: priorInCurrent[$0].map(round2))
        }
        return Output(current: out, resolved: resolved)
    }

    /// Lung-RADS v2022 with comparison for a nodule whose `prior` is set; the risk follows the category.
    static func recategorise(_ f: inout Finding, days: Double?) {
        guard let pc = f.prior, let mean = NoduleChange.meanDiameter(f) else { return }
        let type: LungRADS.NoduleType = f.label.hasPrefix("part-solid") ? .partSolid : f.label.hasPrefix("ground-glass") ? .groundGlass : .solid
        // The solid core's diameter from its share of the volume (the extractor does not keep it).
        let solid = f.solidFraction.map { mean * cbrt(max(0, $0)) }
        let comparison: LungRADS.Comparison
        switch pc.status {
        case .new: comparison = .new
        case .resolved: return
        case .stable, .shrinking, .growing:
            let change = pc.meanDiameterChangeMM ?? 0
            if change > NoduleChange.growthMM {
                let perYear = days.map { change * 365.25 / max($0, 1) }
                if let days, days > yearWindowDays, let perYear, perYear <= NoduleChange.growthMM, type != .groundGlass {
                    comparison = .slowGrowing
                } else {
                    comparison = .growing
                }
            } else {
                comparison = .stable
            }
        }
        let category = LungRADS.category(type: type, meanDiameterMM: mean, solidComponentMM: solid, comparison: comparison)
        f.category = category.rawValue
        f.risk = category.risk
    }

    private static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
