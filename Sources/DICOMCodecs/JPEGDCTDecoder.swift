/// JPEG Baseline (process 1, 1.2.840.10008.1.2.4.50) and Extended (processes 2 & 4, 8- and 12-bit,
/// 1.2.840.10008.1.2.4.51): sequential Huffman DCT, in Swift.
///
/// Why native rather than libjpeg-turbo: Debian's libjpeg-turbo 2.1 is built for 8-bit samples only,
/// and libjpeg reports fatal errors through an `error_exit` callback that must not return (it
/// expects a `longjmp`), which Swift cannot provide without a C helper.
///
/// Supports: 1–3 (or 4) components, any sampling factors 1…4, interleaved and non-interleaved scans,
/// several scans per frame, restart intervals, tables defined between scans. The IDCT is libjpeg's
/// accurate integer one (``InverseDCT``) and chroma upsampling is libjpeg-turbo's fancy filter
/// (``ChromaUpsampler``), so results match libjpeg-based tools closely.
/// Not supported (throws): progressive (SOF2), arithmetic coding, hierarchical frames.
///
/// No colour conversion: YCbCr stays YCbCr (reported as `YBR_FULL`, full resolution after
/// upsampling); RGB-coded streams (Adobe transform 0, or component IDs "R","G","B") are `RGB`.
///
/// A stream labelled with this syntax that is really lossless (SOF3) is handed to
/// ``JPEGLosslessDecoder``, since mislabelled files exist in the wild.
public struct JPEGDCTDecoder: FrameDecoder {
    public var codecName: String { "JPEG DCT" }

    public init() {}

    /// Per-component decoding state: its plane (padded to whole blocks) and DC predictor.
    private struct Component {
        var plane: [UInt16]
        var stride: Int                               // plane width: padded to whole MCUs
        var usedBlocksWide: Int, usedBlocksHigh: Int  // blocks covering the component's real samples
        var width: Int, height: Int                   // real samples (downsampled size)
        var decoded = false
    }

    public func decode(_ data: [UInt8], descriptor: FrameDescriptor) throws -> DecodedFrame {
        let d = try descriptor.validated(codec: codecName)
        var markers = JPEGMarkerReader(data: data, codec: codecName)
        try markers.readStartOfImage()
        var tables = JPEGTableSet()
        var frame: JPEGFrameHeader?
        var components: [Component] = []

        while let scan = try markers.nextScan(tables: &tables, frame: &frame) {
            guard let f = frame else { break }
            if components.isEmpty {
                if f.marker == 0xC3 { return try JPEGLosslessDecoder().decode(data, descriptor: descriptor) }
                try check(f, against: d)
                components = makeComponents(f)
            }
            markers.position = try decodeScan(scan, frame: f, tables: tables, data: data, components: &components)
        }
        guard let f = frame else {
            throw CodecError.malformedStream(codec: codecName, detail: "no frame header (SOF) found", offset: nil)
        }
        guard !components.isEmpty, components.allSatisfy(\.decoded) else {
            throw CodecError.truncatedStream(codec: codecName, detail: "stream ends before every component was decoded",
                                             offset: data.count)
        }

        var samples = [UInt8](repeating: 0, count: d.frameByteCount)
        let maxH = f.maxHorizontal, maxV = f.maxVertical
        samples.withUnsafeMutableBufferPointer { out in
            for (index, c) in components.enumerated() {
                c.plane.withUnsafeBufferPointer { plane in
                    let p = ChromaUpsampler.Plane(samples: plane, stride: c.stride, width: c.width, height: c.height,
                                                  horizontalFactor: f.components[index].horizontal,
                                                  verticalFactor: f.components[index].vertical)
                    ChromaUpsampler.write(p, component: index, of: d.samplesPerPixel, maxH: maxH, maxV: maxV,
                                          columns: d.columns, rows: d.rows, bytesPerSample: d.bytesPerSample, into: out)
                }
            }
        }
        return DecodedFrame(samples: samples, bytesPerSample: d.bytesPerSample,
                            photometricInterpretation: colourSpace(f, tables: tables, descriptor: d))
    }

