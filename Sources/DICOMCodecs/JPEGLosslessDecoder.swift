/// JPEG Lossless, processes 14 and 14-SV1 (1.2.840.10008.1.2.4.57 / .70), T.81 Annex H, in Swift.
///
/// Supports: all seven predictors, point transform, precision 2…16, 1–4 components in one
/// interleaved scan or in separate scans, restart intervals, Huffman category 16 (difference 32768,
/// no additional bits), and 0xFF00 stuffing. Not supported (throws ``CodecError/unsupportedFeature``):
/// arithmetic coding, hierarchical / differential frames, and subsampled components.
///
/// Restart intervals follow H.1.2.1 literally: after each RSTn the first sample is predicted from
/// 2^(P−Pt−1) and the rest of that line from the left neighbour. (Encoders in practice restart on
/// line boundaries, where every reading of the standard agrees.)
///
/// Reconstruction is modulo 2^16 as the standard specifies, into a `UInt16` work buffer that is
/// already interleaved; packing applies the point transform. Complexity: O(samples).
public struct JPEGLosslessDecoder: FrameDecoder {
    public var codecName: String { "JPEG Lossless" }

    public init() {}

    public func decode(_ data: [UInt8], descriptor: FrameDescriptor) throws -> DecodedFrame {
        let d = try descriptor.validated(codec: codecName)
        var markers = JPEGMarkerReader(data: data, codec: codecName)
        try markers.readStartOfImage()
        var tables = JPEGTableSet()
        var frame: JPEGFrameHeader?
        var work: [UInt16] = []
        var decoded = [Bool](repeating: false, count: 4)
        var pointTransforms = [Int](repeating: 0, count: 4)    // per frame component (scans may differ)

        while let scan = try markers.nextScan(tables: &tables, frame: &frame) {
            guard let f = frame else { break }
            if work.isEmpty {
                try check(f, against: d)
                work = [UInt16](repeating: 0, count: d.sampleCount)
            }
            markers.position = try decodeScan(scan, frame: f, tables: tables, data: data, into: &work)
            for c in scan.components {
                decoded[c.frameIndex] = true
                pointTransforms[c.frameIndex] = scan.approximationLow
            }
        }
        guard let f = frame else {
            throw CodecError.malformedStream(codec: codecName, detail: "no frame header (SOF) found", offset: nil)
        }
        guard !work.isEmpty, decoded.prefix(f.components.count).allSatisfy({ $0 }) else {
            throw CodecError.truncatedStream(codec: codecName, detail: "stream ends before every component was decoded",
                                             offset: data.count)
        }
        let mask = UInt32((1 << f.precision) - 1)
        let componentCount = f.components.count
        var shift = pointTransforms[0]
        if pointTransforms.prefix(componentCount).contains(where: { $0 != shift }) {
            // Rare: separate scans with different point transforms. Apply them here, pack unshifted.
            work.withUnsafeMutableBufferPointer { w in
                for i in 0..<w.count {
                    w[i] = UInt16(truncatingIfNeeded: Int(w[i]) << pointTransforms[i % componentCount])
                }
            }
            shift = 0
        }
        let samples = work.withUnsafeBufferPointer {
            SamplePacker.pack($0, shift: shift, mask: mask, bytesPerSample: d.bytesPerSample)
        }
        return DecodedFrame(samples: samples, bytesPerSample: d.bytesPerSample,
                            photometricInterpretation: d.photometricInterpretation)
    }

    private func check(_ f: JPEGFrameHeader, against d: FrameDescriptor) throws {
        switch f.marker {
        case 0xC3: break
        case 0xC0, 0xC1, 0xC2:
            throw CodecError.unsupportedFeature(codec: codecName, detail:
                "the stream is DCT-based (SOF\(f.marker & 15)), not lossless; the transfer syntax is mislabelled",
                offset: nil)
        default:
            throw CodecError.unsupportedFeature(codec: codecName, detail:
                "frame type SOF\(f.marker & 15) (only SOF3, lossless Huffman, is supported)", offset: nil)
        }
        guard (2...16).contains(f.precision) else {
            throw CodecError.malformedStream(codec: codecName, detail: "precision \(f.precision) is not 2…16", offset: nil)
        }
        try f.checkMatches(d, codec: codecName)
        guard f.components.allSatisfy({ $0.horizontal == 1 && $0.vertical == 1 }) else {
            throw CodecError.unsupportedFeature(codec: codecName, detail: "subsampled components in a lossless frame",
                                                offset: nil)
        }
    }

