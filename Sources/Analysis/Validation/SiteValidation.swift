import Foundation
import Imaging

/// `lightbox validate`: a model run on a site's own cases that carry ground truth, with the figures
/// of its card recomputed there, each with a bootstrap 95 % interval, so a site can see for itself
/// whether the model holds up on its population (the card's figures come from synthetic phantoms).
///
/// The runs go through `StudyAnalysis`, the same path as `lightbox analyze` and the workstation
/// (preprocessing, content check, calibration), with every candidate kept so the FROC can be swept.
/// Figures are over the runs the model did not abstain on; the abstention rate is reported beside
/// them. The unit is the image for projection models and the scan for CT.
public enum SiteValidation {
    /// One image (projection models) or one scan (CT) of a validation case.
    public struct Unit: Sendable {
        /// Index of the case (study) it belongs to: the bootstrap resamples whole cases.
        public var caseIndex: Int
        /// Image-level score (calibrated), or for models without one the highest mark's probability.
        public var score: Double
        /// Ground truth for the AUC: malignant lesion on the view (mammography), any lesion otherwise.
        public var label: Bool
        public var candidates: [ValidationMetrics.Candidate]
        public var targets: Int
        public var abstained: Bool
    }

    public struct Figures: Codable, Sendable {
        public var auc: Double?
        /// Lesion sensitivity and false marks per unit at the card's operating point.
        public var sensitivity: Double?
        public var falseMarksPerUnit: Double
        public var froc: [String: Double]
        public var ece: Double?
        public var abstentionRate: Double
        public var units: Int
        public var targets: Int

        enum CodingKeys: String, CodingKey {
            case auc, sensitivity, froc, ece, units, targets
            case falseMarksPerUnit = "false_marks_per_unit"
            case abstentionRate = "abstention_rate"
        }

        /// The figures by the names the report and the card comparison use.
        public var named: [String: Double] {
            var out: [String: Double] = ["false_marks_per_unit": falseMarksPerUnit, "abstention_rate": abstentionRate]
            if let auc { out["auc"] = auc }
            if let sensitivity { out["sensitivity"] = sensitivity }
            if let ece { out["ece"] = ece }
            for (k, v) in froc { out["froc_sensitivity_at_\(k)_fp"] = v }
            return out
        }
    }

    static let frocPoints: [(name: String, fp: Double)] = [("0.25", 0.25), ("0.5", 0.5), ("1", 1), ("2", 2)]

    /// The smallest lesion the card's sensitivity counts (card
    /// `operating_point.minimum_lesion_diameter_mm`, e.g. 6 mm for LDCT nodules); nil: every lesion.
    public static func minimumLesionDiameter(cardAt path: String?) -> Double? {
        guard let path, let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return ((root["operating_point"] as? [String: Any])?["minimum_lesion_diameter_mm"] as? NSNumber)?.doubleValue
    }

    /// Runs `entry` on every case and scores its marks against the truth. `progress` gets 0…1.
    /// Lesions smaller than `minimumDiameterMM` are not targets, and marks on them are neither hits
    /// nor false marks (they still count as on a lesion for calibration).
    public static func collect(_ entry: ModelCatalog.Entry, cases: [(study: StudyIndex.Study, truth: GroundTruth)],
                               minimumDiameterMM: Double? = nil, progress: (Double) -> Void = { _ in }) -> [Unit] {
        let catalog = ModelCatalog(entries: [entry])
        // Every candidate (the FROC sweeps thresholds), out-of-distribution runs included and flagged.
        let options = StudyAnalysis.Options(threshold: 1e-6, ood: .allow, modelID: entry.card.id)
        let mammography = entry.card.intendedUse.modality.uppercased() == "MG"
        func counts(_ truth: GroundTruth, _ t: LesionMatching.Target) -> Bool {
            guard let minimum = minimumDiameterMM else { return true }
            return (truth.lesions[t.lesion].diameterMM ?? .infinity) >= minimum
        }
        var units: [Unit] = []
        for (k, c) in cases.enumerated() {
            let result = StudyAnalysis.analyze(c.study, catalog: catalog, options: options, cache: nil,
                                               progress: { progress((Double(k) + $0) / Double(cases.count)) })
            let headers = Dictionary(c.study.series.flatMap(\.instances).map { ($0.sopInstanceUID, $0) }, uniquingKeysWith: { a, _ in a })
            for run in result.runs where run.model != nil && (run.status == .findings || run.status == .noFindings) {
                guard let series = c.study.series.first(where: { $0.seriesInstanceUID == run.seriesInstanceUID }) else { continue }
                let sops = Set(series.instances.map(\.sopInstanceUID))
                let findings = result.findings.filter { sops.contains($0.sopInstanceUID) }.sorted { $0.probability > $1.probability }
                let abstained = !run.ood.isEmpty
                if entry.isVolumetric {
                    let targets = LesionMatching.targets(c.truth, volumetric: true, sops: sops).filter { counts(c.truth, $0) }
                    units.append(Unit(caseIndex: k, score: findings.first?.probability ?? 0, label: !targets.isEmpty,
                                      candidates: score(findings, c.truth, volumetric: true, headers: headers, counts: counts),
                                      targets: targets.count, abstained: abstained))
                } else {
                    let scores = Dictionary(result.imageScores.map { ($0.sopInstanceUID, $0.probability) }, uniquingKeysWith: { a, _ in a })
                    let images = Set(result.heatmaps.map(\.sopInstanceUID)).intersection(sops)
                    for sop in images.sorted() {
                        let own = findings.filter { $0.sopInstanceUID == sop }
                        let targets = LesionMatching.targets(c.truth, volumetric: false, sops: [sop]).filter { counts(c.truth, $0) }
                        let label = mammography ? targets.contains { c.truth.lesions[$0.lesion].malignant == true } : !targets.isEmpty
                        units.append(Unit(caseIndex: k, score: scores[sop] ?? own.first?.probability ?? 0, label: label,
                                          candidates: score(own, c.truth, volumetric: false, headers: headers, counts: counts),
                                          targets: targets.count, abstained: abstained))
                    }
                }
            }
        }
        progress(1)
        return units
    }

