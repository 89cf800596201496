/// A blitter: renders a raster into a ``CellBuffer`` (which ``CellCanvas`` can diff), and
/// encodes a full frame as that buffer's bytes.
public protocol CellEncoder: ImageEncoder {
    var depth: ColorDepth { get }
    /// Samples per cell across and down (1×2 half blocks, 2×3 sextants, 1×1 ASCII).
    var samplesPerCell: (across: Int, down: Int) { get }
    func cells(raster: RGBImage, layout: ImageLayout) -> CellBuffer
}

extension CellEncoder {
    public func layout(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid) -> ImageLayout {
        ImageLayout.cells(width: width, height: height, pixelAspectRatio: pixelAspectRatio, grid: grid,
                          samplesAcross: samplesPerCell.across, samplesDown: samplesPerCell.down)
    }

    public func encode(raster: RGBImage, layout: ImageLayout) -> [UInt8] {
        cells(raster: raster, layout: layout).frameBytes(depth: depth)
    }

    /// Resamples and renders `image` into cells for `grid` (for ``CellCanvas``).
    public func cells(_ image: RGBImage, fitting grid: CellGrid) -> CellBuffer {
        let layout = layout(for: image, in: grid)
        return cells(raster: Resampler.resample(image, width: layout.sampleWidth, height: layout.sampleHeight), layout: layout)
    }
}
