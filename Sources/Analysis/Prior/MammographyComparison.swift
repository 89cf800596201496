import Foundation

/// The comparison of a mammogram's findings with the prior mammogram's (issue 19).
///
/// 1. **Same view.** A current finding is compared only with the prior findings of the same
///    laterality and view position (RCC with the prior RCC, …).
/// 2. **Breast coordinates.** Each position is normalised to its own breast (`BreastFrame`,
///    estimated on each image): depth from the chest wall as a fraction of the chest-wall-to-nipple
///    distance, offset from the nipple axis as a fraction of the breast's half-width. Compression
///    and positioning change from one exam to the next; the place in the breast does not.
/// 3. **Matching.** Optimal one-to-one assignment (Hungarian, as `NoduleMatching`) on the cost
///    `d / gate + 0.25 · |ln(diameter ratio)|`, `d` the distance between the two normalised
///    positions in mm of the current breast (`BreastFrame.distanceMM`), `gate = 10 mm + 0.5 ·
///    larger diameter`; pairs beyond the gate, or whose diameters differ by more than a factor
///    `maxSizeRatio` (2.5), never match. A matched finding is `present_on_prior`.
/// 4. **Status.** Unmatched: `new`. Matched: `growing` when the diameter grew by more than
///    `growthMM` (2.5 mm; the model's equivalent-circle diameter of the same lesion moves by up to
///    about 2 mm between exams), `shrinking` when it fell by more, else `stable`.
/// 5. **Suspicion of stable findings** (`Rule`, applied by `applyStableRule`): see `Rule`.
public enum MammographyComparison {
    /// The matching gate and the stable-finding rule.
    ///
    /// A `stable` finding (present on the prior, diameter within `growthMM`) on a prior at least
    /// `oneYearDays` earlier has its probability multiplied by `factorOneYear` (0.5), at least
    /// `twoYearsDays` earlier by `factorTwoYears` (0.25); its suspicion score, BI-RADS category and
    /// risk are recomputed from the lowered probability (times the view's score, as without a
    /// prior), unless the breast's other view has a new or growing finding at about the same
    /// depth from the chest wall (within `twoViewDepthTolerance` of the breast depth: probably the
    /// same lesion, and the doubt goes to the change). A finding whose lowered probability falls
    /// under the run's reporting threshold is
    /// no longer a mark: it moves to the run's `stable_on_prior` (kept, not shown as a finding).
    /// A breast all of whose findings were lowered has its probability multiplied by the smallest
    /// factor used (the view score mostly reflects those findings); with any new or growing
    /// finding it keeps its probability. `new`, `growing` and `shrinking` findings are never
    /// lowered, and nothing changes without a prior.
    ///
    /// Why: a radiologist reading with a prior dismisses what has not changed. ACR BI-RADS treats a
    /// probably-benign finding unchanged for two years as benign (category 2), and a finding
    /// unchanged since the last annual screen as much less likely to be cancer than a new one,
    /// and reading with priors is what keeps screening recall rates down. Stability does not
    /// exclude cancer (some grow slowly), so the factor lowers the
    /// suspicion instead of removing it: a very strong stable mark stays a mark. Intervals under
    /// 11 months (a short-interval follow-up) change nothing.
    public struct Rule: Sendable, Equatable {
        public var gateBaseMM = 10.0
        public var gatePerDiameter = 0.5
        public var maxSizeRatio = 2.5
        public var growthMM = 2.5
        public var oneYearDays = 335.0
        public var twoYearsDays = 700.0
        public var factorOneYear = 0.5
        public var factorTwoYears = 0.25
        /// A stable finding is not lowered when the breast's other view has a new or growing
        /// finding within this normalised depth (the same lesion, measured differently there).
        public var twoViewDepthTolerance = 0.1
        public init() {}

        /// The factor for a stable finding after `days`, or nil when the interval is too short
        /// or unknown.
        public func factor(days: Double?) -> Double? {
            guard let days else { return nil }
            if days >= twoYearsDays { return factorTwoYears }
            if days >= oneYearDays { return factorOneYear }
            return nil
        }
    }

    /// "L"/"R" + view without a laterality prefix ("LCC" → "L", "CC").
    static func viewKey(_ f: Finding) -> String? {
        guard var v = f.view?.uppercased().trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        var lat = f.laterality?.uppercased() ?? ""
        if !ContralateralPairing.mammographyViews.contains(v), let c = v.first, c == "L" || c == "R",
           ContralateralPairing.mammographyViews.contains(String(v.dropFirst())) {
            if lat.isEmpty { lat = String(c) }
            v = String(v.dropFirst())
        }
        guard lat == "L" || lat == "R" else { return nil }
        return lat + " " + v
    }

