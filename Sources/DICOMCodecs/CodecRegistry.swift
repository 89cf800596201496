/// Maps a transfer syntax UID to the decoder for its frames.
///
/// | UID | Syntax | Decoder |
/// |-----|--------|---------|
/// | 1.2.840.10008.1.2.5 | RLE Lossless | ``RLEDecoder`` (Swift) |
/// | 1.2.840.10008.1.2.4.50 | JPEG Baseline (process 1) | ``JPEGDCTDecoder`` (Swift) |
/// | 1.2.840.10008.1.2.4.51 | JPEG Extended (process 2 & 4, 8/12-bit) | ``JPEGDCTDecoder`` (Swift) |
/// | 1.2.840.10008.1.2.4.57 | JPEG Lossless (process 14) | ``JPEGLosslessDecoder`` (Swift) |
/// | 1.2.840.10008.1.2.4.70 | JPEG Lossless SV1 | ``JPEGLosslessDecoder`` (Swift) |
/// | 1.2.840.10008.1.2.4.80 / .81 | JPEG-LS (near-)lossless | ``JPEGLSDecoder`` (CharLS) |
/// | 1.2.840.10008.1.2.4.90 / .91 | JPEG 2000 | ``OpenJPEGDecoder`` (OpenJPEG) |
/// | 1.2.840.10008.1.2.4.201 / .202 / .203 | HTJ2K | ``OpenJPEGDecoder`` (OpenJPEG ≥ 2.5) |
///
/// The JPEG DCT syntaxes use a native decoder rather than libjpeg-turbo: the Debian build is 8-bit
/// only, and libjpeg reports errors through an `error_exit` callback that must not return, which
/// Swift cannot provide without a C helper (no `longjmp` from Swift).
public enum CodecRegistry {
    /// The decoder for `uid`, or nil when the syntax is not a compressed one this module handles.
    public static func decoder(forTransferSyntax uid: String) -> (any FrameDecoder)? {
        let trimmed = trimUID(uid)
        guard let syntax = CompressedTransferSyntax(rawValue: trimmed) else { return nil }
        switch syntax {
        case .rleLossless: return RLEDecoder()
        case .jpegBaseline, .jpegExtended: return JPEGDCTDecoder()
        case .jpegLossless, .jpegLosslessSV1: return JPEGLosslessDecoder()
        case .jpegLSLossless, .jpegLSNearLossless: return JPEGLSDecoder()
        case .jpeg2000Lossless, .jpeg2000, .htj2kLossless, .htj2kLosslessRPCL, .htj2k: return OpenJPEGDecoder()
        }
    }

    /// Every transfer syntax UID ``decoder(forTransferSyntax:)`` answers.
    public static var supportedTransferSyntaxes: [String] {
        CompressedTransferSyntax.allCases.map(\.uid)
    }

    /// Decodes one frame, looking the decoder up by UID.
    /// - Throws: ``CodecError/unsupportedTransferSyntax(_:)`` or whatever the decoder throws.
    public static func decode(_ data: [UInt8], transferSyntax uid: String,
                              descriptor: FrameDescriptor) throws -> DecodedFrame {
        guard let decoder = decoder(forTransferSyntax: uid) else {
            throw CodecError.unsupportedTransferSyntax(uid)
        }
        return try decoder.decode(data, descriptor: descriptor)
    }

    /// UIDs read from a data set may carry a trailing NUL or space pad.
    private static func trimUID(_ uid: String) -> String {
        var s = Substring(uid)
        while let last = s.last, last == "\0" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
