import Analysis

/// One finding as the review left it: the finding in force (the reader's correction applied) and
/// what the reader decided. This is the unit of every export (SR, JSON, CSV) and what reading an
/// SR back yields. The finding's own fields read through (`reviewed.label`).
@dynamicMemberLookup
public struct ReviewedFinding: Sendable, Equatable {
    public enum Outcome: String, Sendable, CaseIterable {
        case accepted, rejected, corrected
        case addedByReader = "added by reader"
    }

    /// The finding with the values in force: the reader's label, risk and diameter when corrected.
    public var finding: ReviewFinding
    public var outcome: Outcome
    public var reason: String?
    /// What the AI proposed, when the reader corrected it.
    public var proposedLabel: String?
    public var proposedRisk: RiskLevel?
    public var proposedDiameterMM: Double?
    public var reader: String
    /// ISO 8601 time of the decision (or of the mark, for reader findings).
    public var decidedAt: String

    public init(_ finding: ReviewFinding, outcome: Outcome, reason: String? = nil, proposedLabel: String? = nil,
                proposedRisk: RiskLevel? = nil, proposedDiameterMM: Double? = nil, reader: String = "", decidedAt: String = "") {
        self.finding = finding; self.outcome = outcome; self.reason = reason; self.proposedLabel = proposedLabel
        self.proposedRisk = proposedRisk; self.proposedDiameterMM = proposedDiameterMM
        self.reader = reader; self.decidedAt = decidedAt
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<ReviewFinding, T>) -> T { finding[keyPath: keyPath] }

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<ReviewFinding, T>) -> T {
        get { finding[keyPath: keyPath] }
        set { finding[keyPath: keyPath] = newValue }
    }
}
