import Analysis
import Foundation
import Imaging
import Inference
import Review
import TerminalGraphics

/// Runs the installed models (Analysis) on a study in the background: precomputed `analysis.json`
/// files win (they are what a PACS-side AI delivered); otherwise every CT series that a verified
/// model's card fits is analysed slice by slice, and its findings and heatmaps come back for review.
/// 2-D models (mammography, radiographs) are not run here yet.
public struct ModelFindingsSource: FindingsSource {
    public let catalog: ModelCatalog
    private let sidecars = SidecarFindingsSource()

    public init(modelsFolder: URL) throws {
        catalog = try ModelCatalog(folder: modelsFolder)
    }

    public var idleReason: String { catalog.entries.isEmpty ? "no models installed" : "no applicable model" }

    public func analyze(_ study: StudyIndex.Study, progress: @Sendable (Double) -> Void) throws -> AIResult? {
        if let precomputed = try sidecars.analyze(study, progress: progress) { return precomputed }
        var findings: [Finding] = []
        var heatmaps: [String: TerminalGraphics.Heatmap] = [:]
        var model: ModelIdentity?
        let runs = study.series.flatMap { series in
            catalog.applicable(to: series)
                .filter { $0.entry.verified && series.first.modality == "CT" && series.instances.count >= 3 }
                .map { (series, $0.entry, $0.ood) }
        }
        guard !runs.isEmpty else { return nil }
        for (k, (series, entry, ood)) in runs.enumerated() {
            let run = try SeriesAnalysis(series: series, entry: entry, outOfDistribution: !ood.isEmpty) { p in
                progress((Double(k) + p) / Double(runs.count))
            }
            let (volume, probabilities) = (run.volume, run.probabilities)
            let identity = ModelIdentity(id: entry.card.id, version: entry.card.version, sha256: entry.card.sha256)
            model = identity
            for (i, f) in run.findings.enumerated() {
                var w = Finding(key: "\(identity.id):\(series.seriesInstanceUID):\(i + 1)", origin: .ai, label: f.label,
                                probability: f.probability, risk: RiskLevel(rawValue: f.risk.rawValue),
                                seriesUID: series.seriesInstanceUID, sopUID: f.sopInstanceUID,
                                centerX: f.centerPX[0], centerY: f.centerPX[1],
                                width: Double(f.bboxPX[2]), height: Double(f.bboxPX[3]),
                                diameterMM: f.diameterMM, volumeML: f.volumeML, outOfDistribution: f.ood, model: identity)
                w.category = f.category
                findings.append(w)
            }
            // Heatmaps of the slices where the model saw anything, in each image's own pixel grid.
            let plane = volume.rows * volume.columns
            for z in 0 ..< volume.slices {
                let slice = Array(probabilities[z * plane ..< (z + 1) * plane])
                if slice.contains(where: { $0 >= 0.1 }) {
                    heatmaps[volume.sopInstanceUIDs[z]] = TerminalGraphics.Heatmap(width: volume.columns, height: volume.rows, values: slice)
                }
            }
        }
        return AIResult(findings: findings, model: model, notForClinicalUse: true,
                        cardWarning: "Trained on synthetic phantoms; not for clinical use", heatmaps: heatmaps)
    }
}
