/// The four risk categories every finding maps to (Lung-RADS, BI-RADS-like scores and
/// haemorrhage volume are binned into these by Analysis). Each has one theme colour, used for
/// contours, boxes, markers, labels and list badges alike, so a colour means the same thing
/// on every screen.
public enum RiskLevel: String, Sendable, CaseIterable, Comparable {
    case low, intermediate, high, critical

    private var rank: Int { RiskLevel.allCases.firstIndex(of: self)! }
    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rank < b.rank }

    /// The theme key under `[risk]`.
    public var themeKey: String { rawValue }
}
