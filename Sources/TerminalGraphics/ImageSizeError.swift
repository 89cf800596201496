/// An image's size, channel count or pixel shape does not describe its pixel buffer.
///
/// Thrown by the initialisers of ``RGBImage`` and ``GreyImage`` instead of trapping: sizes reach
/// them from files (DICOM rows and columns, PNG headers, sidecar JSON), and a broken file must be
/// a reported error, not a crash of the workstation. Once built, an image's buffer always matches
/// its size (`pixels` is `private(set)`), so the encoders can trust it.
public enum ImageSizeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The channel count is not one the image type holds.
    case unsupportedChannels(Int)
    /// Width or height is negative, or width × height × channels does not fit in an `Int`.
    case invalidSize(width: Int, height: Int)
    /// The buffer holds `actual` bytes where the size needs `expected`.
    case pixelCount(expected: Int, actual: Int)
    /// The pixel aspect ratio is not a positive finite number.
    case invalidAspectRatio(Double)

    public var description: String {
        switch self {
        case .unsupportedChannels(let n): "unsupported channel count \(n)"
        case .invalidSize(let w, let h): "invalid image size \(w)x\(h)"
        case .pixelCount(let expected, let actual): "pixel buffer holds \(actual) bytes, the size needs \(expected)"
        case .invalidAspectRatio(let r): "pixel aspect ratio \(r) is not positive"
        }
    }

    /// Bytes needed for `width × height × channels`, or `.invalidSize` when negative or too large.
    static func byteCount(width: Int, height: Int, channels: Int) throws(ImageSizeError) -> Int {
        guard width >= 0, height >= 0 else { throw .invalidSize(width: width, height: height) }
        let (area, o1) = width.multipliedReportingOverflow(by: height)
        let (bytes, o2) = area.multipliedReportingOverflow(by: channels)
        guard !o1, !o2 else { throw .invalidSize(width: width, height: height) }
        return bytes
    }

    /// Checks a pixel aspect ratio.
    static func check(aspectRatio: Double) throws(ImageSizeError) {
        guard aspectRatio.isFinite && aspectRatio > 0 else { throw .invalidAspectRatio(aspectRatio) }
    }
}
