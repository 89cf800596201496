import COpenJPEG

/// JPEG 2000 (1.2.840.10008.1.2.4.90 / .91) and HTJ2K (.201 / .202 / .203) through OpenJPEG.
///
/// All OpenJPEG calls are confined to this file and ``OpenJPEGMemoryStream``. The stream is read
/// from memory; both raw J2K codestreams (FF 4F FF 51) and JP2 box files are accepted (for JP2, only
/// the `jp2c` codestream is decoded, see ``JP2Container``). OpenJPEG's
/// error messages are collected through `opj_set_error_handler` and become the thrown error's text.
///
/// Output: OpenJPEG's `Int32` component samples, written little-endian at `bitsAllocated` width and
/// interleaved. OpenJPEG undoes the multiple-component transform (RCT / ICT) itself, so
/// `YBR_RCT` / `YBR_ICT` frames come back as `RGB`. For monochrome frames whose codestream
/// signedness disagrees with Pixel Representation, samples are reinterpreted from the codestream
/// precision (pydicom's "J2K sign correction"), so the stored values equal pydicom's.
public struct OpenJPEGDecoder: FrameDecoder {
    public var codecName: String { "JPEG 2000 (OpenJPEG)" }

    public init() {}

    public func decode(_ data: [UInt8], descriptor: FrameDescriptor) throws -> DecodedFrame {
        let d = try descriptor.validated(codec: codecName)
        let codestream = try codestreamRange(data)
        let log = OpenJPEGMessageLog()

        return try data.withUnsafeBytes { whole -> DecodedFrame in
            let buffer = UnsafeRawBufferPointer(rebasing: whole[codestream])
            guard let codec = opj_create_decompress(OPJ_CODEC_J2K) else {
                throw CodecError.libraryFailure(codec: codecName, detail: "opj_create_decompress failed")
            }
            defer { opj_destroy_codec(codec) }
            let context = Unmanaged.passUnretained(log).toOpaque()
            opj_set_error_handler(codec, { message, context in
                guard let message, let context else { return }
                Unmanaged<OpenJPEGMessageLog>.fromOpaque(context).takeUnretainedValue().append(String(cString: message))
            }, context)
            opj_set_warning_handler(codec, { _, _ in }, nil)
            opj_set_info_handler(codec, { _, _ in }, nil)

            var parameters = opj_dparameters_t()
            opj_set_default_decoder_parameters(&parameters)
            guard opj_setup_decoder(codec, &parameters) != 0 else {
                throw failure(log, "opj_setup_decoder failed")
            }
            // Strict mode: a truncated codestream is an error rather than a silently partial image.
            _ = opj_decoder_set_strict_mode(codec, 1)

            let source = OpenJPEGMemoryStream(buffer: buffer)
            guard let stream = source.makeStream() else {
                throw CodecError.libraryFailure(codec: codecName, detail: "opj_stream_create failed")
            }
            defer { opj_stream_destroy(stream) }

            var imagePointer: UnsafeMutablePointer<opj_image_t>?
            guard opj_read_header(stream, codec, &imagePointer) != 0, let image = imagePointer else {
                if let imagePointer { opj_image_destroy(imagePointer) }
                throw failure(log, "could not read the JPEG 2000 header")
            }
            defer { opj_image_destroy(image) }
            // Geometry is known after the header: reject a mismatch before OpenJPEG spends time
            // (and memory) decoding an image of the wrong size.
            try checkHeader(image.pointee, descriptor: d)
            guard opj_decode(codec, stream, image) != 0, opj_end_decompress(codec, stream) != 0 else {
                throw failure(log, "decoding failed")
            }
            return try withExtendedLifetime(source) { try makeFrame(from: image.pointee, descriptor: d) }
        }
    }

    private func failure(_ log: OpenJPEGMessageLog, _ fallback: String) -> CodecError {
        .libraryFailure(codec: codecName, detail: log.summary(or: fallback))
    }

