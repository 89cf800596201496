/// One decoded frame of stored pixel values, before any LUT.
///
/// Samples are little-endian, interleaved (planar configuration 0), `bytesPerSample` wide, masked to
/// Bits Stored and sign-extended when Pixel Representation is 1: the same values pydicom's
/// `pixel_array` gives, which is what the conformance tests compare.
public struct PixelFrame: Sendable {
    public let rows: Int
    public let columns: Int
    public let samplesPerPixel: Int
    public let bytesPerSample: Int
    public let isSigned: Bool
    /// What the samples are: the file's photometric interpretation, or the codec's output space
    /// (e.g. YBR_FULL for JPEG baseline colour, RGB where the codec converted).
    public let photometricInterpretation: String
    public let samples: [UInt8]

    public init(rows: Int, columns: Int, samplesPerPixel: Int, bytesPerSample: Int, isSigned: Bool,
                photometricInterpretation: String, samples: [UInt8]) {
        self.rows = rows; self.columns = columns; self.samplesPerPixel = samplesPerPixel
        self.bytesPerSample = bytesPerSample; self.isSigned = isSigned
        self.photometricInterpretation = photometricInterpretation; self.samples = samples
    }

    public var sampleCount: Int { rows * columns * samplesPerPixel }

    /// The stored values widened to `Float` (for LUTs and analysis). O(n), one allocation.
    public func floatValues() -> [Float] {
        var out = [Float](repeating: 0, count: sampleCount)
        samples.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { dst in
                let n = min(dst.count, raw.count / bytesPerSample)
                switch (bytesPerSample, isSigned) {
                case (1, false): for i in 0 ..< n { dst[i] = Float(raw[i]) }
                case (1, true): for i in 0 ..< n { dst[i] = Float(Int8(bitPattern: raw[i])) }
                case (2, false): for i in 0 ..< n { dst[i] = Float(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
                case (2, true): for i in 0 ..< n { dst[i] = Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
                case (4, false): for i in 0 ..< n { dst[i] = Float(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                default: for i in 0 ..< n { dst[i] = Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
                }
            }
        }
        return out
    }

    /// The value of sample `s` of the pixel at (`row`, `column`).
    public func value(row: Int, column: Int, sample: Int = 0) -> Int64 {
        let index = (row * columns + column) * samplesPerPixel + sample
        return samples.withUnsafeBytes { raw in
            switch (bytesPerSample, isSigned) {
            case (1, false): Int64(raw[index])
            case (1, true): Int64(Int8(bitPattern: raw[index]))
            case (2, false): Int64(raw.loadUInt16(big: false, at: 2 * index))
            case (2, true): Int64(Int16(bitPattern: raw.loadUInt16(big: false, at: 2 * index)))
            case (4, false): Int64(raw.loadUInt32(big: false, at: 4 * index))
            default: Int64(Int32(bitPattern: raw.loadUInt32(big: false, at: 4 * index)))
            }
        }
    }
}
