/// A JPEG frame header (SOFn, T.81 B.2.2): process, precision, size and components.
struct JPEGFrameHeader: Sendable {
    struct Component: Sendable {
        /// Component identifier Ci (referenced by scans).
        var id: Int
        /// Horizontal and vertical sampling factors (1…4).
        var horizontal: Int
        var vertical: Int
        /// Quantisation table selector (DCT processes only).
        var quantTable: Int
    }

    /// The SOF marker's low byte: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless…
    var marker: UInt8
    /// Sample precision P in bits.
    var precision: Int
    /// Number of lines Y and samples per line X.
    var lines: Int
    var samplesPerLine: Int
    var components: [Component]

    var maxHorizontal: Int { components.map(\.horizontal).max() ?? 1 }
    var maxVertical: Int { components.map(\.vertical).max() ?? 1 }

    /// Index of the component with identifier `id`.
    func componentIndex(id: Int) -> Int? { components.firstIndex { $0.id == id } }
}

/// A JPEG scan header (SOS, T.81 B.2.3).
struct JPEGScanHeader: Sendable {
    struct Component: Sendable {
        /// Index into the frame's component list.
        var frameIndex: Int
        var dcTable: Int
        var acTable: Int
    }

    var components: [Component]
    /// Ss: start of spectral selection, or the predictor selection value (lossless).
    var spectralStart: Int
    /// Se: end of spectral selection.
    var spectralEnd: Int
    /// Ah / Al: successive approximation, Al is the point transform (lossless).
    var approximationHigh: Int
    var approximationLow: Int
    /// Byte offset of the first entropy-coded byte.
    var dataOffset: Int
}

/// The tables in force when a scan starts; DHT / DQT / DRI segments update them.
struct JPEGTableSet: Sendable {
    var dcTables = [HuffmanTable?](repeating: nil, count: 4)
    var acTables = [HuffmanTable?](repeating: nil, count: 4)
    /// Quantisation tables in natural (row-major) order.
    var quantTables = [[Int32]?](repeating: nil, count: 4)
    /// Restart interval in MCUs; 0 when restarts are not used.
    var restartInterval = 0
    /// Adobe APP14 transform flag (0 none / RGB, 1 YCbCr, 2 YCCK), when present.
    var adobeTransform: Int?
    /// Whether a JFIF APP0 segment was seen (implies YCbCr for 3 components).
    var sawJFIF = false
}

extension JPEGFrameHeader {
    /// Throws unless the frame's size, component count and precision agree with the data set's
    /// description (shared by the DCT and lossless decoders).
    func checkMatches(_ d: FrameDescriptor, codec: String) throws {
        guard lines == d.rows, samplesPerLine == d.columns, components.count == d.samplesPerPixel else {
            throw CodecError.descriptorMismatch(codec: codec, detail:
                "stream is \(lines) × \(samplesPerLine) × \(components.count), data set says "
                + "\(d.rows) × \(d.columns) × \(d.samplesPerPixel)")
        }
        guard precision <= d.bitsAllocated else {
            throw CodecError.descriptorMismatch(codec: codec, detail:
                "precision \(precision) does not fit in bits allocated \(d.bitsAllocated)")
        }
    }
}
