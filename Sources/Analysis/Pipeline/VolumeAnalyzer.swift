import Parallel
import Dispatch
import Foundation
import Imaging
import Inference

/// Runs a slice-wise CT model over a volume as its card prescribes.
///
/// Preprocessing follows the card: HU window mapped to 0…1, resampled to the model's input size
/// (2×2 area average when it is half the matrix, as in training; bilinear otherwise), and the
/// k−h…k+h neighbouring slices as channels (edges replicated). Each slice is windowed and resampled
/// once, then the channel stacks are assembled from those. With `additionalModels` (more instances
/// of the same model) the slices run on one thread per instance with one OpenBLAS thread each: on
/// these small U-Nets that is faster than one instance with a multi-threaded GEMM (the non-GEMM
/// operators are single-threaded), measured 98 vs 168 ms per 256×256 slice on the 2-core box.
/// The heatmaps stay on the model grid (`ModelGrid`, what the card's candidate rule is defined on)
/// and are brought back to the volume's grid for measurement.
public struct VolumeAnalyzer: Sendable {
    public let model: Model
    public let card: ModelCard
    /// Further instances of the same model, one per extra worker thread.
    public let additionalModels: [Model]
    /// The model output whose per-slice values are kept (`ModelGrid.sliceFeatures`): the content
    /// detector's features.
    public let featureOutput: String?

    public init(model: Model, card: ModelCard, additionalModels: [Model] = [], featureOutput: String? = nil) {
        self.model = model; self.card = card; self.additionalModels = additionalModels; self.featureOutput = featureOutput
    }

    /// Instances of the model at `url` for this machine: one per core, at most 4.
    public static func instances(of url: URL) throws -> [Model] {
        let n = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        return try (0 ..< n).map { _ in try Model.load(url) }
    }

    public enum Problem: Error, CustomStringConvertible {
        case card(String)
        public var description: String { switch self { case let .card(m): "model card: \(m)" } }
    }

    /// The stacked slice heatmaps at the model's resolution.
    public struct ModelGrid: Sendable {
        public var columns: Int
        public var rows: Int
        public var slices: Int
        /// Slice-major, like `Volume.voxels`.
        public var values: [Float]
        /// Slice scores when the card declares a `scores` output.
        public var sliceScores: [Float]?
        /// Per-slice values of `VolumeAnalyzer.featureOutput`, when one was asked for.
        public var sliceFeatures: [[Float]]? = nil

        /// The map of slice `z` on the source grid of `volume`.
        public func sourceSlice(_ z: Int, of volume: Volume) -> [Float] {
            let plane = columns * rows
            return VolumeAnalyzer.resample(Array(values[z * plane ..< (z + 1) * plane]), width: columns, height: rows,
                                           toWidth: volume.columns, toHeight: volume.rows)
        }

        /// The whole map on the volume's grid.
        public func onVolumeGrid(_ volume: Volume) -> [Float] {
            if columns == volume.columns && rows == volume.rows { return values }
            let plane = volume.columns * volume.rows
            var out = [Float](repeating: 0, count: slices * plane)
            out.withUnsafeMutableBufferPointer { buf in
                nonisolated(unsafe) let buf = buf  // each slice writes only its own range
                Parallel.perform(iterations: slices) { z in
                    _ = sourceSlice(z, of: volume).withUnsafeBufferPointer { memcpy(buf.baseAddress! + z * plane, $0.baseAddress!, plane * 4) }
                }
            }
            return out
        }
    }

    /// The probability volume on `volume`'s grid. `progress` gets 0…1; `isCancelled` is polled between rounds of a few slices.
    public func probabilities(for volume: Volume, progress: (Double) -> Void = { _ in },
                              isCancelled: () -> Bool = { false }) throws -> [Float] {
        try modelGrid(for: volume, progress: progress, isCancelled: isCancelled).onVolumeGrid(volume)
    }

