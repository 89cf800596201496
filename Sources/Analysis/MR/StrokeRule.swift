import Foundation

/// The stroke model card's `stroke` section: how its heatmap becomes an infarct volume and a
/// DWI–FLAIR mismatch call. The values were chosen on the training recipe's tuning split
/// (Training/models, `mr_stroke` task), never on the held-out set the card's figures come from.
public struct StrokeRule: Sendable, Equatable {
    /// Probability at which a voxel counts as infarct (volume, extent, the mismatch region).
    public var pixelThreshold: Float
    /// Connected regions smaller than this are not reported (mL).
    public var minimumVolumeML: Double
    /// DWI–FLAIR mismatch when the lesion's FLAIR relative signal intensity is below this.
    public var flairRSIThreshold: Double

    public init(pixelThreshold: Float, minimumVolumeML: Double, flairRSIThreshold: Double) {
        self.pixelThreshold = pixelThreshold; self.minimumVolumeML = minimumVolumeML; self.flairRSIThreshold = flairRSIThreshold
    }

    public struct Problem: Error, CustomStringConvertible, Equatable { public var description: String }

    /// The card's `stroke` section; nil when the card has none (not a stroke model).
    public init?(cardJSON root: [String: Any]) throws {
        guard let s = root["stroke"] as? [String: Any] else { return nil }
        func number(_ key: String) throws -> Double {
            guard let v = (s[key] as? NSNumber)?.doubleValue, v.isFinite else { throw Problem(description: "card stroke.\(key) is missing") }
            return v
        }
        let p = try number("pixel_threshold"), v = try number("min_volume_ml"), r = try number("flair_rsi_threshold")
        guard p > 0, p < 1 else { throw Problem(description: "card stroke.pixel_threshold must be a probability between 0 and 1") }
        guard v >= 0, v < 1000 else { throw Problem(description: "card stroke.min_volume_ml must be 0…1000 mL") }
        guard r > 0, r < 10 else { throw Problem(description: "card stroke.flair_rsi_threshold must be a ratio between 0 and 10") }
        self.init(pixelThreshold: Float(p), minimumVolumeML: v, flairRSIThreshold: r)
    }
}
