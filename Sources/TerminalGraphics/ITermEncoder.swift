/// iTerm2 inline images: `OSC 1337 ; File=inline=1;size=N;width=C;height=R;preserveAspectRatio=0 : base64 BEL`.
///
/// iTerm2 (and WezTerm, mintty, Konsole) decode an image file; we send an uncompressed PNG of
/// the already fitted raster (see ``PNGWriter``) and size it in cells, with aspect preservation
/// off because the layout already honours the physical aspect.
public struct ITermEncoder: ImageEncoder {
    public init() {}

    public func layout(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid) -> ImageLayout {
        ImageLayout.pixelsWithoutEnlarging(width: width, height: height, pixelAspectRatio: pixelAspectRatio, grid: grid)
    }

    public func encode(raster: RGBImage, layout: ImageLayout) -> [UInt8] {
        encode(png: PNGWriter.encode(raster), columns: layout.columns, rows: layout.rows)
    }

    public func encode(png: [UInt8], columns: Int, rows: Int) -> [UInt8] {
        var out = Array("\u{1B}]1337;File=inline=1;size=\(png.count);width=\(columns);height=\(rows);preserveAspectRatio=0:".utf8)
        out.reserveCapacity(out.count + Base64.encodedLength(png.count) + 1)
        Base64.encode(png[...], into: &out)
        out.append(0x07)
        return out
    }
}