    public func modelGrid(for volume: Volume, progress: (Double) -> Void = { _ in },
                          isCancelled: () -> Bool = { false }) throws -> ModelGrid {
        let size = card.preprocessing.resampleSize
        guard size.count == 2, size[0] > 0, size[1] > 0 else { throw Problem.card("resample_size must be [rows, columns]") }
        guard let window = card.preprocessing.windowHu, window.width > 0 else { throw Problem.card("a CT model needs window_hu") }
        let channels = card.preprocessing.channels ?? 1
        guard channels >= 1, channels <= 64 else { throw Problem.card("channels must be 1…64") }
        let half = channels / 2
        let (mh, mw) = (size[0], size[1])
        guard mh <= 4096, mw <= 4096 else { throw Problem.card("resample_size is too large") }
        let plane = mh * mw
        let lo = Float(window.center - window.width / 2), width = Float(window.width)
        // Window and resample every slice once, on all cores.
        if isCancelled() { throw ONNXError.cancelled }
        var prepared = [Float](repeating: 0, count: volume.slices * plane)
        prepared.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf  // each slice writes only its own range
            Parallel.perform(iterations: volume.slices) { z in
                let slice = volume.slice(z).map { min(max(($0 - lo) / width, 0), 1) }
                let resized = Self.resample(slice, width: volume.columns, height: volume.rows, toWidth: mw, toHeight: mh)
                _ = resized.withUnsafeBufferPointer { memcpy(buf.baseAddress! + z * plane, $0.baseAddress!, plane * 4) }
            }
        }
        let frames = prepared
        return try run(slices: volume.slices, channels: channels, height: mh, width: mw, progress: progress, isCancelled: isCancelled) { z, input in
            for c in 0 ..< channels {
                let k = min(max(z - half + c, 0), volume.slices - 1)
                input.replaceSubrange(c * plane ..< (c + 1) * plane, with: frames[k * plane ..< (k + 1) * plane])
            }
        }
    }

    /// The model grid for inputs the caller prepares: `fill(z, &input)` writes slice `z`'s
    /// `channels × height × width` input (already normalised as the card says). Used by models whose
    /// channels are not an HU-windowed slice context (the MR stroke model's co-registered sequences).
    public func modelGrid(slices: Int, channels: Int, progress: (Double) -> Void = { _ in }, isCancelled: () -> Bool = { false },
                          fill: @escaping @Sendable (Int, inout [Float]) -> Void) throws -> ModelGrid {
        let size = card.preprocessing.resampleSize
        guard size.count == 2, size[0] > 0, size[1] > 0, size[0] <= 4096, size[1] <= 4096 else {
            throw Problem.card("resample_size must be [rows, columns] within 4096")
        }
        guard channels >= 1, channels <= 64 else { throw Problem.card("channels must be 1…64") }
        return try run(slices: slices, channels: channels, height: size[0], width: size[1], progress: progress,
                       isCancelled: isCancelled, fill: fill)
    }

    /// Runs the model on every slice (one worker per model instance, rounds of a few slices).
    private func run(slices: Int, channels: Int, height mh: Int, width mw: Int, progress: (Double) -> Void,
                     isCancelled: () -> Bool, fill: @escaping @Sendable (Int, inout [Float]) -> Void) throws -> ModelGrid {
        guard let heatmapName = card.outputs.heatmap else { throw Problem.card("no heatmap output declared") }
        guard let inputName = model.inputs.first?.name else { throw Problem.card("the model has no input") }
        let plane = mh * mw
        var out = [Float](repeating: 0, count: slices * plane)
        var scores: [Float]? = card.outputs.scores == nil ? nil : [Float](repeating: 0, count: slices)
        var features: [[Float]]? = featureOutput == nil ? nil : [[Float]](repeating: [], count: slices)
        let models = [model] + additionalModels
        if models.count > 1 { setInferenceThreads(1) }
        defer { if models.count > 1 { setInferenceThreads(ProcessInfo.processInfo.activeProcessorCount) } }
        // Rounds of a few slices per worker: progress and cancellation between rounds.
        let perRound = models.count * 4
        var z0 = 0
        while z0 < slices {
            if isCancelled() { throw ONNXError.cancelled }
            let zs = Array(z0 ..< min(z0 + perRound, slices))
            var errors = [Error?](repeating: nil, count: models.count)
            out.withUnsafeMutableBufferPointer { outBuf in
                errors.withUnsafeMutableBufferPointer { errBuf in
                    var scoreCopy = scores ?? []
                    var featureCopy = features ?? []
                    scoreCopy.withUnsafeMutableBufferPointer { scoreBuf in
                      featureCopy.withUnsafeMutableBufferPointer { featureBuf in
                        nonisolated(unsafe) let (outBuf, errBuf, scoreBuf, featureBuf) = (outBuf, errBuf, scoreBuf, featureBuf)  // disjoint slices per worker
                        let featureName = featureOutput
                        let hasScores = scores != nil
                        Parallel.perform(iterations: models.count) { w in
                            do {
                                for z in stride(from: zs[0] + w, to: zs[0] + zs.count, by: models.count) {
                                    var input = [Float](repeating: 0, count: channels * plane)
                                    fill(z, &input)
                                    let result = try models[w].runSync([inputName: Tensor(shape: [1, channels, mh, mw], floats: input)])
                                    guard let heat = result[heatmapName], heat.floats.count == plane else {
                                        throw Problem.card("output '\(heatmapName)' is missing or not \(mh)×\(mw)")
                                    }
                                    _ = heat.floats.withUnsafeBufferPointer { memcpy(outBuf.baseAddress! + z * plane, $0.baseAddress!, plane * 4) }
                                    if hasScores, let name = card.outputs.scores, let s = result[name]?.floats.first { scoreBuf[z] = s }
                                    if let featureName {
                                        guard let f = result[featureName] else { throw Problem.card("the model has no '\(featureName)' output") }
                                        featureBuf[z] = f.floats
                                    }
                                }
                            } catch { errBuf[w] = error }
                        }
                      }
                    }
                    if scores != nil { scores = scoreCopy }
                    if features != nil { features = featureCopy }
                }
            }
            if let e = errors.compactMap({ $0 }).first { throw e }
            z0 += zs.count
            progress(Double(z0) / Double(slices))
        }
        return ModelGrid(columns: mw, rows: mh, slices: slices, values: out, sliceScores: scores, sliceFeatures: features)
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
