/// What the data set says about one frame: the geometry and sample layout the codec's output must match.
///
/// Decoders never trust the compressed stream's own header alone: every decoder checks that what the
/// codec produced agrees with this descriptor (rows × columns × samples, precision that fits in
/// `bitsAllocated`) and throws ``CodecError/descriptorMismatch(codec:detail:)`` otherwise.
public struct FrameDescriptor: Sendable, Equatable {
    /// (0028,0010) Rows.
    public var rows: Int
    /// (0028,0011) Columns.
    public var columns: Int
    /// (0028,0002) Samples per Pixel: 1 (monochrome / palette) or 3 (colour).
    public var samplesPerPixel: Int
    /// (0028,0100) Bits Allocated: 8, 16 or 32 (the width of each output sample).
    public var bitsAllocated: Int
    /// (0028,0101) Bits Stored: 1...bitsAllocated.
    public var bitsStored: Int
    /// (0028,0103) Pixel Representation: 0 unsigned, 1 two's complement.
    public var pixelRepresentation: Int
    /// (0028,0006) Planar Configuration as declared in the data set (0 interleaved, 1 planar).
    /// Compressed syntaxes define their own layout, so decoders use it only as a hint; output is always interleaved.
    public var planarConfiguration: Int
    /// (0028,0004) Photometric Interpretation as declared in the data set.
    public var photometricInterpretation: String

    public init(rows: Int, columns: Int, samplesPerPixel: Int = 1, bitsAllocated: Int, bitsStored: Int,
                pixelRepresentation: Int = 0, planarConfiguration: Int = 0,
                photometricInterpretation: String = "MONOCHROME2") {
        self.rows = rows
        self.columns = columns
        self.samplesPerPixel = samplesPerPixel
        self.bitsAllocated = bitsAllocated
        self.bitsStored = bitsStored
        self.pixelRepresentation = pixelRepresentation
        self.planarConfiguration = planarConfiguration
        self.photometricInterpretation = photometricInterpretation
    }

    /// Bytes per output sample: `bitsAllocated / 8`.
    public var bytesPerSample: Int { bitsAllocated / 8 }

    /// Whether samples are two's complement.
    public var isSigned: Bool { pixelRepresentation == 1 }

    /// Number of samples in the frame (rows × columns × samplesPerPixel).
    /// Only meaningful after ``validated(codec:)`` succeeded (which proves it does not overflow).
    public var sampleCount: Int { rows &* columns &* samplesPerPixel }

    /// The decoded frame's size in bytes. Only meaningful after ``validated(codec:)``.
    public var frameByteCount: Int { sampleCount &* bytesPerSample }

    /// The largest frame any decoder will allocate (2 GiB); a guard against absurd headers.
    public static let maximumFrameBytes = 1 << 31

    /// Checks that the descriptor is something a decoder can fill, and that its size does not overflow.
    /// - Throws: ``CodecError/invalidDescriptor(codec:detail:)``.
    @discardableResult
    public func validated(codec: String) throws -> FrameDescriptor {
        func fail(_ detail: String) -> CodecError { .invalidDescriptor(codec: codec, detail: detail) }
        guard rows > 0, columns > 0 else { throw fail("rows \(rows) × columns \(columns) must both be positive") }
        guard samplesPerPixel == 1 || samplesPerPixel == 3 || samplesPerPixel == 4 else {
            throw fail("samples per pixel \(samplesPerPixel) is not 1, 3 or 4")
        }
        guard bitsAllocated == 8 || bitsAllocated == 16 || bitsAllocated == 32 else {
            throw fail("bits allocated \(bitsAllocated) is not 8, 16 or 32")
        }
        guard bitsStored >= 1, bitsStored <= bitsAllocated else {
            throw fail("bits stored \(bitsStored) is not within 1...\(bitsAllocated)")
        }
        guard pixelRepresentation == 0 || pixelRepresentation == 1 else {
            throw fail("pixel representation \(pixelRepresentation) is not 0 or 1")
        }
        let (pixels, o1) = rows.multipliedReportingOverflow(by: columns)
        let (samples, o2) = pixels.multipliedReportingOverflow(by: samplesPerPixel)
        let (bytes, o3) = samples.multipliedReportingOverflow(by: bitsAllocated / 8)
        guard !o1, !o2, !o3, bytes <= FrameDescriptor.maximumFrameBytes else {
            throw fail("frame of \(rows) × \(columns) × \(samplesPerPixel) samples is too large")
        }
        return self
    }
}