    private func check(_ f: JPEGFrameHeader, against d: FrameDescriptor) throws {
        switch f.marker {
        case 0xC0, 0xC1: break
        case 0xC2:
            throw CodecError.unsupportedFeature(codec: codecName, detail: "progressive JPEG (SOF2)", offset: nil)
        default:
            throw CodecError.unsupportedFeature(codec: codecName, detail:
                "frame type SOF\(f.marker & 15) (only baseline / extended sequential Huffman are supported)", offset: nil)
        }
        guard f.precision == 8 || f.precision == 12 else {
            throw CodecError.malformedStream(codec: codecName, detail: "DCT precision \(f.precision) is not 8 or 12",
                                             offset: nil)
        }
        try f.checkMatches(d, codec: codecName)
    }

    private func makeComponents(_ f: JPEGFrameHeader) -> [Component] {
        let maxH = f.maxHorizontal, maxV = f.maxVertical
        let mcusWide = (f.samplesPerLine + 8 * maxH - 1) / (8 * maxH)
        let mcusHigh = (f.lines + 8 * maxV - 1) / (8 * maxV)
        return f.components.map { c in
            let width = (f.samplesPerLine * c.horizontal + maxH - 1) / maxH
            let height = (f.lines * c.vertical + maxV - 1) / maxV
            let blocksWide = mcusWide * c.horizontal, blocksHigh = mcusHigh * c.vertical
            return Component(plane: [UInt16](repeating: 0, count: blocksWide * 8 * blocksHigh * 8), stride: blocksWide * 8,
                             usedBlocksWide: (width + 7) / 8, usedBlocksHigh: (height + 7) / 8,
                             width: width, height: height)
        }
    }

    /// What the three components are: Adobe APP14 decides when present, then JFIF (YCbCr), then
    /// component identifiers "R","G","B", then the data set's own claim.
    private func colourSpace(_ f: JPEGFrameHeader, tables: JPEGTableSet, descriptor d: FrameDescriptor) -> String {
        guard f.components.count == 3 else { return d.photometricInterpretation }
        if let transform = tables.adobeTransform { return transform == 0 ? "RGB" : "YBR_FULL" }
        if tables.sawJFIF { return "YBR_FULL" }
        if f.components.map(\.id) == [0x52, 0x47, 0x42] { return "RGB" }
        return d.photometricInterpretation.hasPrefix("YBR") ? "YBR_FULL" : d.photometricInterpretation
    }

