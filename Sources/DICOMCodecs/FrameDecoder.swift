import Foundation

/// Decodes one frame of encapsulated pixel data.
///
/// Input: the frame's compressed bytes with all its fragments already concatenated (for RLE the
/// 64-byte RLE header first; for JPEG family codecs the stream from SOI). Trailing padding (a zero
/// byte added to make the item length even) is tolerated.
///
/// Decoders are stateless values, safe to share between threads; each call allocates its own output.
/// No input, however malformed, traps: errors are thrown as ``CodecError``.
public protocol FrameDecoder: Sendable {
    /// A short name for messages, e.g. "RLE Lossless".
    var codecName: String { get }

    /// Decodes `data` (one frame) into stored sample values laid out as ``DecodedFrame`` documents.
    func decode(_ data: [UInt8], descriptor: FrameDescriptor) throws -> DecodedFrame
}

extension FrameDecoder {
    /// Convenience for callers holding `Data`: copies once into `[UInt8]` and decodes.
    public func decode(_ data: Data, descriptor: FrameDescriptor) throws -> DecodedFrame {
        try decode([UInt8](data), descriptor: descriptor)
    }
}
