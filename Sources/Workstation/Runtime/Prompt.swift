/// A one-line question at the bottom of the screen that takes text or a choice.
public struct Prompt: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case search
        /// Reject: choose a reason (digits) or type one.
        case rejectReason(findingKey: String)
        case correctLabel(findingKey: String)
        case correctRisk(findingKey: String, label: String)
        case correctSize(findingKey: String, label: String, risk: String?)
        case addLabel(kind: String, x: Double, y: Double, width: Double, height: Double)
        case signAssessment
        case confirmSign(assessment: String, undecided: Int)
        /// Per-breast BI-RADS, right then left (second reader, mammography quiz).
        case biradsRight
        case biradsLeft(right: Int)
        /// A quiz assessment for a case that is not a mammogram.
        case teachingAssessment
        /// Which prior nodule a finding is: choice 0 unlinks, the others name prior findings.
        case relinkPrior(findingKey: String, priorFindingIDs: [String])
    }

    public var purpose: Purpose
    public var title: String
    public var text = ""
    /// Numbered choices (1-based on screen); a digit picks one, Enter takes the typed text.
    public var choices: [String] = []
    /// Choices are numbered from 0 (BI-RADS 0–5) instead of 1.
    public var zeroBased = false

    public static let rejectReasons = ["artefact / not a lesion", "benign / known finding", "wrong location",
                                       "duplicate", "outside the model's scope"]
    public static let assessments = ["normal", "benign", "probably benign", "suspicious", "highly suspicious", "critical - communicated"]
    public static let risks = ["low", "intermediate", "high", "critical"]
}
