/// The four risk levels every screen colours consistently (the theme maps them to colours).
public enum FindingRisk: String, Codable, Sendable, CaseIterable, Comparable {
    case low, intermediate, high, critical

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: FindingRisk, b: FindingRisk) -> Bool { a.rank < b.rank }
}
