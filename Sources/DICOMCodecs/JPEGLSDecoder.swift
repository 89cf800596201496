import CCharLS

/// JPEG-LS lossless and near-lossless (1.2.840.10008.1.2.4.80 / .81) through CharLS's C API.
///
/// All CharLS calls are confined to this file; each `charls_jpegls_errc` is turned into a thrown
/// ``CodecError/libraryFailure(codec:detail:)`` with CharLS's own message.
///
/// CharLS writes 1 byte per sample for precision ≤ 8 and 2 for more; samples are widened to
/// `bitsAllocated`. Interleave mode "none" comes out planar and is interleaved here; line and sample
/// interleaved images come out pixel-interleaved. CharLS undoes HP colour transforms itself.
/// JPEG-LS has no notion of signedness, so for Pixel Representation 1 samples are sign-extended from
/// the stream's precision, as pydicom does.
public struct JPEGLSDecoder: FrameDecoder {
    public var codecName: String { "JPEG-LS (CharLS)" }

    public init() {}

    public func decode(_ data: [UInt8], descriptor: FrameDescriptor) throws -> DecodedFrame {
        let d = try descriptor.validated(codec: codecName)
        guard data.count >= 4 else {
            throw CodecError.truncatedStream(codec: codecName, detail: "\(data.count) bytes is no JPEG-LS stream",
                                             offset: data.count)
        }
        try requireEndOfImage(data)
        guard let decoder = charls_jpegls_decoder_create() else {
            throw CodecError.libraryFailure(codec: codecName, detail: "charls_jpegls_decoder_create failed")
        }
        defer { charls_jpegls_decoder_destroy(decoder) }

        var info = charls_frame_info()
        var interleave = CHARLS_INTERLEAVE_MODE_NONE
        var raw: [UInt8] = []
        try data.withUnsafeBytes { source in
            try check(charls_jpegls_decoder_set_source_buffer(decoder, source.baseAddress!, source.count),
                      "setting the source buffer")
            try check(charls_jpegls_decoder_read_header(decoder), "reading the header")
            try check(charls_jpegls_decoder_get_frame_info(decoder, &info), "reading the frame info")
            try check(charls_jpegls_decoder_get_interleave_mode(decoder, &interleave), "reading the interleave mode")
            guard Int(info.width) == d.columns, Int(info.height) == d.rows,
                  Int(info.component_count) == d.samplesPerPixel else {
                throw CodecError.descriptorMismatch(codec: codecName, detail:
                    "stream is \(info.height) × \(info.width) × \(info.component_count), data set says "
                    + "\(d.rows) × \(d.columns) × \(d.samplesPerPixel)")
            }
            guard info.bits_per_sample >= 2, Int(info.bits_per_sample) <= min(16, d.bitsAllocated) else {
                throw CodecError.descriptorMismatch(codec: codecName, detail:
                    "precision \(info.bits_per_sample) does not fit in bits allocated \(d.bitsAllocated)")
            }
            var size = 0
            try check(charls_jpegls_decoder_get_destination_size(decoder, 0, &size), "computing the output size")
            let codecBytes = info.bits_per_sample <= 8 ? 1 : 2
            guard size == d.sampleCount * codecBytes else {
                throw CodecError.descriptorMismatch(codec: codecName, detail:
                    "CharLS output is \(size) bytes, the data set needs \(d.sampleCount * codecBytes)")
            }
            raw = [UInt8](repeating: 0, count: size)
            try raw.withUnsafeMutableBytes { out in
                try check(charls_jpegls_decoder_decode_to_buffer(decoder, out.baseAddress!, out.count, 0), "decoding")
            }
        }

        let codecBytes = info.bits_per_sample <= 8 ? 1 : 2
        let planar = interleave == CHARLS_INTERLEAVE_MODE_NONE && d.samplesPerPixel > 1
        var samples = relayout(raw, codecBytes: codecBytes, planar: planar, descriptor: d)
        if d.isSigned {
            SamplePacker.reinterpret(&samples, bytesPerSample: d.bytesPerSample, bits: Int(info.bits_per_sample),
                                     signed: true)
        }
        return DecodedFrame(samples: samples, bytesPerSample: d.bytesPerSample,
                            photometricInterpretation: d.photometricInterpretation)
    }

    /// Widens `codecBytes`-wide samples to the descriptor's width and interleaves planar output.
    private func relayout(_ raw: [UInt8], codecBytes: Int, planar: Bool, descriptor d: FrameDescriptor) -> [UInt8] {
        if !planar && codecBytes == d.bytesPerSample { return raw }
        let pixels = d.rows * d.columns, spp = d.samplesPerPixel, outBytes = d.bytesPerSample
        var out = [UInt8](repeating: 0, count: d.frameByteCount)
        raw.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in
                for c in 0..<spp {
                    for p in 0..<pixels {
                        let src = (planar ? c * pixels + p : p * spp + c) * codecBytes
                        let dst = (p * spp + c) * outBytes
                        o[dst] = r[src]
                        if codecBytes == 2 { o[dst + 1] = r[src + 1] }
                    }
                }
            }
        }
        return out
    }

    /// A complete JPEG-LS stream ends with EOI (FF D9), possibly followed by a zero pad byte.
    /// Checked before CharLS runs because CharLS 2.4 can spend tens of seconds on a truncated
    /// stream before failing; a missing EOI is reported at once as truncation.
    private func requireEndOfImage(_ data: [UInt8]) throws {
        var end = data.count
        while end > 0, data[end - 1] == 0, data.count - end < 4 { end -= 1 }
        guard end >= 2, data[end - 2] == 0xFF, data[end - 1] == 0xD9 else {
            throw CodecError.truncatedStream(codec: codecName, detail: "stream does not end with the EOI marker (FF D9)",
                                             offset: data.count)
        }
    }

    private func check(_ result: charls_jpegls_errc, _ step: String) throws {
        guard result != CHARLS_JPEGLS_ERRC_SUCCESS else { return }
        let message = charls_get_error_message(result).map { String(cString: $0) } ?? "error \(result.rawValue)"
        throw CodecError.libraryFailure(codec: codecName, detail: "\(step) failed: \(message) (charls_jpegls_errc \(result.rawValue))")
    }
}
