import Analysis
import Foundation
import Imaging
import Review
import TerminalGraphics

extension AIResult {
    /// What the reader sees of an analysis, whether the workstation ran the models itself or read
    /// `analysis.json` beside the study (`lightbox analyze --json`'s output, or another writer's):
    /// the same findings with the same keys, heatmaps on each image's own pixel grid, per-breast
    /// lines, abstention reasons, and the banner and warnings the model cards ask for.
    ///
    /// What an out-of-distribution run proposed is marked and stays hidden (and never raises
    /// priority) until the reader reveals it; its heatmaps go to `withheldHeatmaps`.
    public init(document: AnalysisDocument, study: StudyIndex.Study) {
        let seriesOf = Dictionary(study.series.flatMap { s in s.instances.map { ($0.sopInstanceUID, s.seriesInstanceUID) } },
                                  uniquingKeysWith: { a, _ in a })
        var findings: [ReviewFinding] = []
        for (i, f) in document.findings.enumerated() {
            let identity = ModelIdentity(id: f.model.id, version: f.model.version, sha256: f.model.sha256)
            let box = f.bboxPX.count == 4 ? f.bboxPX : [0, 0, 0, 0]
            var w = ReviewFinding(key: "\(identity.id):\(f.id ?? String(i + 1))", origin: .ai, label: f.label,
                            probability: f.probability, risk: f.risk,
                            seriesUID: f.seriesInstanceUID ?? seriesOf[f.sopInstanceUID] ?? "", sopUID: f.sopInstanceUID,
                            centerX: f.centerPX.first ?? 0, centerY: f.centerPX.count > 1 ? f.centerPX[1] : 0,
                            width: Double(box[2]), height: Double(box[3]),
                            diameterMM: f.diameterMM, volumeML: f.volumeML, outOfDistribution: f.ood, model: identity)
            w.category = f.category
            w.frameNumber = f.frameNumber
            w.territory = f.territory
            w.dwiFlairMismatch = f.dwiFlairMismatch
            w.flairRelativeSignal = f.flairRelativeSignal
            w.prior = f.prior
            findings.append(w)
        }
        let ran = document.runs.filter { $0.model != nil }
        var heatmaps: [String: ModelGridHeatmap] = [:], withheld: [String: ModelGridHeatmap] = [:]
        let oodImages = Set(document.findings.filter(\.ood).map(\.sopInstanceUID))
            .union(ran.filter { !$0.ood.isEmpty }.flatMap { run in
                study.series.first { $0.seriesInstanceUID == run.seriesInstanceUID }?.instances.map(\.sopInstanceUID) ?? [] })
        for map in document.heatmaps where map.maximum >= 0.1 {
            if oodImages.contains(map.sopInstanceUID) { withheld[map.imageKey] = map } else { heatmaps[map.imageKey] = map }
        }
        let summary = document.breasts.filter { !$0.ood }.map { b in
            // Short enough for the panel: "R breast: 6/10, BI-RADS 4A" (1–10 suspicion, docs/ANALYSIS_JSON.md).
            "\(b.laterality == "R" || b.laterality == "L" ? b.laterality : "?") breast: \(b.suspicionScore)/10, BI-RADS \(b.birads)"
        }
        let reference = document.models.first?.reference ?? ran.compactMap(\.model).first ?? document.findings.first?.model
        var abstention: [String] = []
        for reason in ran.flatMap(\.ood) where !abstention.contains(reason) { abstention.append(reason) }
        var warnings: [String] = []
        for w in document.models.compactMap(\.warning) + Set(ran.flatMap(\.warnings)).sorted() where !warnings.contains(w) {
            warnings.append(w)
        }
        self.init(findings: findings, model: reference.map { ModelIdentity(id: $0.id, version: $0.version, sha256: $0.sha256) },
                  notForClinicalUse: document.notForClinicalUse,
                  cardWarning: warnings.isEmpty ? nil : warnings.joined(separator: " — "),
                  heatmaps: heatmaps, summary: summary, abstention: abstention, withheldHeatmaps: withheld)
        registration = ran.compactMap(\.registration).first
        resolved = ran.flatMap { $0.resolved ?? [] }
    }
}