    /// The bytes to decode: the whole frame when it is a J2K codestream (SOC + SIZ markers), or the
    /// `jp2c` box payload of a JP2 file (see ``JP2Container``).
    private func codestreamRange(_ data: [UInt8]) throws -> Range<Int> {
        let range = JP2Container.isJP2(data) ? try JP2Container.codestreamRange(in: data, codec: codecName)
                                             : 0..<data.count
        let d = data[range]
        guard d.count >= 4, d[d.startIndex] == 0xFF, d[d.startIndex + 1] == 0x4F,
              d[d.startIndex + 2] == 0xFF, d[d.startIndex + 3] == 0x51 else {
            let head = d.prefix(4).map(hexByte).joined(separator: " ")
            throw CodecError.malformedStream(codec: codecName, detail:
                "neither a J2K codestream (FF 4F FF 51) nor a JP2 file; starts with \(head)", offset: range.lowerBound)
        }
        try J2KCodestreamCheck.validate(data, range: range, codec: codecName)
        return range
    }

    /// Checks the image header (components, size, precision) against the descriptor.
    private func checkHeader(_ image: opj_image_t, descriptor d: FrameDescriptor) throws {
        guard Int(image.numcomps) == d.samplesPerPixel, let comps = image.comps else {
            throw CodecError.descriptorMismatch(codec: codecName, detail:
                "codestream has \(image.numcomps) components, data set says \(d.samplesPerPixel) samples per pixel")
        }
        let width = Int(image.x1) - Int(image.x0), height = Int(image.y1) - Int(image.y0)
        for c in 0..<d.samplesPerPixel {
            let comp = comps[c]
            guard width == d.columns, height == d.rows, comp.dx == 1, comp.dy == 1 else {
                throw CodecError.descriptorMismatch(codec: codecName, detail:
                    "component \(c) is \(height) × \(width) (subsampling \(comp.dx)×\(comp.dy)), data set says "
                    + "\(d.rows) × \(d.columns)")
            }
            guard comp.prec >= 1, Int(comp.prec) <= d.bitsAllocated else {
                throw CodecError.descriptorMismatch(codec: codecName, detail:
                    "component \(c) precision \(comp.prec) does not fit in bits allocated \(d.bitsAllocated)")
            }
        }
    }

    /// Checks the decoded image against the descriptor and writes the interleaved output.
    private func makeFrame(from image: opj_image_t, descriptor d: FrameDescriptor) throws -> DecodedFrame {
        try checkHeader(image, descriptor: d)
        guard let comps = image.comps else {
            throw CodecError.libraryFailure(codec: codecName, detail: "OpenJPEG returned no components")
        }
        var precision = 0
        var signed = false
        for c in 0..<d.samplesPerPixel {
            let comp = comps[c]
            guard Int(comp.w) == d.columns, Int(comp.h) == d.rows, comp.data != nil else {
                throw CodecError.descriptorMismatch(codec: codecName, detail:
                    "decoded component \(c) is \(comp.h) × \(comp.w), data set says \(d.rows) × \(d.columns)")
            }
            precision = max(precision, Int(comp.prec))
            signed = signed || comp.sgnd != 0
        }

        let pixels = d.rows * d.columns, spp = d.samplesPerPixel, width = d.bytesPerSample
        var samples = [UInt8](repeating: 0, count: d.frameByteCount)
        samples.withUnsafeMutableBufferPointer { out in
            for c in 0..<spp {
                guard let values = comps[c].data else { continue }
                for p in 0..<pixels {
                    let v = UInt32(bitPattern: values[p])
                    let o = (p * spp + c) * width
                    out[o] = UInt8(truncatingIfNeeded: v)
                    if width >= 2 { out[o + 1] = UInt8(truncatingIfNeeded: v >> 8) }
                    if width == 4 {
                        out[o + 2] = UInt8(truncatingIfNeeded: v >> 16)
                        out[o + 3] = UInt8(truncatingIfNeeded: v >> 24)
                    }
                }
            }
        }
        let monochrome = d.photometricInterpretation.hasPrefix("MONOCHROME")
        if monochrome && signed != d.isSigned {
            SamplePacker.reinterpret(&samples, bytesPerSample: width, bits: precision, signed: d.isSigned)
        }
        let pi = d.photometricInterpretation
        let outputPI = (pi == "YBR_RCT" || pi == "YBR_ICT") ? "RGB" : pi
        return DecodedFrame(samples: samples, bytesPerSample: width, photometricInterpretation: outputPI)
    }
}
