/// Where and how large an image is drawn: the cells it covers and the raster an encoder samples.
///
/// The image keeps its physical shape: its width is `width` pixels and its height
/// `height × pixelAspectRatio` pixel-widths; it is scaled uniformly (never stretched) to the
/// largest size that fits `grid.columns × grid.cellWidth` by `grid.rows × grid.cellHeight`
/// terminal pixels. Cell encoders then round to whole cells (an error of at most half a cell);
/// pixel protocols (sixel, kitty, iTerm2) keep the exact pixel size.
public struct ImageLayout: Hashable, Sendable {
    /// Cells covered by the image.
    public var columns: Int
    public var rows: Int
    /// The raster the encoder consumes (terminal pixels for pixel protocols; sub-cell samples
    /// for blitters, e.g. 1×2 per cell for half blocks).
    public var sampleWidth: Int
    public var sampleHeight: Int
    public var grid: CellGrid

    public init(columns: Int, rows: Int, sampleWidth: Int, sampleHeight: Int, grid: CellGrid) {
        self.columns = columns; self.rows = rows
        self.sampleWidth = sampleWidth; self.sampleHeight = sampleHeight; self.grid = grid
    }

    /// Physical size, in terminal pixels, of the largest aspect-true fit.
    static func fittedPixels(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid) -> (Double, Double) {
        let physW = Double(max(width, 1))
        let physH = Double(max(height, 1)) * pixelAspectRatio
        let boxW = Double(grid.columns * grid.cellWidth)
        let boxH = Double(grid.rows * grid.cellHeight)
        let scale = min(boxW / physW, boxH / physH)
        return (physW * scale, physH * scale)
    }

    /// Layout for a pixel protocol: the raster is the fitted size in terminal pixels.
    public static func pixels(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid) -> ImageLayout {
        let (w, h) = fittedPixels(width: width, height: height, pixelAspectRatio: pixelAspectRatio, grid: grid)
        let sw = min(max(1, Int(w.rounded())), grid.columns * grid.cellWidth)
        let sh = min(max(1, Int(h.rounded())), grid.rows * grid.cellHeight)
        return ImageLayout(columns: (sw + grid.cellWidth - 1) / grid.cellWidth,
                           rows: (sh + grid.cellHeight - 1) / grid.cellHeight,
                           sampleWidth: sw, sampleHeight: sh, grid: grid)
    }

    /// Layout for a protocol whose terminal scales the image into the cell box itself (kitty
    /// `c`/`r`, iTerm2 `width`/`height`): the cells are those of the aspect-true fit, but when that
    /// fit is larger than the image the raster stays at the image's own resolution (corrected for
    /// pixel aspect), so nothing is invented by our upsampling and fewer bytes are sent.
    public static func pixelsWithoutEnlarging(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid) -> ImageLayout {
        var layout = pixels(width: width, height: height, pixelAspectRatio: pixelAspectRatio, grid: grid)
        let nativeW = max(1, width), nativeH = max(1, Int((Double(height) * pixelAspectRatio).rounded()))
        if layout.sampleWidth > nativeW && layout.sampleHeight > nativeH {
            layout.sampleWidth = nativeW; layout.sampleHeight = nativeH
        }
        return layout
    }

    /// Layout for a cell blitter with `samplesAcross × samplesDown` samples per cell.
    public static func cells(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid,
                             samplesAcross: Int, samplesDown: Int) -> ImageLayout {
        let (w, h) = fittedPixels(width: width, height: height, pixelAspectRatio: pixelAspectRatio, grid: grid)
        let cols = min(max(1, Int((w / Double(grid.cellWidth)).rounded())), grid.columns)
        let rows = min(max(1, Int((h / Double(grid.cellHeight)).rounded())), grid.rows)
        return ImageLayout(columns: cols, rows: rows, sampleWidth: cols * samplesAcross,
                           sampleHeight: rows * samplesDown, grid: grid)
    }

    /// Scale factors from source-image coordinates to raster coordinates.
    public func scale(fromWidth width: Int, height: Int) -> (x: Double, y: Double) {
        (Double(sampleWidth) / Double(max(width, 1)), Double(sampleHeight) / Double(max(height, 1)))
    }
}