    /// Decodes one scan into `work` and returns the byte offset where its entropy-coded data ended.
    private func decodeScan(_ scan: JPEGScanHeader, frame f: JPEGFrameHeader, tables: JPEGTableSet,
                            data: [UInt8], into work: inout [UInt16]) throws -> Int {
        let predictor = scan.spectralStart
        let pt = scan.approximationLow
        guard (1...7).contains(predictor) else {
            throw CodecError.malformedStream(codec: codecName, detail: "predictor \(predictor) is not 1…7",
                                             offset: scan.dataOffset)
        }
        guard pt < f.precision else {
            throw CodecError.malformedStream(codec: codecName, detail: "point transform \(pt) ≥ precision \(f.precision)",
                                             offset: scan.dataOffset)
        }
        var huffman: [HuffmanTable] = []
        for c in scan.components {
            guard let t = tables.dcTables[c.dcTable] else {
                throw CodecError.malformedStream(codec: codecName, detail: "scan uses undefined Huffman table \(c.dcTable)",
                                                 offset: scan.dataOffset)
            }
            huffman.append(t)
        }
        let scanComponents = scan.components.map(\.frameIndex)
        let stride = f.components.count
        let columns = f.samplesPerLine, rows = f.lines
        let rowStride = columns * stride
        let initial = 1 << (f.precision - pt - 1)
        let restartInterval = tables.restartInterval
        let codec = codecName

        let componentCount = scanComponents.count
        return try data.withUnsafeBufferPointer { input in
            try work.withUnsafeMutableBufferPointer { w in
            try huffman.withUnsafeBufferPointer { tables in
            try scanComponents.withUnsafeBufferPointer { targets in
                var bits = JPEGBitReader(data: input, position: scan.dataOffset)
                var mcusLeft = restartInterval
                var startOfInterval = true
                var firstLine = true
                for y in 0..<rows {
                    var i = y * rowStride
                    for x in 0..<columns {
                        if restartInterval > 0 {
                            if mcusLeft == 0 {
                                guard bits.restart() else {
                                    throw CodecError.malformedStream(codec: codec, detail:
                                        "expected a restart marker before line \(y), column \(x)", offset: bits.position)
                                }
                                mcusLeft = restartInterval
                                startOfInterval = true
                                firstLine = true
                            }
                            mcusLeft -= 1
                        }
                        for k in 0..<componentCount {
                            let at = i + targets[k]
                            let category = bits.decode(tables[k])
                            let diff: Int
                            if category >= 0 && category < 16 {
                                diff = bits.receiveExtend(category)
                            } else if category == 16 {
                                diff = 32768
                            } else {
                                throw CodecError.malformedStream(codec: codec, detail:
                                    "invalid Huffman code or difference category \(category) at line \(y), column \(x)",
                                    offset: bits.position)
                            }
                            let prediction: Int
                            if x > 0 && !firstLine {
                                let ra = Int(w[at - stride]), rb = Int(w[at - rowStride])
                                let rc = Int(w[at - rowStride - stride])
                                switch predictor {
                                case 1: prediction = ra
                                case 2: prediction = rb
                                case 3: prediction = rc
                                case 4: prediction = ra + rb - rc
                                case 5: prediction = ra + ((rb - rc) >> 1)
                                case 6: prediction = rb + ((ra - rc) >> 1)
                                default: prediction = (ra + rb) >> 1
                                }
                            } else if startOfInterval {
                                prediction = initial
                            } else if firstLine {
                                prediction = Int(w[at - stride])
                            } else {
                                prediction = Int(w[at - rowStride])        // first column: above
                            }
                            w[at] = UInt16(truncatingIfNeeded: prediction &+ diff)
                        }
                        startOfInterval = false
                        i += stride
                    }
                    firstLine = false
                    if bits.hasOverrun {
                        throw CodecError.truncatedStream(codec: codec, detail:
                            "entropy-coded data ends inside line \(y) of \(rows)", offset: bits.position)
                    }
                }
                return bits.position
            }
            }
            }
        }
    }
}
