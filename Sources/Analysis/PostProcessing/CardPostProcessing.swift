import Foundation

/// The post-processing rules a card declares beyond its candidate rule (card `postprocessing`),
/// applied to a run's raw candidates before calibration and the operating point. Each was chosen on
/// the model's tuning split (the card's `chosen_on` says how); absent or `enabled: false`, it is
/// not applied.
public struct CardPostProcessing: Sendable, Equatable {
    /// Mammography: drop a mark when the same view of the other breast has a stronger mark near
    /// the mirrored position (`MammographyMarkRules.mirrorSuppression`).
    public var mirrorRadiusPX: Double?
    /// Mammography: a mark must be seen in the breast's other view (`MammographyMarkRules.twoViewSupport`).
    public var twoViewSupport: TwoViewSupport?
    /// CT: a second greedy suppression of marks within this radius (mm) of a stronger one.
    public var secondSuppressionMM: Double?

    public struct TwoViewSupport: Sendable, Equatable {
        /// Raw peak at or above which a mark stands alone.
        public var standaloneThreshold: Double
        /// Raw peak a mark in the other view needs to support one.
        public var supportThreshold: Double
        /// How far (model-grid columns) the two marks' distances from the chest wall may differ.
        public var depthTolerancePX: Double
    }

    public init() {}

    /// From the card file, parsed (its top-level object).
    public init(cardRoot root: [String: Any]) {
        self.init()
        guard let post = root["postprocessing"] as? [String: Any] else { return }
        func enabled(_ o: [String: Any]) -> Bool { o["enabled"] as? Bool ?? true }
        func num(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue }
        if let m = post["mirror_suppression"] as? [String: Any], enabled(m), let r = num(m["radius_px"]), r > 0 {
            mirrorRadiusPX = r
        }
        if let t = post["two_view_support"] as? [String: Any], enabled(t),
           let standalone = num(t["standalone_threshold"]), let support = num(t["support_threshold"]),
           let tolerance = num(t["depth_tolerance_px"]), tolerance >= 0 {
            twoViewSupport = .init(standaloneThreshold: standalone, supportThreshold: support, depthTolerancePX: tolerance)
        }
        if let s = post["second_suppression"] as? [String: Any], enabled(s), let r = num(s["radius_mm"]), r > 0 {
            secondSuppressionMM = r
        }
    }
}
