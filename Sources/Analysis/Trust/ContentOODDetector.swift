import Foundation

/// A content-based out-of-distribution detector (card `ood_detector`): the Mahalanobis distance of
/// the model's penultimate-layer features (the `features` output: global average of the U-Net
/// bottleneck) from the mean of its training images, `sqrt((f − μ)ᵀ P (f − μ))` with P the inverse
/// of a shrunk covariance.
///
/// Header checks catch a wrong modality or pixel spacing; they do not catch a real radiograph
/// re-headered into the validated range, which looks nothing like the phantoms the model learnt
/// from. The features do: such an image lands far from the training cloud. The threshold was set on
/// the tuning split so that at most 5 % of in-distribution images exceed it; a run (one series × one
/// model) is out of distribution when the median of its per-image (per-slice) distances exceeds it,
/// so a few odd slices of a CT do not refuse the whole scan.
public struct ContentOODDetector: Sendable, Equatable {
    /// Name of the model output holding the features ([N, D]).
    public let featureOutput: String
    public let mean: [Double]
    /// Row-major D × D.
    public let precision: [Double]
    /// Distance (not squared) above which an image is unlike the training images.
    public let threshold: Double

    public var dimension: Int { mean.count }

    public enum Problem: Error, CustomStringConvertible {
        case malformed(String)
        public var description: String { switch self { case let .malformed(m): "model card ood_detector: \(m)" } }
    }

    public init(featureOutput: String, mean: [Double], precision: [Double], threshold: Double) throws {
        let d = mean.count
        guard d > 0, d <= 4096 else { throw Problem.malformed("dimension \(d) is not 1…4096") }
        guard precision.count == d * d else { throw Problem.malformed("precision has \(precision.count) values, expected \(d)×\(d)") }
        guard mean.allSatisfy(\.isFinite), precision.allSatisfy(\.isFinite) else { throw Problem.malformed("non-finite mean or precision") }
        guard threshold.isFinite, threshold > 0 else { throw Problem.malformed("threshold must be a positive number") }
        self.featureOutput = featureOutput; self.mean = mean; self.precision = precision; self.threshold = threshold
    }

    /// The Mahalanobis distance of one feature vector; nil when its length is not the detector's.
    public func distance(_ features: [Float]) -> Double? {
        let d = dimension
        guard features.count == d else { return nil }
        var diff = [Double](repeating: 0, count: d)
        for i in 0 ..< d { diff[i] = Double(features[i]) - mean[i] }
        var sum = 0.0
        for i in 0 ..< d {
            var row = 0.0
            let base = i * d
            for j in 0 ..< d { row += precision[base + j] * diff[j] }
            sum += diff[i] * row
        }
        return max(sum, 0).squareRoot()
    }

    /// The verdict on one run from its per-image (per-slice) distances; nil when there are none.
    public func assess(_ distances: [Double]) -> ContentCheck? {
        let sorted = distances.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return ContentCheck(distance: median, threshold: threshold, images: distances.count,
                            imagesOver: distances.filter { $0 > threshold }.count)
    }
}

/// What the content detector said about one run; `lightbox analyze --json` writes it as
/// `runs[].content_check`.
public struct ContentCheck: Codable, Sendable, Equatable {
    /// Median Mahalanobis distance over the images (slices) read.
    public var distance: Double
    public var threshold: Double
    public var images: Int
    public var imagesOver: Int

    public var outOfDistribution: Bool { distance > threshold }

    /// The reason shown to the reader when the content is out of distribution.
    public var reason: String {
        String(format: "image content unlike the model's training images (feature distance %.1f > %.1f; %d of %d image(s) over)",
               distance, threshold, imagesOver, images)
    }

    enum CodingKeys: String, CodingKey {
        case distance, threshold, images
        case imagesOver = "images_over"
    }
}
