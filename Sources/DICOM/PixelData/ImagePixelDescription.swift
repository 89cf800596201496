/// The Image Pixel module attributes (PS3.3 C.7.6.3) that say how to read pixel data, validated.
public struct ImagePixelDescription: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let samplesPerPixel: Int
    public let bitsAllocated: Int
    public let bitsStored: Int
    public let highBit: Int
    public let isSigned: Bool
    /// 0: samples interleaved (R1G1B1R2…); 1: one plane per sample (R…G…B…).
    public let planarConfiguration: Int
    public let photometricInterpretation: String
    public let numberOfFrames: Int

    /// The largest decoded pixel data this reader accepts (all frames). Anything larger is surely a
    /// corrupt header, and would exhaust memory before it failed elsewhere.
    public static let maximumDecodedBytes = 8 << 30

    /// Reads and checks the attributes. Throws `DICOMError.pixelData` naming the first bad attribute.
    public init(_ ds: DataSet, source: String? = nil) throws {
        func fail(_ reason: String) -> DICOMError { .pixelData(file: source, reason: reason) }
        func required(_ tag: Tag, _ name: String) throws -> Int {
            guard let v = ds.int(tag) else { throw fail("\(name) \(tag) is missing or not a number") }
            return v
        }
        rows = try required(.rows, "Rows")
        columns = try required(.columns, "Columns")
        bitsAllocated = try required(.bitsAllocated, "Bits Allocated")
        samplesPerPixel = ds.int(.samplesPerPixel) ?? 1
        bitsStored = ds.int(.bitsStored) ?? bitsAllocated
        highBit = ds.int(.highBit) ?? (bitsStored - 1)
        isSigned = (ds.int(.pixelRepresentation) ?? 0) == 1
        planarConfiguration = ds.int(.planarConfiguration) ?? 0
        photometricInterpretation = ds.string(.photometricInterpretation)?.uppercased()
            ?? (samplesPerPixel == 3 ? "RGB" : "MONOCHROME2")
        numberOfFrames = max(1, ds.int(.numberOfFrames) ?? 1)

        guard (1...65_535).contains(rows), (1...65_535).contains(columns) else {
            throw fail("Rows × Columns \(rows) × \(columns) is out of range")
        }
        guard [1, 8, 16, 32].contains(bitsAllocated) else { throw fail("Bits Allocated \(bitsAllocated) is not 1, 8, 16 or 32") }
        guard (1...bitsAllocated).contains(bitsStored) else { throw fail("Bits Stored \(bitsStored) is not within 1...\(bitsAllocated)") }
        guard highBit >= bitsStored - 1, highBit < bitsAllocated else {
            throw fail("High Bit \(highBit) is inconsistent with Bits Stored \(bitsStored) / Allocated \(bitsAllocated)")
        }
        guard [1, 3, 4].contains(samplesPerPixel) else { throw fail("Samples per Pixel \(samplesPerPixel) is not 1, 3 or 4") }
        guard numberOfFrames <= 1_000_000 else { throw fail("Number of Frames \(numberOfFrames) is absurd") }
        let (total, overflow) = decodedSamplesPerFrame.multipliedReportingOverflow(by: numberOfFrames * max(1, bitsAllocated / 8))
        guard !overflow, total <= Self.maximumDecodedBytes else {
            throw fail("\(numberOfFrames) frames of \(rows) × \(columns) × \(samplesPerPixel) samples exceed \(Self.maximumDecodedBytes >> 30) GiB")
        }
    }

    /// Samples in one decoded frame (YBR_FULL_422 is expanded to three samples for every pixel).
    public var decodedSamplesPerFrame: Int { rows * columns * samplesPerPixel }

    /// Bytes per decoded sample: 1 for 1- and 8-bit data, 2 for 16, 4 for 32.
    public var bytesPerSample: Int { max(1, bitsAllocated / 8) }

    /// Bits of one frame as stored natively (before any compression).
    public var nativeBitsPerFrame: Int {
        let samples = photometricInterpretation == "YBR_FULL_422" ? rows * columns * 2 : decodedSamplesPerFrame
        return samples * bitsAllocated
    }
}
