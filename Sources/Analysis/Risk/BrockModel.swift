import Foundation

/// Probability that a lung nodule is malignant: the Brock University (PanCan) full model with
/// spiculation, "model 2b", of McWilliams et al., N Engl J Med 2013;369:910–919, supplementary
/// appendix. Coefficients as published; nodule size is the longest diameter in mm on the first CT.
public enum BrockModel {
    public struct Patient: Sendable {
        public var age: Double
        public var female: Bool
        public var familyHistoryOfLungCancer: Bool
        public var emphysema: Bool
        public init(age: Double, female: Bool, familyHistoryOfLungCancer: Bool = false, emphysema: Bool = false) {
            self.age = age; self.female = female
            self.familyHistoryOfLungCancer = familyHistoryOfLungCancer; self.emphysema = emphysema
        }
    }

    public struct Nodule: Sendable {
        public var diameterMM: Double
        public var type: LungRADS.NoduleType
        public var upperLobe: Bool
        public var spiculated: Bool
        /// Number of nodules reported on the CT.
        public var count: Int
        public init(diameterMM: Double, type: LungRADS.NoduleType, upperLobe: Bool, spiculated: Bool, count: Int) {
            self.diameterMM = diameterMM; self.type = type; self.upperLobe = upperLobe
            self.spiculated = spiculated; self.count = count
        }
    }

    /// The malignancy probability (0…1), or nil when the size is not positive.
    public static func probability(patient p: Patient, nodule n: Nodule) -> Double? {
        guard n.diameterMM > 0, n.diameterMM.isFinite else { return nil }
        var x = -6.7892
        x += 0.0287 * (p.age - 62)
        x += p.female ? 0.6011 : 0
        x += p.familyHistoryOfLungCancer ? 0.2961 : 0
        x += p.emphysema ? 0.2953 : 0
        x += -5.3854 * (pow(n.diameterMM / 10, -0.5) - 1.58113883)
        switch n.type {
        case .solid: break
        case .partSolid: x += 0.3770
        case .groundGlass: x += -0.1276
        }
        x += n.upperLobe ? 0.6581 : 0
        x += -0.0824 * Double(n.count - 4)
        x += n.spiculated ? 0.7729 : 0
        return 1 / (1 + exp(-x))
    }
}
