/// Resampling of grey images (row-major, `width` × `height`) between the source pixel grid and a
/// model's input grid.
public enum ImageResampling {
    /// Area (box) average to `toWidth` × `toHeight` with the semantics of torch's
    /// `adaptive_avg_pool2d` (the training code's resampler): output cell i covers source indices
    /// floor(i·L/n) ..< ceil((i+1)·L/n) on each axis, so non-integer factors give overlapping boxes
    /// exactly as in training. O(source pixels + output cells · box area).
    public static func areaAverage(_ src: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
        precondition(src.count == width * height && toWidth > 0 && toHeight > 0, "image size does not match its dimensions")
        if width == toWidth && height == toHeight { return src }
        let xs = (0 ..< toWidth).map { (($0 * width) / toWidth, (($0 + 1) * width + toWidth - 1) / toWidth) }
        let ys = (0 ..< toHeight).map { (($0 * height) / toHeight, (($0 + 1) * height + toHeight - 1) / toHeight) }
        // Row sums per output column band first, then sum those over each row band.
        var bands = [Double](repeating: 0, count: height * toWidth)
        for y in 0 ..< height {
            let row = y * width
            for (j, (x0, x1)) in xs.enumerated() {
                var s = 0.0
                for x in x0 ..< x1 { s += Double(src[row + x]) }
                bands[y * toWidth + j] = s
            }
        }
        var out = [Float](repeating: 0, count: toWidth * toHeight)
        for (i, (y0, y1)) in ys.enumerated() {
            for (j, (x0, x1)) in xs.enumerated() {
                var s = 0.0
                for y in y0 ..< y1 { s += bands[y * toWidth + j] }
                out[i * toWidth + j] = Float(s / Double((y1 - y0) * (x1 - x0)))
            }
        }
        return out
    }

    /// Bilinear resample with pixel centres aligned (align_corners = false), edges clamped. Used to
    /// bring model-grid heatmaps back onto the source pixels, so overlays stay registered.
    public static func bilinear(_ src: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
        VolumeAnalyzer.resample(src, width: width, height: height, toWidth: toWidth, toHeight: toHeight)
    }

    /// The `q`-th percentile (0…100) of `values` with numpy's default linear interpolation between
    /// order statistics (index q/100 · (n − 1)), which is what training used.
    public static func percentiles(_ values: [Float], _ qs: [Double]) -> [Float] {
        guard !values.isEmpty else { return qs.map { _ in 0 } }
        let positions = qs.map { min(max($0, 0), 100) / 100 * Double(values.count - 1) }
        let ranks = positions.flatMap { pos -> [Int] in
            let lo = Int(pos.rounded(.down))
            return [lo, min(lo + 1, values.count - 1)]
        }
        let order = OrderStatistics.select(values, ranks: ranks)
        return positions.enumerated().map { i, pos in
            let (a, b) = (Double(order[2 * i]), Double(order[2 * i + 1]))
            return Float(a + (b - a) * (pos - pos.rounded(.down)))
        }
    }

    /// The same for values already sorted ascending (one sort serves several percentiles); 0 when empty.
    public static func percentile(sorted: [Float], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let pos = min(max(q, 0), 100) / 100 * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let f = pos - Double(lo)
        return Double(sorted[lo]) + (Double(sorted[hi]) - Double(sorted[lo])) * f
    }

    /// clip((v − P_low) / (P_high − P_low), 0, 1) over the whole image (denominator at least 1e-6).
    public static func percentileNormalised(_ values: [Float], low: Double, high: Double) -> [Float] {
        let p = percentiles(values, [low, high])
        let lo = p[0], span = max(p[1] - p[0], 1e-6)
        return values.map { min(max(($0 - lo) / span, 0), 1) }
    }
}
