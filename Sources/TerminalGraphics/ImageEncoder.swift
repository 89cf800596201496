/// Something that turns an image into bytes for a terminal.
///
/// Two steps, so that overlays can be drawn at output resolution in between:
/// ``layout(width:height:pixelAspectRatio:grid:)`` decides the cells and the raster size, and
/// ``encode(raster:layout:)`` encodes a raster of exactly `layout.sampleWidth ×
/// layout.sampleHeight`. ``encode(_:fitting:)`` does both with area-average resampling.
public protocol ImageEncoder {
    func layout(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid) -> ImageLayout
    func encode(raster: RGBImage, layout: ImageLayout) -> [UInt8]
}

extension ImageEncoder {
    /// Fits `image` into `grid` at its physical aspect, resamples, encodes.
    public func encode(_ image: RGBImage, fitting grid: CellGrid) -> [UInt8] {
        let layout = layout(for: image, in: grid)
        return encode(raster: Resampler.resample(image, width: layout.sampleWidth, height: layout.sampleHeight), layout: layout)
    }

    public func layout(for image: RGBImage, in grid: CellGrid) -> ImageLayout {
        layout(width: image.width, height: image.height, pixelAspectRatio: image.pixelAspectRatio, grid: grid)
    }
}
