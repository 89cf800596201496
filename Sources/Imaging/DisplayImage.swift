/// An 8-bit image ready for display: grey (one channel) or RGB (three, interleaved).
public struct DisplayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 (grey) or 3 (RGB).
    public let channels: Int
    /// `private(set)`: always `width × height × channels` bytes.
    public private(set) var pixels: [UInt8]
    /// Physical height ÷ width of one pixel (row spacing ÷ column spacing); 1 when unknown.
    public var pixelAspectRatio: Double

    /// - Throws: ``ImageBufferError`` unless `channels` is 1 or 3 and `pixels.count == width * height * channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8], pixelAspectRatio: Double = 1) throws(ImageBufferError) {
        guard channels == 1 || channels == 3 else { throw .unsupportedChannels(channels) }
        let expected = try ImageBufferError.elementCount(width, height, channels)
        guard pixels.count == expected else { throw .elementCount(expected: expected, actual: pixels.count) }
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
