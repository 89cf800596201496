/// An 8-bit image ready for display: grey (one channel) or RGB (three, interleaved).
public struct DisplayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 (grey) or 3 (RGB).
    public let channels: Int
    public var pixels: [UInt8]
    /// Physical height ÷ width of one pixel (row spacing ÷ column spacing); 1 when unknown.
    public var pixelAspectRatio: Double

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8], pixelAspectRatio: Double = 1) {
        precondition(channels == 1 || channels == 3, "DisplayImage holds grey or RGB")
        precondition(pixels.count == width * height * channels, "pixel buffer does not match the size")
        self.width = width; self.height = height; self.channels = channels
        self.pixels = pixels; self.pixelAspectRatio = pixelAspectRatio
    }

    /// The image as RGB (grey expanded).
    public func rgb() -> [UInt8] {
        if channels == 3 { return pixels }
        var out = [UInt8](repeating: 0, count: pixels.count * 3)
        for i in 0 ..< pixels.count { let v = pixels[i]; out[3 * i] = v; out[3 * i + 1] = v; out[3 * i + 2] = v }
        return out
    }
}