    /// Each current finding with its `prior` set (`present_on_prior`, status, the matched prior
    /// finding's size and positions). `frames`: the breast frame of every image of both studies
    /// by SOP Instance UID; a finding on an image without a frame gets no comparison.
    public static func compare(current: [Finding], prior: [Finding], frames: [String: BreastFrame], days: Double?,
                               priorStudyInstanceUID: String, rule: Rule = Rule()) -> [Finding] {
        var out = current
        let priorByView = Dictionary(grouping: prior.indices.filter { viewKey(prior[$0]) != nil }) { viewKey(prior[$0])! }
        let currentByView = Dictionary(grouping: current.indices.filter { viewKey(current[$0]) != nil }) { viewKey(current[$0])! }
        for (key, ci) in currentByView {
            let cur = ci.filter { frames[current[$0].sopInstanceUID] != nil && current[$0].centerPX.count == 2 }
            let pri = (priorByView[key] ?? []).filter { frames[prior[$0].sopInstanceUID] != nil && prior[$0].centerPX.count == 2 }
            func pos(_ f: Finding) -> BreastPosition { frames[f.sopInstanceUID]!.position(column: f.centerPX[0], row: f.centerPX[1]) }
            let n = cur.count, m = pri.count
            var pairs: [Int: (j: Int, d: Double)] = [:]
            if n > 0 && m > 0 {
                let forbidden = 1e6, size = n + m
                var cost = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
                var dist = [[Double]](repeating: [Double](repeating: .infinity, count: m), count: n)
                for i in 0 ..< size {
                    for j in 0 ..< size {
                        switch (i < n, j < m) {
                        case (true, true):
                            let a = current[cur[i]], b = prior[pri[j]]
                            let d = frames[a.sopInstanceUID]!.distanceMM(pos(a), pos(b))
                            dist[i][j] = d
                            let da = max(a.diameterMM ?? 0, 0.5), db = max(b.diameterMM ?? 0, 0.5)
                            let gate = rule.gateBaseMM + rule.gatePerDiameter * max(da, db)
                            let ratio = da / db
                            let sizeOK = a.diameterMM == nil || b.diameterMM == nil || max(ratio, 1 / ratio) <= rule.maxSizeRatio
                            cost[i][j] = d > gate || !sizeOK ? forbidden : d / gate + 0.25 * abs(log(ratio))
                        case (true, false), (false, true): cost[i][j] = 2
                        case (false, false): cost[i][j] = 0
                        }
                    }
                }
                let assignment = NoduleMatching.hungarian(cost)
                for i in 0 ..< n where assignment[i] < m && cost[i][assignment[i]] < forbidden {
                    pairs[i] = (assignment[i], dist[i][assignment[i]])
                }
            }
            for (i, k) in cur.enumerated() {
                let f = current[k]
                var c = PriorComparison(studyInstanceUID: priorStudyInstanceUID, status: .new)
                c.presentOnPrior = false
                c.breastPosition = rounded(pos(f))
                c.intervalDays = days
                if let (j, d) = pairs[i] {
                    let p = prior[pri[j]]
                    c.presentOnPrior = true
                    c.findingID = p.id
                    c.centerMM = p.centerMM.isEmpty ? nil : p.centerMM
                    c.diameterMM = p.diameterMM
                    c.priorBreastPosition = rounded(pos(p))
                    c.distanceMM = (d * 10).rounded() / 10
                    c.priorCategory = p.category
                    c.status = .stable
                    if let a = f.diameterMM, let b = p.diameterMM {
                        let change = a - b
                        c.diameterChangeMM = (change * 10).rounded() / 10
                        if change > rule.growthMM { c.status = .growing } else if change < -rule.growthMM { c.status = .shrinking }
                    }
                }
                out[k].prior = c
            }
        }
        return out
    }

    private static func rounded(_ p: BreastPosition) -> BreastPosition {
        BreastPosition(depth: (p.depth * 1000).rounded() / 1000, offset: (p.offset * 1000).rounded() / 1000)
    }

