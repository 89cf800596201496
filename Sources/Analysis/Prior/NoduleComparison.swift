import Foundation
import Imaging

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
    /// `volumes` (current, prior CT): when given, the volume change and doubling time of a matched
    /// pair come from `NoduleVolumetry` on both (the same sphere), else from the findings' volumes.
    public static func compare(current: [Finding], prior: [Finding], transform: RigidTransform, days: Double?,
                               priorStudyInstanceUID: String, volumes: (current: Volume, prior: Volume)? = nil) -> Output {
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
            var measured: (Double, Double)?
            // Partial volume against soft tissue measures a solid nodule; a ground-glass component is
            // not soft tissue (it would count a fraction of itself), so sub-solid ones keep the segmentation.
            let solid = max(c.solidFraction ?? 0, p.solidFraction ?? 0) >= NoduleVolumetry.solidFractionForHU
            if let volumes, solid, let a = c.diameterMM, let b = p.diameterMM {
                measured = sameSphereVolumes(volumes, current: c.centerMM, prior: p.centerMM, longAxesMM: (a, b))
                if measured != nil { pc.volumetry = "partial-volume HU" }
            }
            if measured == nil, let v2 = c.volumeML, let v1 = p.volumeML, v1 > 0 {
                measured = (v1, v2)
                pc.volumetry = "segmentation"
            }
            if let (v1, v2) = measured {
                pc.volumeChangePct = ((v2 / v1 - 1) * 1000).rounded() / 10
                if let days { pc.volumeDoublingDays = NoduleChange.doublingDays(priorML: v1, currentML: v2, days: days).map { $0.rounded() } }
            }
            if let (v1, v2) = measured, pc.volumetry == "partial-volume HU" {
                // Solid nodules: the status reads the equivalent-sphere diameters of the two
                // partial-volume measurements (same sphere, same rule), which are steadier than
                // the segmentation's in-plane diameters (their margin varies between scans).
                let d1 = cbrt(6 * v1 * 1000 / .pi), d2 = cbrt(6 * v2 * 1000 / .pi)
                pc.equivalentDiameterChangeMM = round2(d2 - d1)
                pc.status = NoduleChange.status(priorMeanMM: d1, currentMeanMM: d2)
            } else if let meanC, let meanP {
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

    /// Both time points' volumes (prior, current) in one sphere. The first sphere is sized by the
    /// findings' long axes, which the model overstates (a 14.5 mm nodule measured 22.5 mm), and a
    /// sphere much larger than the nodule holds more background than the correction removes; so the
    /// volumes measured in it size a second, tighter sphere (the larger equivalent diameter + the
    /// margin), used when it is smaller.
    static func sameSphereVolumes(_ volumes: (current: Volume, prior: Volume), current: [Double], prior: [Double],
                                  longAxesMM: (Double, Double)) -> (Double, Double)? {
        func measure(_ r: Double) -> (Double, Double)? {
            guard let v2 = NoduleVolumetry.volumeML(in: volumes.current, center: current, radiusMM: r),
                  let v1 = NoduleVolumetry.volumeML(in: volumes.prior, center: prior, radiusMM: r), v1 > 0, v2 > 0 else { return nil }
            return (v1, v2)
        }
        let first = max(longAxesMM.0, longAxesMM.1) / 2 + NoduleVolumetry.marginMM
        guard let (v1, v2) = measure(first) else { return nil }
        let tight = cbrt(6 * max(v1, v2) * 1000 / .pi) / 2 + NoduleVolumetry.marginMM
        guard tight < first, let refined = measure(tight) else { return (v1, v2) }
        return refined
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
            let change = pc.equivalentDiameterChangeMM ?? pc.meanDiameterChangeMM ?? 0
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
