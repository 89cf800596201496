/// A scalar field drawn over the image through a ``ColorMap``: how a heatmap (Analysis's
/// `ModelGridHeatmap`, which the Workstation crops to the view) reaches the raster. It holds no
/// clinical meaning, only values, a colour map and how to blend them.
///
/// `values` are row-major, `width × height` (any resolution; it is sampled bilinearly onto the
/// output raster), nominally in 0...1. Samples below `threshold` are not drawn at all, so the
/// anatomy stays untouched where the model is not confident; above it the colour is blended
/// with `opacity`. Nil `colorMap`/`opacity`/`threshold` take the theme's values.
public struct ScalarOverlay: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var values: [Float]
    public var colorMap: ColorMap?
    public var threshold: Float?
    public var opacity: Float?

    /// Nil unless `values` holds exactly `width × height` samples on a non-empty grid.
    public init?(width: Int, height: Int, values: [Float], colorMap: ColorMap? = nil, threshold: Float? = nil, opacity: Float? = nil) {
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !overflow, values.count == count else { return nil }
        self.width = width; self.height = height; self.values = values
        self.colorMap = colorMap; self.threshold = threshold; self.opacity = opacity
    }

    /// Bilinear sample at heatmap coordinates (pixel centres at integer + 0.5).
    @inline(__always)
    func sample(_ x: Double, _ y: Double) -> Float {
        let fx = min(max(x - 0.5, 0), Double(width - 1)), fy = min(max(y - 0.5, 0), Double(height - 1))
        let x0 = min(Int(fx), max(width - 2, 0)), y0 = min(Int(fy), max(height - 2, 0))
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let ax = Float(fx - Double(x0)), ay = Float(fy - Double(y0))
        let top = values[y0 * width + x0] * (1 - ax) + values[y0 * width + x1] * ax
        let bottom = values[y1 * width + x0] * (1 - ax) + values[y1 * width + x1] * ax
        return top * (1 - ay) + bottom * ay
    }
}
