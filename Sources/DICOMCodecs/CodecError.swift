/// Why a frame could not be decoded. Every case names the codec; stream errors carry the byte offset
/// in the frame's compressed bytes where the problem was found, when it is known.
public enum CodecError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No decoder is registered for this transfer syntax UID.
    case unsupportedTransferSyntax(String)
    /// The descriptor itself is unusable (zero rows, bits allocated 12, absurd size…).
    case invalidDescriptor(codec: String, detail: String)
    /// The stream uses a feature this decoder does not implement (e.g. arithmetic coding).
    case unsupportedFeature(codec: String, detail: String, offset: Int?)
    /// The compressed bytes are malformed.
    case malformedStream(codec: String, detail: String, offset: Int?)
    /// The stream ended before the frame was complete.
    case truncatedStream(codec: String, detail: String, offset: Int?)
    /// The stream decoded, but what it holds disagrees with the data set's descriptor.
    case descriptorMismatch(codec: String, detail: String)
    /// A C library reported failure (its own message, or its error code).
    case libraryFailure(codec: String, detail: String)

    public var description: String {
        func at(_ offset: Int?) -> String { offset.map { " at byte offset \($0)" } ?? "" }
        switch self {
        case .unsupportedTransferSyntax(let uid):
            return "No pixel-data decoder for transfer syntax \(uid)"
        case let .invalidDescriptor(codec, detail):
            return "\(codec): invalid frame descriptor: \(detail)"
        case let .unsupportedFeature(codec, detail, offset):
            return "\(codec): unsupported feature\(at(offset)): \(detail)"
        case let .malformedStream(codec, detail, offset):
            return "\(codec): malformed stream\(at(offset)): \(detail)"
        case let .truncatedStream(codec, detail, offset):
            return "\(codec): truncated stream\(at(offset)): \(detail)"
        case let .descriptorMismatch(codec, detail):
            return "\(codec): decoded frame disagrees with the data set: \(detail)"
        case let .libraryFailure(codec, detail):
            return "\(codec): \(detail)"
        }
    }
}
