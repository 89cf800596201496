/// Image-level outputs of 2-D models and the per-breast summary of a mammogram.
public struct ImageScore: Codable, Sendable, Equatable {
    public var sopInstanceUID: String
    public var laterality: String?
    public var view: String?
    /// The card's image-level score (mammography: probability that the view shows a malignant
    /// lesion; radiograph: abnormality probability).
    public var probability: Double
    public var model: ModelIdentity

    enum CodingKeys: String, CodingKey {
        case laterality, view, probability, model
        case sopInstanceUID = "sop_instance_uid"
    }
}

/// One breast of a mammogram: the suspicion of its most suspicious view on the 1–10 scale and the
/// BI-RADS category of that likelihood (mapping in `BreastSuspicion`, docs/ANALYSIS_JSON.md), or
/// BI-RADS 1 when no finding was reported on the breast.
public struct BreastAssessment: Codable, Sendable, Equatable {
    public var laterality: String
    /// Maximum image-level malignancy probability over the breast's views.
    public var probability: Double
    public var suspicionScore: Int
    public var birads: String
    public var risk: RiskLevel
    /// The views that were read, and the findings on them.
    public var sopInstanceUIDs: [String]
    public var findings: Int
    public var ood: Bool
    public var model: ModelIdentity
    /// Compared with a prior mammogram (`MammographyComparison`): what was already there, and how
    /// the stable-finding rule changed this breast's suspicion. Nil without a prior.
    public var prior: BreastPrior? = nil

    enum CodingKeys: String, CodingKey {
        case laterality, probability, birads, risk, findings, ood, model, prior
        case suspicionScore = "suspicion_score"
        case sopInstanceUIDs = "sop_instance_uids"
    }

    /// One assessment per laterality present in `scores` ("" laterality is grouped as "?").
    public static func summarise(_ scores: [ImageScore], findings: [Finding], ood: Bool) -> [BreastAssessment] {
        let byBreast = Dictionary(grouping: scores) { $0.laterality ?? "?" }
        return byBreast.keys.sorted().compactMap { side in
            guard let views = byBreast[side], let top = views.max(by: { $0.probability < $1.probability }) else { return nil }
            let uids = views.map(\.sopInstanceUID)
            let count = findings.filter { uids.contains($0.sopInstanceUID) }.count
            // BI-RADS 3 and above need something to act on: a breast without a reported finding is
            // negative (1) whatever its score; the score is still given.
            let birads = count == 0 ? .one : BreastSuspicion.birads(top.probability)
            return BreastAssessment(laterality: side, probability: top.probability,
                                    suspicionScore: BreastSuspicion.score(top.probability), birads: birads.rawValue,
                                    risk: birads.risk, sopInstanceUIDs: uids,
                                    findings: count,
                                    ood: ood, model: top.model)
        }
    }
}
