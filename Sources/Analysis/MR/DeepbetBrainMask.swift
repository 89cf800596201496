import Foundation
import Imaging
import Inference

/// A coarse brain mask from deepbet's first-stage model (`Models/deepbet-bbox-v1`, real weights from
/// the deepbet wheel, MIT; Fisch et al. 2024), run in our runtime on a T1 stack. The stroke analysis
/// uses it to keep infarct findings inside the brain: a bright DWI spot in the scalp or the orbits
/// is not an infarct.
///
/// Pre- and post-processing mirror deepbet 1.0.2 (Training/deepbet/pipeline.py):
/// 1. the volume's axes permuted and flipped to the closest canonical RAS+ (LPS here: R = −x, A = −y);
/// 2. each axis resized to 128 by torch's nearest-exact rule, src = min(⌊(o + ½)·n/128⌋, n − 1);
/// 3. clip to the 0.5–99.5 percentiles, scale to 0…1, z-score (std with N − 1), then ×0.226 + 0.449;
/// 4. brain = channel 1 > 0.5, largest 26-connected component.
/// The card says the model is not validated here for clinical use; on the sample T1 phantoms it
/// covers the brain and leaves the scalp out.
public struct DeepbetBrainMask: Sendable {
    public static let side = 128
    /// 128³ values, index ((i · 128) + j) · 128 + k over canonical (R, A, S) axes.
    public let mask: [Bool]
    /// For each canonical axis (R, A, S): which volume axis (0 column, 1 row, 2 slice) and whether it
    /// runs opposite to it.
    let axes: [(volumeAxis: Int, flipped: Bool)]
    let volume: Volume
    public var fraction: Double { Double(mask.lazy.filter { $0 }.count) / Double(mask.count) }

    public struct Problem: Error, CustomStringConvertible { public var description: String }

    public init(t1 volume: Volume, model: Model) throws {
        let n = Self.side
        let dims = [volume.columns, volume.rows, volume.slices]
        let directions = [volume.rowDirection, volume.columnDirection, volume.sliceDirection]
        // RAS component of each volume axis; the dominant one names the canonical axis it becomes.
        var axes = [(volumeAxis: Int, flipped: Bool)](repeating: (0, false), count: 3)
        var used = Set<Int>()
        for a in 0 ..< 3 {
            let d = directions[a]
            let ras = [-d[0], -d[1], d[2]]
            let p = (0 ..< 3).max { abs(ras[$0]) < abs(ras[$1]) }!
            guard used.insert(p).inserted else { throw Problem(description: "the T1 stack's axes are oblique beyond the closest-canonical rule") }
            axes[p] = (a, ras[p] < 0)
        }
        self.axes = axes
        self.volume = volume
        func source(_ o: Int, _ size: Int) -> Int { min(Int(Float((Float(o) + 0.5) * (Float(size) / Float(n))).rounded(.down)), size - 1) }
        let index = (0 ..< 3).map { c in (0 ..< n).map { o -> Int in
            let s = source(o, dims[axes[c].volumeAxis])
            return axes[c].flipped ? dims[axes[c].volumeAxis] - 1 - s : s
        } }
        // Each canonical index as an offset into the slice-major voxels, so the gather is three adds.
        let strides = [1, volume.columns, volume.columns * volume.rows]
        let offsets = (0 ..< 3).map { c in index[c].map { $0 * strides[axes[c].volumeAxis] } }
        var x = [Float](repeating: 0, count: n * n * n)
        volume.voxels.withUnsafeBufferPointer { src in
            for i in 0 ..< n { for j in 0 ..< n {
                let base = offsets[0][i] + offsets[1][j], row = (i * n + j) * n
                for k in 0 ..< n {
                    let value = src[base + offsets[2][k]]
                    x[row + k] = value.isFinite ? value : 0
                }
            } }
        }
        let sorted = x.sorted()
        guard let low = MRIntensityReference.percentile(sorted, 0.5), let high = MRIntensityReference.percentile(sorted, 99.5), high > low else {
            throw Problem(description: "the T1 stack has no contrast")
        }
        var mean = 0.0
        for i in x.indices { let v = min(max((Double(x[i]) - low) / (high - low), 0), 1); x[i] = Float(v); mean += v }
        mean /= Double(x.count)
        let variance = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(x.count - 1)
        let std = max(variance.squareRoot(), 1e-12)
        for i in x.indices { x[i] = Float((Double(x[i]) - mean) / std * 0.226 + 0.449) }
        guard let input = model.inputs.first?.name else { throw Problem(description: "the brain-mask model has no input") }
        let out = try model.runSync([input: Tensor(shape: [1, 1, n, n, n], floats: x)])
        guard let p = out["probabilities"]?.floats, p.count == 2 * n * n * n else {
            throw Problem(description: "the brain-mask model's 'probabilities' output is not 2×128³")
        }
        let brain = Array(p[n * n * n ..< 2 * n * n * n])
        let largest = ComponentLabeler.components(brain, columns: n, rows: n, slices: n, threshold: 0.5000001)
            .max { $0.voxels.count < $1.voxels.count }
        var mask = [Bool](repeating: false, count: n * n * n)
        for v in largest?.voxels ?? [] { mask[v] = true }
        self.mask = mask
    }

    /// Whether a patient position (LPS mm, the T1's frame of reference) lies in the mask; nil outside
    /// the T1 stack.
    public func contains(patient p: [Double]) -> Bool? {
        guard p.count == 3 else { return nil }
        let n = Self.side
        let d = (0 ..< 3).map { p[$0] - volume.origin[$0] }
        func along(_ u: [Double]) -> Double { d[0] * u[0] + d[1] * u[1] + d[2] * u[2] }
        let position = [along(volume.rowDirection) / volume.spacing.column, along(volume.columnDirection) / volume.spacing.row,
                        along(volume.sliceDirection) / volume.spacing.slice].map { Int($0.rounded()) }
        let dims = [volume.columns, volume.rows, volume.slices]
        guard (0 ..< 3).allSatisfy({ position[$0] >= 0 && position[$0] < dims[$0] }) else { return nil }
        let o = (0 ..< 3).map { c -> Int in
            let a = axes[c].volumeAxis, size = dims[a]
            let s = axes[c].flipped ? size - 1 - position[a] : position[a]
            return min(n - 1, max(0, Int((Double(s) + 0.5) * Double(n) / Double(size))))
        }
        return mask[(o[0] * n + o[1]) * n + o[2]]
    }
}
