/// An 8-bit RGB or RGBA raster with the physical shape of its pixels.
///
/// `pixels` is row-major, `channels` (3 or 4) bytes per pixel, no row padding. Alpha, when
/// present, is straight (not premultiplied); encoders that cannot express transparency
/// composite it over black, sixel maps `alpha < 128` to "no colour" (P2=1), kitty sends RGBA.
///
/// `pixelAspectRatio` is the physical height of one pixel divided by its width — for DICOM,
/// `PixelSpacing[0] / PixelSpacing[1]` (row spacing over column spacing). Layout honours it so
/// that a 0.7 × 0.5 mm pixel is never drawn square.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// `private(set)`: the encoders index it by `width`, `height` and `channels`, so only this
    /// type may change it, and never its length (``withUnsafeMutablePixels(_:)``, the subscript).
    public private(set) var pixels: [UInt8]
    public private(set) var pixelAspectRatio: Double

    /// - Throws: ``ImageSizeError`` unless `channels` is 3 or 4, `pixels.count == width * height * channels`
    ///   and `pixelAspectRatio` is positive and finite.
    public init(width: Int, height: Int, channels: Int = 3, pixels: [UInt8], pixelAspectRatio: Double = 1) throws(ImageSizeError) {
        guard channels == 3 || channels == 4 else { throw .unsupportedChannels(channels) }
        let expected = try ImageSizeError.byteCount(width: width, height: height, channels: channels)
        guard pixels.count == expected else { throw .pixelCount(expected: expected, actual: pixels.count) }
        try ImageSizeError.check(aspectRatio: pixelAspectRatio)
        self.init(checkedWidth: width, height: height, channels: channels, pixels: pixels, pixelAspectRatio: pixelAspectRatio)
    }

    /// For buffers this module sized itself from an image that was already checked.
    init(checkedWidth width: Int, height: Int, channels: Int, pixels: [UInt8], pixelAspectRatio: Double) {
        self.width = width; self.height = height; self.channels = channels
        self.pixels = pixels; self.pixelAspectRatio = pixelAspectRatio
    }

    /// A solid image.
    /// - Throws: ``ImageSizeError`` for a negative or overflowing size or a bad aspect ratio.
    public init(width: Int, height: Int, filledWith color: RGBColor, pixelAspectRatio: Double = 1) throws(ImageSizeError) {
        var p = [UInt8](repeating: 0, count: try ImageSizeError.byteCount(width: width, height: height, channels: 3))
        var i = 0
        while i < p.count { p[i] = color.r; p[i + 1] = color.g; p[i + 2] = color.b; i += 3 }
        try self.init(width: width, height: height, channels: 3, pixels: p, pixelAspectRatio: pixelAspectRatio)
    }

    /// Builds an image from DICOM-style spacing: `rowSpacing` between rows (vertical size of a
    /// pixel) and `columnSpacing` between columns (horizontal size), in any common unit.
    public init(width: Int, height: Int, channels: Int = 3, pixels: [UInt8], rowSpacing: Double, columnSpacing: Double) throws(ImageSizeError) {
        try self.init(width: width, height: height, channels: channels, pixels: pixels,
                      pixelAspectRatio: rowSpacing / columnSpacing)
    }

    /// Expands an 8-bit display frame to RGB.
    public init(_ grey: GreyImage) {
        var p = [UInt8](repeating: 0, count: grey.width * grey.height * 3)
        grey.pixels.withUnsafeBufferPointer { src in
            p.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { let v = src[i]; dst[3 * i] = v; dst[3 * i + 1] = v; dst[3 * i + 2] = v }
            }
        }
        self.init(checkedWidth: grey.width, height: grey.height, channels: 3, pixels: p, pixelAspectRatio: grey.pixelAspectRatio)
    }

    public var hasAlpha: Bool { channels == 4 }

    /// The colour at (x, y), ignoring alpha.
    public subscript(x: Int, y: Int) -> RGBColor {
        get {
            let i = (y * width + x) * channels
            return RGBColor(r: pixels[i], g: pixels[i + 1], b: pixels[i + 2])
        }
        set {
            let i = (y * width + x) * channels
            pixels[i] = newValue.r; pixels[i + 1] = newValue.g; pixels[i + 2] = newValue.b
            if channels == 4 { pixels[i + 3] = 255 }
        }
    }

    /// Lets `body` change pixel bytes in place (overlay blending); the buffer cannot be resized or
    /// replaced through it, so the size stays true.
    public mutating func withUnsafeMutablePixels<R>(_ body: (UnsafeMutableBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try pixels.withUnsafeMutableBufferPointer { buffer in try body(buffer) }
    }

    /// The same picture without alpha, composited over `background`.
    public func flattened(over background: RGBColor = RGBColor(grey: 0)) -> RGBImage {
        guard channels == 4 else { return self }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let bg = [Int(background.r), Int(background.g), Int(background.b)]
                for i in 0..<(width * height) {
                    let a = Int(src[4 * i + 3])
                    for c in 0..<3 {
                        dst[3 * i + c] = UInt8((Int(src[4 * i + c]) * a + bg[c] * (255 - a) + 127) / 255)
                    }
                }
            }
        }
        return RGBImage(checkedWidth: width, height: height, channels: 3, pixels: out, pixelAspectRatio: pixelAspectRatio)
    }
}
