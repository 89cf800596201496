extension ReformattedPlane {
    /// The plane as 8-bit grey through `voi` (inverted for MONOCHROME1), one output pixel per
    /// sample, its pixel aspect ratio from the plane's spacing (1 when unknown): what
    /// `lightbox export-png` writes and `lightbox render` draws for a reformat or slab.
    public func displayImage(voi: VOITransform, monochrome1: Bool = false) throws(ImageBufferError) -> DisplayImage {
        var grey = [UInt8](repeating: 0, count: width * height)
        voi.apply(values, into: &grey)
        if monochrome1 { for i in grey.indices { grey[i] = 255 - grey[i] } }
        let aspect = PixelGeometry(rowSpacing: rowSpacing, columnSpacing: columnSpacing).aspectRatio
        return try DisplayImage(width: width, height: height, channels: 1, pixels: grey, pixelAspectRatio: aspect)
    }
}
