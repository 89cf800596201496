/// An 8-bit display frame: a slice after modality and VOI LUT (window/level), one byte a pixel.
///
/// This is what Imaging hands over for greyscale modalities; ``RGBImage/init(_:)`` expands it
/// when overlays need colour. `pixelAspectRatio` is row spacing over column spacing.
public struct GreyImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `private(set)`: encoders and ``RGBImage/init(_:)`` trust it to hold `width × height` bytes.
    public private(set) var pixels: [UInt8]
    public private(set) var pixelAspectRatio: Double

    /// - Throws: ``ImageSizeError`` unless `pixels.count == width * height` and the aspect ratio
    ///   is positive and finite.
    public init(width: Int, height: Int, pixels: [UInt8], pixelAspectRatio: Double = 1) throws(ImageSizeError) {
        let expected = try ImageSizeError.byteCount(width: width, height: height, channels: 1)
        guard pixels.count == expected else { throw .pixelCount(expected: expected, actual: pixels.count) }
        try ImageSizeError.check(aspectRatio: pixelAspectRatio)
        self.width = width; self.height = height; self.pixels = pixels; self.pixelAspectRatio = pixelAspectRatio
    }

    /// Applies a linear window (centre/width, DICOM C.11.2.1.2 style) to raw values.
    /// - Throws: ``ImageSizeError`` unless `values.count == width * height` and the aspect ratio is valid.
    public init(width: Int, height: Int, values: [Float], windowCenter: Float, windowWidth: Float,
                pixelAspectRatio: Double = 1) throws(ImageSizeError) {
        let expected = try ImageSizeError.byteCount(width: width, height: height, channels: 1)
        guard values.count == expected else { throw .pixelCount(expected: expected, actual: values.count) }
        let lo = windowCenter - 0.5 - (windowWidth - 1) / 2
        let scale = 255 / max(windowWidth - 1, 1)
        var p = [UInt8](repeating: 0, count: values.count)
        for i in 0..<values.count {
            let v = (values[i] - lo) * scale
            p[i] = v <= 0 ? 0 : v >= 255 ? 255 : UInt8(v + 0.5)
        }
        try self.init(width: width, height: height, pixels: p, pixelAspectRatio: pixelAspectRatio)
    }
}
