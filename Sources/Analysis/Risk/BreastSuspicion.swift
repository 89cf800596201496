/// Mammography scoring: a 1–10 suspicion score (the scale commercial second readers use) and a
/// suggested BI-RADS category from the model's calibrated malignancy probability.
///
/// BI-RADS (ACR BI-RADS Atlas, 5th edition) defines its categories by likelihood of malignancy:
/// 2 essentially 0%, 3 ≤ 2%, 4A > 2–10%, 4B > 10–50%, 4C > 50–< 95%, 5 ≥ 95%. The 1–10 score splits
/// the same probability axis more finely; its cut points (below) are ours and documented here, since
/// no public standard fixes them: 1 < 1%, 2 < 2%, 3 < 4%, 4 < 7%, 5 < 10%, 6 < 20%, 7 < 35%,
/// 8 < 50%, 9 < 95%, 10 ≥ 95%.
public enum BreastSuspicion {
    public enum BIRADS: String, Codable, Sendable { case one = "1", two = "2", three = "3", fourA = "4A", fourB = "4B", fourC = "4C", five = "5"
        public var risk: RiskLevel {
            switch self {
            case .one, .two: .low
            case .three: .intermediate
            case .fourA, .fourB: .high
            case .fourC, .five: .critical
            }
        }
    }

    static let scoreCuts: [Double] = [0.01, 0.02, 0.04, 0.07, 0.10, 0.20, 0.35, 0.50, 0.95]

    /// The 1–10 suspicion score for probability `p`.
    public static func score(_ p: Double) -> Int {
        let clamped = min(max(p, 0), 1)
        return 1 + scoreCuts.filter { clamped >= $0 }.count
    }

    /// The BI-RADS category whose likelihood band holds `p`.
    public static func birads(_ p: Double) -> BIRADS {
        switch p {
        case ..<0.001: .two
        case ...0.02: .three
        case ...0.10: .fourA
        case ...0.50: .fourB
        case ..<0.95: .fourC
        default: .five
        }
    }
}
