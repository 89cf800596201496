/// The four risk levels every finding maps to (Lung-RADS, BI-RADS-like scores, haemorrhage volume
/// and calibrated probabilities are binned into these). The one definition: Review stores its raw
/// value, and the workstation's theme gives each one colour, used for contours, boxes, markers,
/// labels and list badges alike, so a colour means the same thing on every screen.
public enum RiskLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case low, intermediate, high, critical

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rank < b.rank }
}
