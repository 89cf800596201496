/// Lung-RADS v2022 categories for a nodule on a baseline low-dose CT (ACR Lung-RADS v2022,
/// "Lung-RADS v2022 Assessment Categories", baseline column). Sizes are the mean of the long and
/// short axis diameters, rounded to one decimal, in mm, as the ACR specifies.
public enum LungRADS {
    public enum NoduleType: String, Codable, Sendable { case solid, partSolid = "part_solid", groundGlass = "ground_glass" }

    public enum Category: String, Codable, Sendable, CaseIterable {
        case two = "2", three = "3", fourA = "4A", fourB = "4B", fourX = "4X"

        /// Suggested management, abbreviated from the ACR table.
        public var management: String {
            switch self {
            case .two: "12-month screening LDCT"
            case .three: "6-month LDCT"
            case .fourA: "3-month LDCT; PET/CT may be considered if solid component ≥ 8 mm"
            case .fourB, .fourX: "diagnostic chest CT, PET/CT and/or tissue sampling"
            }
        }

        public var risk: RiskLevel {
            switch self {
            case .two: .low
            case .three: .intermediate
            case .fourA, .fourB: .high
            case .fourX: .critical
            }
        }
    }

    /// The category for a baseline nodule. `solidComponentMM` is used for part-solid nodules;
    /// `suspiciousFeatures` (e.g. spiculation) upgrades category 3 or 4 to 4X.
    public static func category(type: NoduleType, meanDiameterMM d: Double, solidComponentMM solid: Double? = nil,
                                suspiciousFeatures: Bool = false) -> Category {
        let d = (d * 10).rounded() / 10
        var c: Category
        switch type {
        case .solid:
            c = d < 6 ? .two : d < 8 ? .three : d < 15 ? .fourA : .fourB
        case .partSolid:
            let s = ((solid ?? 0) * 10).rounded() / 10
            c = d < 6 ? .two : s < 6 ? .three : s < 8 ? .fourA : .fourB
        case .groundGlass:
            c = d < 30 ? .two : .three
        }
        if suspiciousFeatures && c != .two { c = .fourX }
        return c
    }
}