    /// Marks in descending probability, each a hit, a duplicate hit (or a mark on a lesion that
    /// does not `count`) or a false mark.
    static func score(_ findings: [Finding], _ truth: GroundTruth, volumetric: Bool, headers: [String: InstanceHeader],
                      counts: (GroundTruth, LesionMatching.Target) -> Bool = { _, _ in true }) -> [ValidationMetrics.Candidate] {
        var seen = Set<LesionMatching.Target>()
        return findings.map { f in
            let spacing = headers[f.sopInstanceUID]?.pixelGeometry.spacing.map { (column: $0.column, row: $0.row) }
            guard let t = LesionMatching.hit(f, truth: truth, volumetric: volumetric, spacing: spacing) else {
                return .init(probability: f.probability, hit: false)
            }
            let duplicate = !counts(truth, t) || !seen.insert(t).inserted
            return .init(probability: f.probability, hit: !duplicate, duplicate: duplicate)
        }
    }

    /// The figures over `units` (abstained ones only count towards the abstention rate).
    public static func figures(_ units: [Unit], threshold: Double) -> Figures {
        let read = units.filter { !$0.abstained }
        let candidates = read.flatMap(\.candidates)
        let targets = read.map(\.targets).reduce(0, +)
        let op = ValidationMetrics.operatingPoint(candidates, targets: targets, units: read.count, threshold: threshold)
        var froc: [String: Double] = [:]
        for p in frocPoints {
            if let v = ValidationMetrics.froc(candidates, targets: targets, units: read.count, fp: p.fp) { froc[p.name] = v }
        }
        return Figures(auc: ValidationMetrics.auc(scores: read.map(\.score), labels: read.map(\.label)),
                       sensitivity: op.sensitivity, falseMarksPerUnit: op.falseMarksPerUnit, froc: froc,
                       ece: ValidationMetrics.ece(candidates),
                       abstentionRate: units.isEmpty ? 0 : Double(units.count - read.count) / Double(units.count),
                       units: read.count, targets: targets)
    }

    /// 95 % percentile bootstrap intervals of every named figure, resampling whole cases
    /// `resamples` times with a fixed seed (the same report twice gives the same intervals).
    public static func bootstrap(_ units: [Unit], threshold: Double, resamples: Int, seed: UInt64 = 20261205) -> [String: [Double]] {
        let cases = Dictionary(grouping: units, by: \.caseIndex).values.map { $0 }
        guard !cases.isEmpty, resamples > 1 else { return [:] }
        var rng = SplitMix64(seed: seed)
        var samples: [String: [Double]] = [:]
        for _ in 0 ..< resamples {
            var drawn: [Unit] = []
            for _ in 0 ..< cases.count { drawn += cases[Int(rng.next() % UInt64(cases.count))] }
            for (k, v) in figures(drawn, threshold: threshold).named { samples[k, default: []].append(v) }
        }
        return samples.mapValues { v in
            let s = v.sorted()
            func q(_ p: Double) -> Double { s[min(s.count - 1, max(0, Int((p * Double(s.count - 1)).rounded())))] }
            return [q(0.025), q(0.975)]
        }
    }
}
