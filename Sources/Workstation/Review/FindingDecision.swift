import Review

/// The reader's current decision on a finding, as shown in the panel.
public struct FindingDecision: Sendable, Equatable {
    public var kind: DecisionKind
    public var reason: String?
    public var correction: Correction
    /// Row id in the store (undo appends a row naming it).
    public var recordID: Int64
}
