import Analysis
import Review
import TerminalGraphics

/// A finding shown in the panel: proposed by a model (`origin == .ai`) or marked by the reader.
public struct Finding: Sendable, Equatable {
    public var key: String
    public var origin: FindingOrigin
    public var label: String
    public var probability: Double?
    public var risk: RiskLevel?
    public var seriesUID: String
    public var sopUID: String
    /// Centre in image pixels (x, y) on the instance `sopUID`.
    public var centerX: Double
    public var centerY: Double
    /// Box size in pixels (0 × 0 for a point).
    public var width: Double
    public var height: Double
    public var diameterMM: Double?
    public var volumeML: Double?
    /// Lung-RADS or BI-RADS category, when the model assigns one.
    public var category: String?
    /// The model flagged this input as out of distribution.
    public var outOfDistribution: Bool
    public var model: ModelIdentity?

    public init(key: String, origin: FindingOrigin, label: String, probability: Double? = nil, risk: RiskLevel? = nil,
                seriesUID: String = "", sopUID: String = "", centerX: Double = 0, centerY: Double = 0,
                width: Double = 0, height: Double = 0, diameterMM: Double? = nil, volumeML: Double? = nil,
                outOfDistribution: Bool = false, model: ModelIdentity? = nil) {
        self.key = key; self.origin = origin; self.label = label; self.probability = probability; self.risk = risk
        self.seriesUID = seriesUID; self.sopUID = sopUID; self.centerX = centerX; self.centerY = centerY
        self.width = width; self.height = height; self.diameterMM = diameterMM; self.volumeML = volumeML
        self.outOfDistribution = outOfDistribution; self.model = model
    }

    /// The record the review store keeps with a decision.
    func snapshot(slice: Int?) -> FindingSnapshot {
        FindingSnapshot(key: key, origin: origin, seriesUID: seriesUID, sopUID: sopUID, label: label,
                        probability: probability, risk: risk?.rawValue, centerX: centerX, centerY: centerY, slice: slice,
                        width: width, height: height, diameterMM: diameterMM, model: model)
    }
}

/// The reader's current decision on a finding, as shown in the panel.
public struct FindingDecision: Sendable, Equatable {
    public var kind: DecisionKind
    public var reason: String?
    public var correction: Correction
    /// Row id in the store (undo appends a row naming it).
    public var recordID: Int64
}
