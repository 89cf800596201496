import Foundation
import Imaging
import Inference

/// Runs a slice-wise CT model over a volume as its card prescribes and turns its heatmaps into findings.
///
/// Preprocessing follows the card: HU window mapped to 0…1, the k−h…k+h neighbouring slices as
/// channels (edges replicated), resampled to the model's input size (2×2 area average when it is half
/// the matrix, bilinear otherwise). Heatmaps come back to the volume's grid (bilinear) so findings are
/// measured in the source geometry.
public struct VolumeAnalyzer {
    public let model: Model
    public let card: ModelCard

    public init(model: Model, card: ModelCard) { self.model = model; self.card = card }

    public enum Problem: Error, CustomStringConvertible {
        case card(String)
        public var description: String { switch self { case let .card(m): "model card: \(m)" } }
    }

    /// The probability volume on `volume`'s grid. `progress` gets 0…1; `isCancelled` is polled per slice.
    public func probabilities(for volume: Volume, progress: (Double) -> Void = { _ in },
                              isCancelled: () -> Bool = { false }) throws -> [Float] {
        let size = card.preprocessing.resampleSize
        guard size.count == 2, size[0] > 0, size[1] > 0 else { throw Problem.card("resample_size must be [rows, columns]") }
        guard let window = card.preprocessing.windowHu else { throw Problem.card("a CT model needs window_hu") }
        guard let heatmapName = card.outputs.heatmap else { throw Problem.card("no heatmap output declared") }
        guard let inputName = model.inputs.first?.name else { throw Problem.card("the model has no input") }
        let channels = card.preprocessing.channels ?? 1
        let half = channels / 2
        let (mh, mw) = (size[0], size[1])
        let lo = Float(window.center - window.width / 2), width = Float(window.width)
        var out = [Float](repeating: 0, count: volume.voxels.count)
        let plane = volume.rows * volume.columns
        for z in 0 ..< volume.slices {
            if isCancelled() { throw ONNXError.cancelled }
            var input = [Float](repeating: 0, count: channels * mh * mw)
            for c in 0 ..< channels {
                let k = min(max(z - half + c, 0), volume.slices - 1)
                let slice = Array(volume.slice(k)).map { min(max(($0 - lo) / width, 0), 1) }
                let resized = Self.resample(slice, width: volume.columns, height: volume.rows, toWidth: mw, toHeight: mh)
                input.replaceSubrange(c * mh * mw ..< (c + 1) * mh * mw, with: resized)
            }
            let result = try model.runSync([inputName: Tensor(shape: [1, channels, mh, mw], floats: input)])
            guard let heat = result[heatmapName], heat.floats.count == mh * mw else {
                throw Problem.card("output '\(heatmapName)' is missing or not \(mh)×\(mw)")
            }
            let back = Self.resample(heat.floats, width: mw, height: mh, toWidth: volume.columns, toHeight: volume.rows)
            out.replaceSubrange(z * plane ..< (z + 1) * plane, with: back)
            progress(Double(z + 1) / Double(volume.slices))
        }
        return out
    }

    /// Resamples a grey image: identity, 2×2 area average when halving, bilinear otherwise.
    static func resample(_ src: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
        if width == toWidth && height == toHeight { return src }
        var dst = [Float](repeating: 0, count: toWidth * toHeight)
        if width == 2 * toWidth && height == 2 * toHeight {
            for y in 0 ..< toHeight { for x in 0 ..< toWidth {
                let i = 2 * y * width + 2 * x
                dst[y * toWidth + x] = (src[i] + src[i + 1] + src[i + width] + src[i + width + 1]) / 4
            } }
            return dst
        }
        let sx = Double(width) / Double(toWidth), sy = Double(height) / Double(toHeight)
        for y in 0 ..< toHeight {
            let fy = max(0, min(Double(height - 1), (Double(y) + 0.5) * sy - 0.5))
            let y0 = Int(fy), y1 = min(y0 + 1, height - 1), wy = Float(fy - Double(y0))
            for x in 0 ..< toWidth {
                let fx = max(0, min(Double(width - 1), (Double(x) + 0.5) * sx - 0.5))
                let x0 = Int(fx), x1 = min(x0 + 1, width - 1), wx = Float(fx - Double(x0))
                let top = src[y0 * width + x0] * (1 - wx) + src[y0 * width + x1] * wx
                let bottom = src[y1 * width + x0] * (1 - wx) + src[y1 * width + x1] * wx
                dst[y * toWidth + x] = top * (1 - wy) + bottom * wy
            }
        }
        return dst
    }
}
