/// Lesion candidates as the model cards define them: voxels of the heatmap that equal the maximum of
/// their neighbourhood (a `window` × `window` square, `sliceWindow` slices deep for volumes) and are
/// at least `minimumPeak`, taken strongest first with every weaker peak within the suppression
/// radius dropped (greedy non-maximum suppression). This is the rule the models were evaluated with
/// (Training/models/evaluate.py), so the card's FROC figures describe these candidates.
public enum PeakCandidates {
    public struct Peak: Sendable, Equatable {
        public var probability: Float
        /// Model-grid position.
        public var x: Int, y: Int, z: Int
    }

    /// Candidates of `map` (columns × rows × slices, slice-major). `spacing` is the model grid's
    /// spacing in mm (column, row, slice), used for a suppression radius in mm; a radius in pixels
    /// is measured in model-grid pixels. O(n · window²) for the maxima, O(k²) for k peaks.
    public static func find(_ map: [Float], columns: Int, rows: Int, slices: Int = 1,
                            rule: CardDetails.CandidateRule, spacing: (column: Double, row: Double, slice: Double)) -> [Peak] {
        precondition(map.count == columns * rows * slices, "map size does not match its dimensions")
        let r = rule.window / 2, rz = slices > 1 ? rule.sliceWindow / 2 : 0
        let plane = columns * rows
        // Separable running maxima: along x, then y, then z (a box maximum is separable).
        /// Running maximum over ±radius along one axis of the map viewed as [outer][length][stride]:
        /// the innermost loop runs over `stride` contiguous values, so the y and z passes vectorise
        /// (and no element pays a division to find its position).
        func maxAlong(_ src: [Float], stride: Int, length: Int, radius: Int) -> [Float] {
            guard radius > 0, stride > 0, length > 0 else { return src }
            var out = src
            let outer = src.count / (stride * length)
            src.withUnsafeBufferPointer { ps in
                out.withUnsafeMutableBufferPointer { po in
                    guard let s0 = ps.baseAddress, let o0 = po.baseAddress else { return }
                    for o in 0 ..< outer {
                        let block = o * stride * length
                        for p in 0 ..< length {
                            let dst = o0 + block + p * stride
                            for d in Swift.max(-radius, -p) ... Swift.min(radius, length - 1 - p) where d != 0 {
                                let src = s0 + block + (p + d) * stride
                                for k in 0 ..< stride { let v = src[k]; if v > dst[k] { dst[k] = v } }
                            }
                        }
                    }
                }
            }
            return out
        }
        let mx = maxAlong(maxAlong(maxAlong(map, stride: 1, length: columns, radius: r), stride: columns, length: rows, radius: r),
                          stride: plane, length: slices, radius: rz)
        var peaks: [Peak] = []
        for i in map.indices where map[i] >= rule.minimumPeak && map[i] == mx[i] {
            peaks.append(Peak(probability: map[i], x: i % columns, y: (i % plane) / columns, z: i / plane))
        }
        // Stable: equal probabilities keep raster order, like numpy's stable argsort.
        peaks = peaks.enumerated().sorted { $0.element.probability != $1.element.probability ? $0.element.probability > $1.element.probability : $0.offset < $1.offset }.map(\.element)
        // Greedy suppression with the kept peaks bucketed on a grid of radius-sized cells, so each
        // candidate is compared only with the kept peaks of its 27 neighbouring cells (O(k), not O(k²):
        // a saturated map can have a plateau of millions of equal "maxima").
        let (sx, sy, sz): (Double, Double, Double)
        if let px = rule.suppressionPX { (sx, sy, sz) = (px, px, px) } else {
            let mm = rule.suppressionMM ?? 10
            (sx, sy, sz) = (mm / max(spacing.column, 1e-6), mm / max(spacing.row, 1e-6), mm / max(spacing.slice, 1e-6))
        }
        func cell(_ p: Peak) -> [Int] {
            [Int(Double(p.x) / max(sx, 1)), Int(Double(p.y) / max(sy, 1)), Int(Double(p.z) / max(sz, 1))]
        }
        var buckets: [[Int]: [Peak]] = [:]
        var kept: [Peak] = []
        for p in peaks {
            let c = cell(p)
            var far = true
            search: for dz in -1 ... 1 { for dy in -1 ... 1 { for dx in -1 ... 1 {
                for q in buckets[[c[0] + dx, c[1] + dy, c[2] + dz]] ?? [] {
                    let d: Double
                    if let px = rule.suppressionPX {
                        let ex = Double(p.x - q.x), ey = Double(p.y - q.y), ez = Double(p.z - q.z)
                        d = (ex * ex + ey * ey + ez * ez).squareRoot() / px
                    } else {
                        let ex = Double(p.x - q.x) * spacing.column, ey = Double(p.y - q.y) * spacing.row
                        let ez = Double(p.z - q.z) * spacing.slice
                        d = (ex * ex + ey * ey + ez * ez).squareRoot() / (rule.suppressionMM ?? 10)
                    }
                    if d <= 1 { far = false; break search }
                }
            } } }
            if far { kept.append(p); buckets[c, default: []].append(p) }
        }
        return kept
    }
}
