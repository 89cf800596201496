import Foundation
import Imaging
import Inference

/// One model run on one CT series: load the volume (unreadable slices left out, with a warning),
/// run the model slice-wise, extract findings. Shared by `lightbox analyze` (through
/// `StudyAnalysis`) and the workstation's background AI.
public struct SeriesAnalysis {
    public let volume: Volume
    /// The model's probabilities on the volume's grid: the whole map resampled (300 MB and about a
    /// second on a 300-slice 512² CT), so made only when asked for, afresh on each call.
    public func probabilitiesOnVolumeGrid() -> [Float] { grid.onVolumeGrid(volume) }
    /// The same at the model's resolution (what the card's candidate rule runs on).
    public let grid: VolumeAnalyzer.ModelGrid
    public let findings: [Finding]
    /// Skipped slices and gaps, for the user.
    public let warnings: [String]

    public init(series: StudyIndex.Series, entry: ModelCatalog.Entry, outOfDistribution: Bool, threshold: Float = 0.5,
                patient: BrockModel.Patient? = nil, progress: (Double) -> Void = { _ in }) throws {
        try self.init(series: series, entry: entry, outOfDistribution: outOfDistribution, threshold: threshold,
                      patient: patient, progress: progress, isCancelled: { false })
    }

    public init(series: StudyIndex.Series, entry: ModelCatalog.Entry, outOfDistribution: Bool, threshold: Float = 0.5,
                patient: BrockModel.Patient? = nil, progress: (Double) -> Void = { _ in }, isCancelled: () -> Bool) throws {
        guard entry.verified else { throw ModelCatalog.Problem.unverified(entry.url.lastPathComponent) }
        let loaded = try SeriesLoader.volume(of: series.instances, options: .tolerant)
        volume = loaded.volume
        warnings = loaded.warnings
        let models = try VolumeAnalyzer.instances(of: entry.url)
        grid = try VolumeAnalyzer(model: models[0], card: entry.card, additionalModels: Array(models.dropFirst()),
                                  featureOutput: entry.trust.detector?.featureOutput).modelGrid(for: volume, progress: progress, isCancelled: isCancelled)
        let kind: VolumeFindingExtractor.Kind = entry.card.intendedUse.bodyPart.uppercased() == "HEAD" ? .haemorrhage : .lungNodule
        var extractor = VolumeFindingExtractor(kind: kind, threshold: threshold,
                                               model: .init(id: entry.card.id, version: entry.card.version, sha256: entry.card.sha256),
                                               ood: outOfDistribution, patient: patient)
        extractor.rule = entry.details.candidates
        findings = extractor.findings(volume: volume, grid: grid)
    }
}
