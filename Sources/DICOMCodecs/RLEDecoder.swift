/// RLE Lossless (1.2.840.10008.1.2.5), PS3.5 Annex G, in Swift.
///
/// A frame starts with a 64-byte header: the segment count (1…15) and fifteen little-endian UInt32
/// segment offsets. Each segment is one byte plane, PackBits-compressed: for each sample (R, G, B…)
/// the most significant byte plane comes first. Segment `s × bytesPerSample + b` therefore holds byte
/// `bytesPerSample − 1 − b` (little-endian position) of sample `s` of every pixel.
///
/// Decoding writes each segment straight into its strided place in the interleaved output, so there
/// is one allocation per frame and no intermediate planes.
///
/// Leniency, as in pydicom and GDCM: a segment that decodes to more bytes than the frame needs is
/// cut short (some encoders pad), and a frame with *more* segments than needed is rejected.
/// Complexity: O(compressed bytes + output bytes).
public struct RLEDecoder: FrameDecoder {
    public var codecName: String { "RLE Lossless" }

    public init() {}

    public func decode(_ data: [UInt8], descriptor: FrameDescriptor) throws -> DecodedFrame {
        let d = try descriptor.validated(codec: codecName)
        let bytesPerSample = d.bytesPerSample
        let pixelCount = d.rows * d.columns
        let expectedSegments = d.samplesPerPixel * bytesPerSample
        guard data.count >= 64 else {
            throw CodecError.truncatedStream(codec: codecName,
                                             detail: "\(data.count) bytes is shorter than the 64-byte RLE header",
                                             offset: data.count)
        }
        let segmentCount = Int(readUInt32LE(data, at: 0))
        guard (1...15).contains(segmentCount) else {
            throw CodecError.malformedStream(codec: codecName,
                                             detail: "header declares \(segmentCount) segments (must be 1…15)", offset: 0)
        }
        guard segmentCount == expectedSegments else {
            throw CodecError.descriptorMismatch(codec: codecName, detail:
                "stream has \(segmentCount) segments but \(d.samplesPerPixel) samples × \(bytesPerSample) bytes "
                + "needs \(expectedSegments)")
        }
        var offsets = [Int](repeating: 0, count: segmentCount + 1)
        for i in 0..<segmentCount {
            let offset = Int(readUInt32LE(data, at: 4 + 4 * i))
            guard offset >= 64, offset <= data.count else {
                throw CodecError.malformedStream(codec: codecName, detail:
                    "segment \(i + 1) offset \(offset) lies outside the 64…\(data.count) byte frame", offset: 4 + 4 * i)
            }
            if i > 0, offset < offsets[i - 1] {
                throw CodecError.malformedStream(codec: codecName, detail:
                    "segment \(i + 1) offset \(offset) precedes segment \(i)'s offset \(offsets[i - 1])", offset: 4 + 4 * i)
            }
            offsets[i] = offset
        }
        offsets[segmentCount] = data.count

        var output = [UInt8](repeating: 0, count: d.frameByteCount)
        let stride = d.samplesPerPixel * bytesPerSample
        try data.withUnsafeBufferPointer { input in
            try output.withUnsafeMutableBufferPointer { out in
                for segment in 0..<segmentCount {
                    let sample = segment / bytesPerSample
                    let plane = segment % bytesPerSample           // 0 = most significant byte
                    let start = sample * bytesPerSample + (bytesPerSample - 1 - plane)
                    let produced = unpackBits(input, from: offsets[segment], to: offsets[segment + 1],
                                              into: out, start: start, stride: stride, count: pixelCount)
                    guard produced == pixelCount else {
                        throw CodecError.truncatedStream(codec: codecName, detail:
                            "segment \(segment + 1) decodes to \(produced) bytes, the frame needs \(pixelCount)",
                            offset: offsets[segment + 1])
                    }
                }
            }
        }
        return DecodedFrame(samples: output, bytesPerSample: bytesPerSample,
                            photometricInterpretation: d.photometricInterpretation)
    }

    /// PackBits-decodes `input[from..<to]` into `count` bytes at `out[start + k × stride]`.
    /// Returns how many bytes were produced (stops early at the end of input; never writes past `count`).
    @inline(__always)
    private func unpackBits(_ input: UnsafeBufferPointer<UInt8>, from: Int, to end: Int,
                            into out: UnsafeMutableBufferPointer<UInt8>, start: Int, stride: Int,
                            count: Int) -> Int {
        var i = from
        var produced = 0
        var o = start
        while i < end, produced < count {
            let header = Int(Int8(bitPattern: input[i]))
            i += 1
            if header >= 0 {                       // literal run of header + 1 bytes
                let n = min(header + 1, end - i, count - produced)
                for k in 0..<n {
                    out[o] = input[i + k]
                    o += stride
                }
                produced += n
                i += header + 1
            } else if header != -128 {             // replicate the next byte 1 − header times
                guard i < end else { break }
                let value = input[i]
                i += 1
                let n = min(1 - header, count - produced)
                for _ in 0..<n {
                    out[o] = value
                    o += stride
                }
                produced += n
            }
        }
        return produced
    }

    private func readUInt32LE(_ data: [UInt8], at i: Int) -> UInt32 {
        UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
    }
}
