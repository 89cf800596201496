import Foundation

/// The change of one matched nodule between two studies: status, sizes, volume doubling time.
///
/// **Status** is Lung-RADS v2022 growth: `growing` when the mean diameter (long + short axis,
/// halved) is larger by more than 1.5 mm, `shrinking` when smaller by more than 1.5 mm, else
/// `stable`. The volume change is reported beside it but does not set the status: a segmentation's
/// volume of a small nodule moves by more than 25 % with partial volume alone, and the category
/// that follows from the status is defined on diameters.
public enum NoduleChange {
    /// Lung-RADS growth: more than this (mm) in mean diameter.
    public static let growthMM = 1.5

    /// Schwartz's volume doubling time t · ln 2 / ln(V2 / V1), days; nil unless V2 > V1 > 0 and t > 0.
    public static func doublingDays(priorML v1: Double, currentML v2: Double, days t: Double) -> Double? {
        guard v1 > 0, v2 > v1, t > 0, v1.isFinite, v2.isFinite else { return nil }
        return t * log(2) / log(v2 / v1)
    }

    public static func status(priorMeanMM d1: Double, currentMeanMM d2: Double) -> PriorComparison.Status {
        let dd = d2 - d1
        return dd > growthMM ? .growing : dd < -growthMM ? .shrinking : .stable
    }

    /// Mean of long and short axis (Lung-RADS size), or the long axis when the short is unknown.
    public static func meanDiameter(_ f: Finding) -> Double? {
        guard let long = f.diameterMM else { return nil }
        return f.shortDiameterMM.map { (long + $0) / 2 } ?? long
    }
}
