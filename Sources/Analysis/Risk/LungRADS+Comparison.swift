/// Lung-RADS v2022 with a prior study (ACR Lung-RADS v2022, assessment categories, the "new",
/// "growing" and "stable" rows). Growth is an increase in mean diameter of more than 1.5 mm within
/// 12 months (`NoduleChange.growthMM`).
extension LungRADS {
    /// How the nodule compares with the prior.
    public enum Comparison: String, Codable, Sendable {
        /// No prior: the baseline column (`category(type:meanDiameterMM:…)`).
        case baseline
        /// Not on the prior.
        case new
        /// Growing by more than 1.5 mm in mean diameter within 12 months.
        case growing
        /// A solid or part-solid nodule whose mean diameter grew by more than 1.5 mm in all, but over
        /// more than 12 months and more slowly than 1.5 mm per 12 months: v2022's "slow-growing"
        /// nodule, category 4B.
        case slowGrowing = "slow_growing"
        /// Unchanged (or smaller) for at least 3 months.
        case stable
    }

    /// The category with comparison.
    ///
    /// - solid: new < 4 mm → 2, 4–6 → 3, 6–8 → 4A, ≥ 8 → 4B; growing < 8 mm → 4A, ≥ 8 → 4B;
    ///   slow-growing → 4B; stable (or decreased) → 2.
    /// - part-solid: new < 6 mm → 3, ≥ 6 mm with a solid component < 4 mm → 4A, ≥ 4 mm → 4B;
    ///   growing with a solid component < 4 mm → 4A, ≥ 4 mm → 4B; slow-growing → 4B; stable → 2.
    /// - ground glass: < 30 mm → 2 whether new, growing or stable; ≥ 30 mm new or growing → 3,
    ///   stable → 2.
    /// `suspiciousFeatures` upgrade a 3 or 4 to 4X, as at baseline.
    public static func category(type: NoduleType, meanDiameterMM d: Double, solidComponentMM solid: Double? = nil,
                                comparison: Comparison, suspiciousFeatures: Bool = false) -> Category {
        if comparison == .baseline {
            return category(type: type, meanDiameterMM: d, solidComponentMM: solid, suspiciousFeatures: suspiciousFeatures)
        }
        let d = (d * 10).rounded() / 10
        let s = ((solid ?? 0) * 10).rounded() / 10
        var c: Category
        switch (type, comparison) {
        case (.solid, .new): c = d < 4 ? .two : d < 6 ? .three : d < 8 ? .fourA : .fourB
        case (.solid, .growing): c = d < 8 ? .fourA : .fourB
        case (.partSolid, .new): c = d < 6 ? .three : s < 4 ? .fourA : .fourB
        case (.partSolid, .growing): c = s < 4 ? .fourA : .fourB
        case (.solid, .slowGrowing), (.partSolid, .slowGrowing): c = .fourB
        case (.groundGlass, .new), (.groundGlass, .growing), (.groundGlass, .slowGrowing): c = d < 30 ? .two : .three
        case (_, .stable): c = .two
        case (_, .baseline): c = category(type: type, meanDiameterMM: d, solidComponentMM: solid)
        }
        if suspiciousFeatures && c != .two { c = .fourX }
        return c
    }
}
