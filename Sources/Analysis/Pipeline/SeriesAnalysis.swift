import Foundation
import Imaging
import Inference

/// One model run on one CT series: load the volume, run the model slice-wise, extract findings.
/// Shared by `lightbox analyze` and the workstation's background AI.
public struct SeriesAnalysis {
    public let volume: Volume
    /// The model's probabilities on the volume's grid.
    public let probabilities: [Float]
    public let findings: [Finding]

    public init(series: StudyIndex.Series, entry: ModelCatalog.Entry, outOfDistribution: Bool, threshold: Float = 0.5,
                patient: BrockModel.Patient? = nil, progress: (Double) -> Void = { _ in }) throws {
        volume = try VolumeLoader.load(series.instances)
        let model = try Model.load(entry.url)
        probabilities = try VolumeAnalyzer(model: model, card: entry.card).probabilities(for: volume, progress: progress)
        let kind: VolumeFindingExtractor.Kind = entry.card.intendedUse.bodyPart.uppercased() == "HEAD" ? .haemorrhage : .lungNodule
        findings = VolumeFindingExtractor(kind: kind, threshold: threshold,
                                          model: .init(id: entry.card.id, version: entry.card.version, sha256: entry.card.sha256),
                                          ood: outOfDistribution, patient: patient)
            .findings(volume: volume, probabilities: probabilities)
    }
}
