/// Sextant blitter (U+1FB00 "Symbols for Legacy Computing"): 2×3 samples per cell, drawn as the
/// glyph and colour pair with the least squared error.
///
/// For each cell all 31 two-way partitions of the six samples are scored in closed form —
/// error = Σ|x|² − |ΣS|²/|S| − |ΣC|²/|C| — so the search costs ~31×6 additions, not a
/// k-means per cell. The two means are then quantised to the colour depth. Triples the
/// vertical and doubles the horizontal sample density of half blocks, at the price of only
/// two colours per cell: sharper edges (contours, calcifications), blurrier fine texture.
/// Needs a font with sextants (most modern terminals; not the Linux console).
public struct SextantEncoder: CellEncoder {
    public let depth: ColorDepth
    public let dithering: Dithering

    public init(depth: ColorDepth = .trueColor, dithering: Dithering = .none) {
        self.depth = depth == .none ? .trueColor : depth
        self.dithering = dithering
    }

    public var samplesPerCell: (across: Int, down: Int) { (2, 3) }

    public func cells(raster input: RGBImage, layout: ImageLayout) -> CellBuffer {
        precondition(input.width == layout.columns * 2 && input.height == layout.rows * 3, "raster does not match layout")
        let raster = input.flattened()
        let q = ColorQuantizer(depth: depth, dithering: dithering)
        var buffer = CellBuffer(columns: layout.columns, rows: layout.rows)
        let w = raster.width
        raster.pixels.withUnsafeBufferPointer { p in
            buffer.cells.withUnsafeMutableBufferPointer { cells in
                var r = [Float](repeating: 0, count: 6), g = r, b = r
                r.withUnsafeMutableBufferPointer { r in g.withUnsafeMutableBufferPointer { g in b.withUnsafeMutableBufferPointer { b in
                    for row in 0..<layout.rows {
                        for col in 0..<layout.columns {
                            var sr: Float = 0, sg: Float = 0, sb: Float = 0
                            for k in 0..<6 {
                                let i = ((3 * row + k / 2) * w + 2 * col + (k & 1)) * 3
                                r[k] = Float(p[i]); g[k] = Float(p[i + 1]); b[k] = Float(p[i + 2])
                                sr += r[k]; sg += g[k]; sb += b[k]
                            }
                            // Maximise |ΣS|²/|S| + |ΣC|²/|C| over partitions with sample 0 in S.
                            var bestMask = 63
                            var bestScore = (sr * sr + sg * sg + sb * sb) / 6
                            for mask in stride(from: 1, to: 63, by: 2) {
                                var ar: Float = 0, ag: Float = 0, ab: Float = 0, n: Float = 0
                                for k in 0..<6 where mask & (1 << k) != 0 { ar += r[k]; ag += g[k]; ab += b[k]; n += 1 }
                                let cr = sr - ar, cg = sg - ag, cb = sb - ab
                                let score = (ar * ar + ag * ag + ab * ab) / n + (cr * cr + cg * cg + cb * cb) / (6 - n)
                                if score > bestScore + 0.01 { bestScore = score; bestMask = mask }
                            }
                            let cell: Cell
                            if bestMask == 63 {
                                cell = .uniform(q.quantize(sr / 6, sg / 6, sb / 6, x: col, y: row))
                            } else {
                                var ar: Float = 0, ag: Float = 0, ab: Float = 0, n: Float = 0
                                for k in 0..<6 where bestMask & (1 << k) != 0 { ar += r[k]; ag += g[k]; ab += b[k]; n += 1 }
                                let fg = q.quantize(ar / n, ag / n, ab / n, x: col, y: row)
                                let bg = q.quantize((sr - ar) / (6 - n), (sg - ag) / (6 - n), (sb - ab) / (6 - n), x: col + 1, y: row)
                                cell = fg == bg ? .uniform(fg)
                                    : Cell(glyph: BlockGlyphs.sextant(mask: bestMask), foreground: fg, background: bg)
                            }
                            cells[row * layout.columns + col] = cell
                        }
                    }
                }}}
            }
        }
        return buffer
    }
}