    /// Decodes one scan's blocks into the component planes; returns where its entropy-coded data ended.
    private func decodeScan(_ scan: JPEGScanHeader, frame f: JPEGFrameHeader, tables: JPEGTableSet,
                            data: [UInt8], components: inout [Component]) throws -> Int {
        let codec = codecName
        // Tables for each scan component, checked up front.
        var dcTables: [HuffmanTable] = [], acTables: [HuffmanTable] = [], quant: [[Int32]] = []
        for sc in scan.components {
            guard let dc = tables.dcTables[sc.dcTable], let ac = tables.acTables[sc.acTable] else {
                throw CodecError.malformedStream(codec: codec, detail: "scan uses an undefined Huffman table",
                                                 offset: scan.dataOffset)
            }
            let tq = f.components[sc.frameIndex].quantTable
            guard let q = tables.quantTables[tq] else {
                throw CodecError.malformedStream(codec: codec, detail: "component uses undefined quantisation table \(tq)",
                                                 offset: scan.dataOffset)
            }
            dcTables.append(dc); acTables.append(ac); quant.append(q)
        }
        let precision = f.precision
        let interleaved = scan.components.count > 1
        let maxH = f.maxHorizontal, maxV = f.maxVertical
        let mcusWide: Int, mcusHigh: Int
        if interleaved {
            mcusWide = (f.samplesPerLine + 8 * maxH - 1) / (8 * maxH)
            mcusHigh = (f.lines + 8 * maxV - 1) / (8 * maxV)
        } else {
            let c = components[scan.components[0].frameIndex]
            mcusWide = c.usedBlocksWide
            mcusHigh = c.usedBlocksHigh
        }
        let restartInterval = tables.restartInterval
        let coefficientLimit: Int32 = 1 << 20

        // Scratch for one block's coefficients and the IDCT, reused for every block.
        let coefficients = UnsafeMutablePointer<Int32>.allocate(capacity: 64)
        let workspace = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        defer { coefficients.deallocate(); workspace.deallocate() }

        // Planes are taken out of `components` so they can be written through unsafe pointers.
        var planes = components.map(\.plane)
        for i in components.indices { components[i].plane = [] }
        defer { for i in components.indices { components[i].plane = planes[i] } }
        var predictors = [Int](repeating: 0, count: scan.components.count)

        return try data.withUnsafeBufferPointer { input -> Int in
            var bits = JPEGBitReader(data: input, position: scan.dataOffset)
            var mcusToRestart = restartInterval
            for my in 0..<mcusHigh {
                for mx in 0..<mcusWide {
                    if restartInterval > 0 {
                        if mcusToRestart == 0 {
                            guard bits.restart() else {
                                throw CodecError.malformedStream(codec: codec, detail:
                                    "expected a restart marker before MCU \(my * mcusWide + mx)", offset: bits.position)
                            }
                            mcusToRestart = restartInterval
                            for k in predictors.indices { predictors[k] = 0 }
                        }
                        mcusToRestart -= 1
                    }
                    for (k, sc) in scan.components.enumerated() {
                        let index = sc.frameIndex
                        let fc = f.components[index]
                        let blocksH = interleaved ? fc.horizontal : 1, blocksV = interleaved ? fc.vertical : 1
                        let stride = components[index].stride
                        for v in 0..<blocksV {
                            for h in 0..<blocksH {
                                // --- Huffman-decode one block (T.81 F.2.2) ---
                                coefficients.initialize(repeating: 0, count: 64)
                                let t = bits.decode(dcTables[k])
                                guard t >= 0, t <= 16 else {
                                    throw CodecError.malformedStream(codec: codec, detail: "invalid DC Huffman code",
                                                                     offset: bits.position)
                                }
                                predictors[k] = predictors[k] &+ bits.receiveExtend(min(t, 16))
                                let q = quant[k]
                                coefficients[0] = clamp(predictors[k] &* Int(q[0]), coefficientLimit)
                                var i = 1
                                while i < 64 {
                                    let rs = bits.decode(acTables[k])
                                    guard rs >= 0 else {
                                        throw CodecError.malformedStream(codec: codec, detail: "invalid AC Huffman code",
                                                                         offset: bits.position)
                                    }
                                    let r = rs >> 4, s = rs & 15
                                    if s == 0 {
                                        if r != 15 { break }      // EOB
                                        i += 16
                                        continue
                                    }
                                    i += r
                                    let value = bits.receiveExtend(s)
                                    if i > 63 { break }           // corrupt run length: ignore the rest
                                    let z = JPEGZigZag.natural[i]
                                    coefficients[z] = clamp(value &* Int(q[z]), coefficientLimit)
                                    i += 1
                                }
                                // --- Inverse DCT straight into the plane ---
                                let bx = interleaved ? mx * fc.horizontal + h : mx
                                let by = interleaved ? my * fc.vertical + v : my
                                planes[index].withUnsafeMutableBufferPointer { plane in
                                    InverseDCT.transform(coefficients, workspace: workspace, output: plane.baseAddress!,
                                                         offset: by * 8 * stride + bx * 8, stride: stride,
                                                         precision: precision)
                                }
                            }
                        }
                    }
                    if bits.hasOverrun {
                        throw CodecError.truncatedStream(codec: codec, detail:
                            "entropy-coded data ends inside MCU \(my * mcusWide + mx) of \(mcusWide * mcusHigh)",
                            offset: bits.position)
                    }
                }
            }
            for sc in scan.components { components[sc.frameIndex].decoded = true }
            return bits.position
        }
    }

    @inline(__always)
    private func clamp(_ v: Int, _ limit: Int32) -> Int32 {
        Int32(min(max(v, -Int(limit)), Int(limit)))
    }
}
