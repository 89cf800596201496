import Foundation

/// The figures a model card reports, computed from scored units and candidates: AUC, lesion
/// sensitivity and false marks at a threshold, FROC, expected calibration error. Pure functions on
/// plain arrays, so `SiteValidation` can recompute them on every bootstrap resample.
public enum ValidationMetrics {
    /// One proposed mark: its (calibrated) probability and whether it hit a target. Marks that hit
    /// a target another mark already hit are `duplicate` (neither a hit nor a false mark, the usual
    /// FROC convention).
    public struct Candidate: Sendable {
        public var probability: Double
        public var hit: Bool
        public var duplicate: Bool
        public init(probability: Double, hit: Bool, duplicate: Bool = false) {
            self.probability = probability; self.hit = hit; self.duplicate = duplicate
        }
    }

    /// Area under the ROC curve (Mann–Whitney, ties count one half); nil without both classes.
    public static func auc(scores: [Double], labels: [Bool]) -> Double? {
        let pos = zip(scores, labels).filter { $0.1 }.map(\.0), neg = zip(scores, labels).filter { !$0.1 }.map(\.0)
        guard !pos.isEmpty, !neg.isEmpty else { return nil }
        let sortedNeg = neg.sorted()
        var sum = 0.0
        for p in pos {
            let below = lowerBound(sortedNeg, p), notAbove = upperBound(sortedNeg, p)
            sum += Double(below) + 0.5 * Double(notAbove - below)
        }
        return sum / Double(pos.count * neg.count)
    }

    /// Sensitivity and false marks per unit when marks at or above `threshold` are reported.
    public static func operatingPoint(_ candidates: [Candidate], targets: Int, units: Int, threshold: Double) -> (sensitivity: Double?, falseMarksPerUnit: Double) {
        let kept = candidates.filter { $0.probability >= threshold && !$0.duplicate }
        let hits = kept.filter(\.hit).count, fps = kept.count - hits
        return (targets > 0 ? Double(hits) / Double(targets) : nil, units > 0 ? Double(fps) / Double(units) : 0)
    }

    /// The FROC curve: (false marks per unit, sensitivity) after each distinct threshold, highest first.
    public static func frocCurve(_ candidates: [Candidate], targets: Int, units: Int) -> [(fp: Double, sensitivity: Double, threshold: Double)] {
        guard targets > 0, units > 0 else { return [] }
        let sorted = candidates.filter { !$0.duplicate }.sorted { $0.probability > $1.probability }
        var out: [(Double, Double, Double)] = []
        var hits = 0, fps = 0, i = 0
        while i < sorted.count {
            let t = sorted[i].probability
            while i < sorted.count, sorted[i].probability == t {
                if sorted[i].hit { hits += 1 } else { fps += 1 }
                i += 1
            }
            out.append((Double(fps) / Double(units), Double(hits) / Double(targets), t))
        }
        return out
    }

    /// FROC sensitivity at `fp` false marks per unit: the best sensitivity over thresholds whose
    /// false-mark rate stays at or below it (0 when none does).
    public static func froc(_ candidates: [Candidate], targets: Int, units: Int, fp: Double) -> Double? {
        guard targets > 0, units > 0 else { return nil }
        return frocCurve(candidates, targets: targets, units: units).filter { $0.fp <= fp + 1e-12 }.map(\.sensitivity).max() ?? 0
    }

    /// One bin of a reliability diagram.
    public struct Bin: Sendable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var meanProbability: Double
        public var observed: Double
    }

    /// Ten equal-width bins of probability against the observed rate of marks on a lesion. A
    /// duplicate (a second mark on a lesion already found) counts as on a lesion: the probability
    /// shown with a mark claims the mark lies on one, which it does (the FROC, by contrast, counts
    /// each lesion once and ignores duplicates).
    public static func reliability(_ candidates: [Candidate], bins: Int = 10) -> [Bin] {
        let marks = candidates.map { Candidate(probability: $0.probability, hit: $0.hit || $0.duplicate) }
        return (0 ..< bins).map { b in
            let lo = Double(b) / Double(bins), hi = Double(b + 1) / Double(bins)
            let inBin = marks.filter { $0.probability >= lo && ($0.probability < hi || (b == bins - 1 && $0.probability <= hi)) }
            let n = inBin.count
            return Bin(lower: lo, upper: hi, count: n,
                       meanProbability: n == 0 ? 0 : inBin.map(\.probability).reduce(0, +) / Double(n),
                       observed: n == 0 ? 0 : Double(inBin.filter(\.hit).count) / Double(n))
        }
    }

    /// Expected calibration error over ten equal-width bins (count-weighted |mean p − hit rate|).
    public static func ece(_ candidates: [Candidate], bins: Int = 10) -> Double? {
        let r = reliability(candidates, bins: bins)
        let total = r.map(\.count).reduce(0, +)
        guard total > 0 else { return nil }
        return r.map { Double($0.count) * abs($0.meanProbability - $0.observed) }.reduce(0, +) / Double(total)
    }

    static func lowerBound(_ a: [Double], _ x: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let m = (lo + hi) / 2; if a[m] < x { lo = m + 1 } else { hi = m } }
        return lo
    }

    static func upperBound(_ a: [Double], _ x: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let m = (lo + hi) / 2; if a[m] <= x { lo = m + 1 } else { hi = m } }
        return lo
    }
}
