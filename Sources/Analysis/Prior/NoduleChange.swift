import Foundation

/// The change of one matched nodule between two studies: status, sizes, volume doubling time.
///
/// **Status.** Growth is what Lung-RADS v2022 calls growth: the mean diameter (long + short axis,
/// halved) larger by more than 1.5 mm; a volume at least 25 % larger (the NELSON and BTS volumetric
/// threshold) also counts when the nodule is at least 6 mm, where volumes are measured reliably.
/// Shrinking is the same in reverse; anything else is stable.
public enum NoduleChange {
    /// Lung-RADS growth: more than this (mm) in mean diameter.
    public static let growthMM = 1.5
    /// Volumetric growth (fraction), used from `volumetricFromMM` up.
    public static let volumeGrowth = 0.25
    public static let volumetricFromMM = 6.0

    /// Schwartz's volume doubling time t · ln 2 / ln(V2 / V1), days; nil unless V2 > V1 > 0 and t > 0.
    public static func doublingDays(priorML v1: Double, currentML v2: Double, days t: Double) -> Double? {
        guard v1 > 0, v2 > v1, t > 0, v1.isFinite, v2.isFinite else { return nil }
        return t * log(2) / log(v2 / v1)
    }

    public static func status(priorMeanMM d1: Double, currentMeanMM d2: Double, priorML v1: Double?, currentML v2: Double?)
        -> PriorComparison.Status {
        let dd = d2 - d1
        var volumeRatio: Double?
        if let v1, let v2, v1 > 0, max(d1, d2) >= volumetricFromMM { volumeRatio = v2 / v1 }
        if dd > growthMM || (volumeRatio.map { $0 >= 1 + volumeGrowth } ?? false) && dd > 0 { return .growing }
        if dd < -growthMM || (volumeRatio.map { $0 <= 1 / (1 + volumeGrowth) } ?? false) && dd < 0 { return .shrinking }
        return .stable
    }

    /// Mean of long and short axis (Lung-RADS size), or the long axis when the short is unknown.
    public static func meanDiameter(_ f: Finding) -> Double? {
        guard let long = f.diameterMM else { return nil }
        return f.shortDiameterMM.map { (long + $0) / 2 } ?? long
    }
}
