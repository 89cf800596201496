import Foundation
import Imaging

extension StudyAnalysis {
    /// The mammography part of `compare`: run `r` (a mammography model) against the prior's run of
    /// the same model (`MammographyComparison`): every finding gets `prior` (`present_on_prior`,
    /// status), the stable-finding rule lowers the suspicion of stable findings (those then under
    /// `threshold` move to the run's `stable_on_prior`), and the run's breasts are recomputed with
    /// their `prior` summary. The breast frames are estimated on the views of both studies that
    /// are compared (decoding them is most of the run's `prior_comparison.seconds`).
    static func compareMammography(_ result: inout Result, run r: Int, study: StudyIndex.Study, prior: StudyIndex.Study,
                                   priorResult: Result, entry: ModelCatalog.Entry, threshold: Float?, days: Double?,
                                   rule: MammographyComparison.Rule = .init()) {
        let run = result.runs[r]
        guard let model = run.model else { return }
        guard let priorRun = priorResult.runs.first(where: { $0.model?.id == model.id && ($0.status == .findings || $0.status == .noFindings) }),
              let currentSeries = study.series.first(where: { $0.seriesInstanceUID == run.seriesInstanceUID }) else {
            result.runs[r].warnings.append("the prior study \(prior.studyInstanceUID) has no usable run of \(model.id): findings are not compared")
            return
        }
        let start = Date()
        let currentIdx = result.findings.indices.filter {
            result.findings[$0].seriesInstanceUID == run.seriesInstanceUID && result.findings[$0].model.id == model.id
        }
        let priorFindings = priorResult.findings.filter { $0.seriesInstanceUID == priorRun.seriesInstanceUID && $0.model.id == model.id }
        // Frames of the current views with findings and of every prior view of the same laterality and view.
        let priorHeaders = prior.series.filter { $0.seriesInstanceUID == priorRun.seriesInstanceUID }.flatMap(\.instances)
        func key(_ h: InstanceHeader) -> String { ContralateralPairing.laterality(of: h) + " " + ContralateralPairing.view(of: h) }
        let wanted = Set(currentIdx.map { result.findings[$0].sopInstanceUID })
        let currentHeaders = currentSeries.instances.filter { wanted.contains($0.sopInstanceUID) }
        let keys = Set(currentHeaders.map(key))
        var frames: [String: BreastFrame] = [:]
        var missing: [String] = []
        for h in currentHeaders + priorHeaders.filter({ keys.contains(key($0)) }) where h.hasPixelData && h.frames == 1 {
            do {
                let image = try ProjectionImage.load(h)
                if let f = BreastFrame.estimate(values: image.values, columns: image.columns, rows: image.rows,
                                                invert: image.photometricInterpretation == "MONOCHROME1",
                                                spacing: image.pixelSpacing.map { ($0.column, $0.row) }) {
                    frames[h.sopInstanceUID] = f
                } else { missing.append(key(h)) }
            } catch { missing.append(key(h)) }
        }
        if !missing.isEmpty {
            result.runs[r].warnings.append("no breast found on \(missing.joined(separator: ", ")): those views are not compared with the prior")
        }
        var current = currentIdx.map { result.findings[$0] }
        current = MammographyComparison.compare(current: current, prior: priorFindings, frames: frames, days: days,
                                                priorStudyInstanceUID: prior.studyInstanceUID, rule: rule)
        let reporting = Double(threshold ?? entry.trust.operatingPoint.map { Float($0.threshold) } ?? entry.details.operatingThreshold ?? 0.5)
        let scores = result.imageScores.filter { $0.model.id == model.id }
        let breastIdx = result.breasts.indices.filter { b in
            result.breasts[b].model.id == model.id && result.breasts[b].sopInstanceUIDs.contains { u in currentSeries.instances.contains { $0.sopInstanceUID == u } }
        }
        var breasts = breastIdx.map { result.breasts[$0] }
        let below = MammographyComparison.applyStableRule(findings: &current, breasts: &breasts, imageScores: scores,
                                                          threshold: reporting, days: days,
                                                          priorStudyInstanceUID: prior.studyInstanceUID, rule: rule)
        for (k, b) in breastIdx.enumerated() { result.breasts[b] = breasts[k] }
        // Replace the run's findings in place (order kept), without those no longer marked.
        let byID = Dictionary(current.map { ($0.id ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let gone = Set(below.compactMap(\.id))
        var merged: [Finding] = []
        for (i, f) in result.findings.enumerated() {
            if currentIdx.contains(i) {
                guard let id = f.id, !gone.contains(id) else { continue }
                merged.append(byID[id] ?? f)
            } else { merged.append(f) }
        }
        result.findings = merged
        result.runs[r].stableOnPrior = below
        result.runs[r].findings = current.count
        if current.isEmpty && result.runs[r].status == .findings { result.runs[r].status = .noFindings }
        result.runs[r].priorComparison = MammographyPriorRun(priorStudyInstanceUID: prior.studyInstanceUID,
                                                             priorSeriesInstanceUID: priorRun.seriesInstanceUID,
                                                             intervalDays: days, seconds: Date().timeIntervalSince(start))
        if days == nil {
            result.runs[r].warnings.append("a study date is missing: no interval, so stable findings keep their suspicion")
        }
    }
}

/// A mammography run's comparison with the prior (a run's `prior_comparison`).
public struct MammographyPriorRun: Codable, Sendable, Equatable {
    public var priorStudyInstanceUID: String
    public var priorSeriesInstanceUID: String
    public var method = "same view, breast coordinates (chest wall, nipple), Hungarian"
    public var intervalDays: Double?
    public var seconds: Double

    public init(priorStudyInstanceUID: String, priorSeriesInstanceUID: String, intervalDays: Double?, seconds: Double) {
        self.priorStudyInstanceUID = priorStudyInstanceUID; self.priorSeriesInstanceUID = priorSeriesInstanceUID
        self.intervalDays = intervalDays; self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case method, seconds
        case priorStudyInstanceUID = "prior_study_instance_uid"
        case priorSeriesInstanceUID = "prior_series_instance_uid"
        case intervalDays = "interval_days"
    }
}
