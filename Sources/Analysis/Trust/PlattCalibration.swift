import Foundation

/// Post-hoc calibration of a model probability (card `calibration`): Platt scaling on the logit,
/// `p_cal = σ(a · logit(p_raw) + b)`, with the logit clamped at p ∈ [1e-6, 1 − 1e-6].
///
/// Fitted on the tuning split by Training/models (the card's `calibration.fitted_on` says how), so
/// that a displayed "70 %" means about 70 % of such marks were real lesions there. Temperature
/// scaling is the special case b = 0, a = 1/T. Monotone for a > 0, so a threshold in calibrated
/// space maps to exactly one raw threshold (`raw(_:)`).
public struct PlattCalibration: Codable, Sendable, Equatable {
    public var a: Double
    public var b: Double

    public init(a: Double, b: Double) { self.a = a; self.b = b }

    static let clamp = 1e-6

    /// The calibrated probability of raw probability `p`.
    public func callAsFunction(_ p: Double) -> Double {
        let q = min(max(p, Self.clamp), 1 - Self.clamp)
        let z = a * log(q / (1 - q)) + b
        return 1 / (1 + exp(-z))
    }

    /// The raw probability whose calibrated value is `p` (the inverse; needs a ≠ 0).
    public func raw(_ p: Double) -> Double {
        let q = min(max(p, Self.clamp), 1 - Self.clamp)
        let z = (log(q / (1 - q)) - b) / a
        return 1 / (1 + exp(-z))
    }

    /// Finite coefficients with a > 0 (a non-increasing map would reorder findings).
    var isUsable: Bool { a.isFinite && b.isFinite && a > 0 }
}
