/// One finding as the review left it: where it is, what it claims, and what the reader decided.
/// This is the unit of every export (SR, JSON, CSV) and what reading an SR back yields.
public struct ReviewedFinding: Sendable, Equatable {
    public enum Outcome: String, Sendable, CaseIterable {
        case accepted, rejected, corrected
        case addedByReader = "added by reader"
    }

    /// Stable key within the study (the SR's Tracking Identifier).
    public var key: String
    public var origin: FindingOrigin
    /// The label in force: the reader's correction when there is one.
    public var label: String
    public var probability: Double?
    public var risk: String?
    public var seriesUID: String
    public var sopUID: String
    /// Centre in image pixels (column, row) on `sopUID`, and box size (0 for a point).
    public var centerX: Double?
    public var centerY: Double?
    public var width: Double
    public var height: Double
    /// Diameter in force (the reader's when corrected).
    public var diameterMM: Double?
    public var volumeML: Double?
    public var model: ModelIdentity?
    public var outcome: Outcome
    public var reason: String?
    /// What the AI proposed, when the reader corrected it.
    public var proposedLabel: String?
    public var proposedRisk: String?
    public var proposedDiameterMM: Double?
    public var reader: String
    /// ISO 8601 time of the decision (or of the mark, for reader findings).
    public var decidedAt: String

    public init(key: String, origin: FindingOrigin, label: String, probability: Double? = nil, risk: String? = nil,
                seriesUID: String = "", sopUID: String = "", centerX: Double? = nil, centerY: Double? = nil,
                width: Double = 0, height: Double = 0, diameterMM: Double? = nil, volumeML: Double? = nil,
                model: ModelIdentity? = nil, outcome: Outcome, reason: String? = nil, proposedLabel: String? = nil,
                proposedRisk: String? = nil, proposedDiameterMM: Double? = nil, reader: String = "", decidedAt: String = "") {
        self.key = key; self.origin = origin; self.label = label; self.probability = probability; self.risk = risk
        self.seriesUID = seriesUID; self.sopUID = sopUID; self.centerX = centerX; self.centerY = centerY
        self.width = width; self.height = height; self.diameterMM = diameterMM; self.volumeML = volumeML
        self.model = model; self.outcome = outcome; self.reason = reason; self.proposedLabel = proposedLabel
        self.proposedRisk = proposedRisk; self.proposedDiameterMM = proposedDiameterMM
        self.reader = reader; self.decidedAt = decidedAt
    }

    /// A box (non-zero size) rather than a point.
    public var isRegion: Bool { width > 0 && height > 0 }
}
