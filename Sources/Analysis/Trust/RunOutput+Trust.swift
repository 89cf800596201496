import Foundation

extension StudyAnalysis.Run {
    /// Keeps the content detector's verdict and, when the content is out of distribution, its reason.
    mutating func record(_ check: ContentCheck?) {
        guard let check else { return }
        contentCheck = check
        if check.outOfDistribution, !ood.contains(check.reason) { ood.append(check.reason) }
    }
}

extension StudyAnalysis.RunOutput {
    /// Replaces the model's raw probabilities by the card's calibrated ones (`ModelTrust`) and
    /// re-derives what depends on them: radiograph risk levels (when the card's levels are in
    /// calibrated space) and the mammography likelihood, suspicion score and BI-RADS category. A
    /// run whose input is out of distribution marks every finding `ood`.
    mutating func calibrate(_ entry: ModelCatalog.Entry) {
        let trust = entry.trust
        run.calibrated = trust.isCalibrated
        if let cal = trust.scoreCalibration {
            for i in imageScores.indices { imageScores[i].probability = cal(imageScores[i].probability) }
        }
        let scoreBySOP = Dictionary(imageScores.map { ($0.sopInstanceUID, $0.probability) }, uniquingKeysWith: { a, _ in a })
        let label = entry.card.outputs.labels?.first ?? ""
        let levels = (entry.card.outputs.riskLevels?[label] ?? []).map { (name: $0.name, threshold: $0.threshold) }
        let mammography = entry.card.intendedUse.modality.uppercased() == "MG"
        for i in findings.indices {
            if let cal = trust.candidateCalibration { findings[i].probability = cal(findings[i].probability) }
            if mammography {
                ImageFindingExtractor.assignMammographyCategory(&findings[i], imageScore: scoreBySOP[findings[i].sopInstanceUID])
            } else if !entry.isVolumetric, !entry.isMultiSequence, trust.riskLevelsCalibrated {
                findings[i].risk = ImageFindingExtractor.risk(findings[i].probability, levels: levels)
            }
            if !run.ood.isEmpty { findings[i].ood = true }
        }
    }

    /// This output under `policy`: an out-of-distribution run that abstains keeps its reasons and
    /// the count of what it withheld, and loses its findings, image scores and heatmaps.
    func applying(_ policy: StudyAnalysis.OODPolicy) -> Self {
        guard policy == .abstain, !run.ood.isEmpty, run.status == .findings || run.status == .noFindings else { return self }
        var out = self
        out.run.status = .abstained
        out.run.withheld = findings.count
        out.run.findings = 0
        out.findings = []
        out.imageScores = []
        out.heatmaps = []
        return out
    }
}
