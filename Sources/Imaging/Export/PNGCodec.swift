import CPNG
import Foundation

/// PNG import and export through libpng's simplified API (`png_image_*`), which reports errors in
/// the image struct instead of longjmp-ing, so it is safe to call from Swift.
public enum PNGCodec {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes an 8-bit grey or RGB image.
    public static func write(_ image: DisplayImage, to path: String) throws {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width)
        png.height = UInt32(image.height)
        png.format = image.channels == 1 ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        let ok = image.pixels.withUnsafeBytes { raw in
            png_image_write_to_file(&png, path, 0, raw.baseAddress, Int32(image.width * image.channels), nil)
        }
        defer { png_image_free(&png) }
        guard ok != 0 else { throw Failure(description: "\(path): PNG write failed: \(message(&png))") }
    }

    /// Reads a PNG (any colour type) as 8-bit RGB, or grey when the file is grey.
    public static func read(_ path: String) throws -> DisplayImage {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&png, path) != 0 else {
            throw Failure(description: "\(path): not a readable PNG: \(message(&png))")
        }
        defer { png_image_free(&png) }
        let grey = png.format & UInt32(PNG_FORMAT_FLAG_COLOR) == 0
        png.format = grey ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        let width = Int(png.width), height = Int(png.height), channels = grey ? 1 : 3
        guard width > 0, height > 0, width <= 65_535, height <= 65_535 else {
            throw Failure(description: "\(path): PNG of \(width)×\(height) is out of range")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let ok = pixels.withUnsafeMutableBytes { raw in
            png_image_finish_read(&png, nil, raw.baseAddress, Int32(width * channels), nil)
        }
        guard ok != 0 else { throw Failure(description: "\(path): PNG decode failed: \(message(&png))") }
        return try DisplayImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    private static func message(_ png: inout png_image) -> String {
        withUnsafeBytes(of: &png.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
