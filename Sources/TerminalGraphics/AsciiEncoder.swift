/// Plain ASCII luminance ramp for terminals without colour (TERM=dumb, logs, e-mail).
///
/// One sample per cell mapped through a 10-step density ramp ` .:-=+*#%@` (dark background:
/// space is black). Output is printable ASCII and line feeds only — no escape sequences — so it
/// is safe in any terminal and in files. Diagnostic value is limited to orientation and gross
/// anatomy; it is a fallback, not a reading mode.
public struct AsciiEncoder: CellEncoder {
    public static let ramp: [UInt8] = Array(" .:-=+*#%@".utf8)
    /// Draw for a light background (ramp reversed).
    public var inverted: Bool

    public init(inverted: Bool = false) { self.inverted = inverted }

    public var depth: ColorDepth { .none }
    public var samplesPerCell: (across: Int, down: Int) { (1, 1) }

    public func cells(raster input: RGBImage, layout: ImageLayout) -> CellBuffer {
        precondition(input.width == layout.columns && input.height == layout.rows, "raster does not match layout")
        let raster = input.flattened()
        var buffer = CellBuffer(columns: layout.columns, rows: layout.rows)
        let n = Self.ramp.count
        for i in 0..<(layout.columns * layout.rows) {
            var luma = RGBColor(r: raster.pixels[3 * i], g: raster.pixels[3 * i + 1], b: raster.pixels[3 * i + 2]).luma
            if inverted { luma = 255 - luma }
            let level = min(n - 1, (luma * n) / 256)
            buffer.cells[i] = Cell(glyph: UInt32(Self.ramp[level]), foreground: .terminalDefault, background: .terminalDefault)
        }
        return buffer
    }
}