    /// The stable-finding rule (`Rule`) on the compared findings of one mammography run:
    /// `findings` are changed in place (probability, suspicion score, BI-RADS, risk), those under
    /// `threshold` afterwards are returned (no longer marks), and `breasts` of the run are
    /// recomputed with their `prior` summary. `imageScores`: the views' scores (BI-RADS is taken on
    /// probability × view score, as `ImageFindingExtractor` does).
    public static func applyStableRule(findings: inout [Finding], breasts: inout [BreastAssessment], imageScores: [ImageScore],
                                       threshold: Double, days: Double?, priorStudyInstanceUID: String,
                                       rule: Rule = Rule()) -> [Finding] {
        let factor = rule.factor(days: days)
        var lowered: [String: Double] = [:]   // SOP → smallest factor used there
        let original = findings
        for i in findings.indices {
            guard let factor, var c = findings[i].prior, c.status == .stable else { continue }
            // Two views: the same lesion is seen on the breast's other view at about the same depth
            // from the chest wall; if that one is new or growing, this one is not lowered.
            let key = viewKey(findings[i])
            let depth = c.breastPosition?.depth
            let seenChanging = original.contains { g in
                guard let gc = g.prior, gc.status == .new || gc.status == .growing, let gk = viewKey(g), gk != key,
                      gk.first == key?.first, let d = depth, let gd = gc.breastPosition?.depth else { return false }
                return abs(gd - d) <= rule.twoViewDepthTolerance
            }
            if seenChanging { continue }
            c.probabilityBeforePrior = findings[i].probability
            c.suspicionFactor = factor
            findings[i].probability *= factor
            findings[i].prior = c
            let score = imageScores.first { $0.sopInstanceUID == findings[i].sopInstanceUID }?.probability
            ImageFindingExtractor.assignMammographyCategory(&findings[i], imageScore: score)
            lowered[findings[i].sopInstanceUID] = min(lowered[findings[i].sopInstanceUID] ?? 1, factor)
        }
        let below = findings.filter { $0.prior?.suspicionFactor != nil && $0.probability < threshold }
        let belowIDs = Set(below.map { $0.id ?? "\($0.sopInstanceUID)@\($0.centerPX)" })
        let all = findings
        findings.removeAll { belowIDs.contains($0.id ?? "\($0.sopInstanceUID)@\($0.centerPX)") }
        for b in breasts.indices {
            let uids = Set(breasts[b].sopInstanceUIDs)
            let mine = all.filter { uids.contains($0.sopInstanceUID) }
            let kept = findings.filter { uids.contains($0.sopInstanceUID) }
            var summary = BreastPrior(studyInstanceUID: priorStudyInstanceUID, intervalDays: days)
            summary.presentOnPrior = mine.filter { $0.prior?.presentOnPrior == true }.count
            summary.new = mine.filter { $0.prior?.status == .new }.count
            summary.growing = mine.filter { $0.prior?.status == .growing }.count
            summary.stable = mine.filter { $0.prior?.status == .stable }.count
            summary.stableNotMarked = mine.count - kept.count
            let factors = mine.compactMap { $0.prior?.suspicionFactor }
            if !mine.isEmpty, factors.count == mine.count, let k = factors.min() {
                summary.probabilityBeforePrior = breasts[b].probability
                summary.factor = k
                breasts[b].probability *= k
            }
            breasts[b].findings = kept.count
            let birads = kept.isEmpty ? .one : BreastSuspicion.birads(breasts[b].probability)
            breasts[b].birads = birads.rawValue
            breasts[b].risk = birads.risk
            breasts[b].suspicionScore = BreastSuspicion.score(breasts[b].probability)
            breasts[b].prior = summary
        }
        return below
    }
}

/// A breast's comparison with the prior mammogram (`BreastAssessment.prior`, JSON `prior`).
public struct BreastPrior: Codable, Sendable, Equatable {
    public var studyInstanceUID: String
    public var intervalDays: Double?
    /// The breast's findings (before the rule) already present on the prior, and by status.
    public var presentOnPrior = 0
    public var new = 0
    public var growing = 0
    public var stable = 0
    /// Stable findings whose lowered probability fell under the reporting threshold.
    public var stableNotMarked = 0
    /// The breast's probability before the rule and the factor applied; nil when not lowered.
    public var probabilityBeforePrior: Double?
    public var factor: Double?

    public init(studyInstanceUID: String, intervalDays: Double?) {
        self.studyInstanceUID = studyInstanceUID; self.intervalDays = intervalDays
    }

    enum CodingKeys: String, CodingKey {
        case new, growing, stable, factor
        case studyInstanceUID = "study_instance_uid"
        case intervalDays = "interval_days"
        case presentOnPrior = "present_on_prior"
        case stableNotMarked = "stable_not_marked"
        case probabilityBeforePrior = "probability_before_prior"
    }
}
