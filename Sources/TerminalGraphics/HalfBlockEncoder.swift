/// Half-block blitter: each cell shows two vertically stacked samples as ▀ with foreground =
/// top and background = bottom (or the equivalent ▄, whichever needs fewer SGR changes).
///
/// With 8×16 cells each sample is a square 8×8 terminal pixel block, so half blocks keep the
/// image's aspect without glyph-shape guessing. It is the most portable pixel-ish mode (every
/// font has U+2580/U+2584) and the fastest: one quantisation per sample and no search.
/// Resolution is half that of ``SextantEncoder`` horizontally but colours are exact per sample;
/// on greyscale slices at 24-bit it usually reconstructs better than sextants (two colours
/// per 2×3 block lose more than halving horizontal resolution).
public struct HalfBlockEncoder: CellEncoder {
    public let depth: ColorDepth
    public let dithering: Dithering

    public init(depth: ColorDepth = .trueColor, dithering: Dithering = .none) {
        self.depth = depth == .none ? .trueColor : depth
        self.dithering = dithering
    }

    public var samplesPerCell: (across: Int, down: Int) { (1, 2) }

    public func cells(raster input: RGBImage, layout: ImageLayout) -> CellBuffer {
        precondition(input.width == layout.columns && input.height == layout.rows * 2, "raster does not match layout")
        let raster = input.flattened()
        let q = ColorQuantizer(depth: depth, dithering: dithering)
        var buffer = CellBuffer(columns: layout.columns, rows: layout.rows)
        let w = raster.width
        raster.pixels.withUnsafeBufferPointer { p in
            buffer.cells.withUnsafeMutableBufferPointer { cells in
                for row in 0..<layout.rows {
                    let top = 2 * row * w * 3, bottom = top + w * 3
                    for col in 0..<layout.columns {
                        let t = top + 3 * col, b = bottom + 3 * col
                        let upper = q.quantize(Float(p[t]), Float(p[t + 1]), Float(p[t + 2]), x: col, y: 2 * row)
                        let lower = q.quantize(Float(p[b]), Float(p[b + 1]), Float(p[b + 2]), x: col, y: 2 * row + 1)
                        cells[row * layout.columns + col] = upper == lower ? .uniform(upper)
                            : Cell(glyph: BlockGlyphs.upperHalf, foreground: upper, background: lower)
                    }
                }
            }
        }
        return buffer
    }
}
