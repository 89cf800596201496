/// Walks the marker segments of a JPEG stream (T.81 Annex B) up to each scan, parsing the frame
/// header, scan headers and tables, with every length checked against the buffer.
///
/// Shared by ``JPEGLosslessDecoder`` and ``JPEGDCTDecoder``. The reader owns no entropy decoding:
/// after ``nextScan(tables:frame:)`` returns a scan, the caller decodes from `scan.dataOffset` and
/// hands back the position where its bit reader stopped (at the next marker).
struct JPEGMarkerReader {
    let data: [UInt8]
    let codec: String
    /// The current byte offset.
    var position = 0

    init(data: [UInt8], codec: String) {
        self.data = data
        self.codec = codec
    }

    private func malformed(_ detail: String, at offset: Int? = nil) -> CodecError {
        .malformedStream(codec: codec, detail: detail, offset: offset ?? position)
    }

    private func truncated(_ detail: String) -> CodecError {
        .truncatedStream(codec: codec, detail: detail, offset: position)
    }

    /// Checks for SOI at the start of the stream.
    mutating func readStartOfImage() throws {
        guard data.count >= 2 else { throw truncated("stream of \(data.count) bytes has no SOI marker") }
        guard data[0] == 0xFF, data[1] == 0xD8 else {
            throw malformed("stream starts with \(hexByte(data[0])) \(hexByte(data[1])), not the SOI marker FF D8",
                            at: 0)
        }
        position = 2
    }

    /// Reads the next marker code, skipping fill bytes (0xFF…). Garbage bytes between segments are
    /// skipped too, as libjpeg does, since some encoders leave stray bytes after a scan.
    private mutating func nextMarker() throws -> UInt8? {
        while position < data.count {
            if data[position] == 0xFF, position + 1 < data.count {
                let code = data[position + 1]
                if code == 0xFF { position += 1; continue }
                if code != 0x00 {
                    position += 2
                    return code
                }
            }
            position += 1
        }
        return nil
    }

    /// Reads a segment's length field and returns the payload range, checked against the buffer.
    private mutating func segmentPayload(_ name: String) throws -> Range<Int> {
        guard position + 2 <= data.count else { throw truncated("\(name) segment length is missing") }
        let length = Int(data[position]) << 8 | Int(data[position + 1])
        guard length >= 2 else { throw malformed("\(name) segment length \(length) is less than 2") }
        let start = position + 2
        let end = position + length
        guard end <= data.count else {
            throw truncated("\(name) segment of \(length) bytes runs past the end of the \(data.count)-byte stream")
        }
        position = end
        return start..<end
    }

    /// Processes segments until the next SOS (returns its header) or EOI / end of data (returns nil).
    mutating func nextScan(tables: inout JPEGTableSet, frame: inout JPEGFrameHeader?) throws -> JPEGScanHeader? {
        while let marker = try nextMarker() {
            let markerOffset = position - 2
            switch marker {
            case 0xD9:                                     // EOI
                return nil
            case 0xD0...0xD7, 0x01:                        // stray RSTn / TEM: no payload
                continue
            case 0xC4:
                try parseHuffmanTables(try segmentPayload("DHT"), into: &tables)
            case 0xDB:
                try parseQuantTables(try segmentPayload("DQT"), into: &tables)
            case 0xDD:
                let p = try segmentPayload("DRI")
                guard p.count >= 2 else { throw malformed("DRI segment too short", at: markerOffset) }
                tables.restartInterval = Int(data[p.lowerBound]) << 8 | Int(data[p.lowerBound + 1])
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard frame == nil else { throw malformed("second frame header (SOF) in one image", at: markerOffset) }
                frame = try parseFrameHeader(marker: marker, try segmentPayload("SOF"))
            case 0xCC:
                throw CodecError.unsupportedFeature(codec: codec, detail: "arithmetic coding (DAC)", offset: markerOffset)
            case 0xDA:
                guard let f = frame else { throw malformed("scan (SOS) before any frame header (SOF)", at: markerOffset) }
                return try parseScanHeader(try segmentPayload("SOS"), frame: f)
            case 0xDC:
                throw CodecError.unsupportedFeature(codec: codec, detail: "DNL marker (number of lines after the scan)",
                                                    offset: markerOffset)
            case 0xEE:
                let p = try segmentPayload("APP14")
                // "Adobe" + version(2) + flags0(2) + flags1(2) + transform(1)
                if p.count >= 12, Array(data[p.lowerBound..<p.lowerBound + 5]) == Array("Adobe".utf8) {
                    tables.adobeTransform = Int(data[p.lowerBound + 11])
                }
            case 0xE0:
                let p = try segmentPayload("APP0")
                if p.count >= 5, Array(data[p.lowerBound..<p.lowerBound + 5]) == [0x4A, 0x46, 0x49, 0x46, 0x00] {
                    tables.sawJFIF = true
                }
            case 0xD8:
                throw malformed("second SOI marker", at: markerOffset)
            default:                                       // APPn, COM, JPGn, DHP, EXP…: skip
                _ = try segmentPayload("marker FF\(hexByte(marker))")
            }
        }
        return nil
    }

    private func parseFrameHeader(marker: UInt8, _ p: Range<Int>) throws -> JPEGFrameHeader {
        guard p.count >= 6 else { throw malformed("SOF segment too short", at: p.lowerBound) }
        let b = p.lowerBound
        let count = Int(data[b + 5])
        guard count >= 1, count <= 4 else {
            throw CodecError.unsupportedFeature(codec: codec, detail: "\(count) components in the frame", offset: b + 5)
        }
        guard p.count >= 6 + 3 * count else { throw malformed("SOF segment too short for \(count) components", at: b) }
        var components: [JPEGFrameHeader.Component] = []
        for i in 0..<count {
            let c = b + 6 + 3 * i
            let h = Int(data[c + 1] >> 4), v = Int(data[c + 1] & 15), tq = Int(data[c + 2])
            guard (1...4).contains(h), (1...4).contains(v) else {
                throw malformed("component \(i) has sampling factors \(h)×\(v)", at: c + 1)
            }
            guard tq < 4 else { throw malformed("component \(i) quantisation table \(tq) is not 0…3", at: c + 2) }
            if components.contains(where: { $0.id == Int(data[c]) }) {
                throw malformed("component identifier \(data[c]) appears twice", at: c)
            }
            components.append(.init(id: Int(data[c]), horizontal: h, vertical: v, quantTable: tq))
        }
        let lines = Int(data[b + 1]) << 8 | Int(data[b + 2])
        let samples = Int(data[b + 3]) << 8 | Int(data[b + 4])
        guard lines > 0 else {
            throw CodecError.unsupportedFeature(codec: codec, detail: "frame with 0 lines (height given by DNL)", offset: b + 1)
        }
        guard samples > 0 else { throw malformed("frame has 0 samples per line", at: b + 3) }
        return JPEGFrameHeader(marker: marker, precision: Int(data[b]), lines: lines, samplesPerLine: samples,
                               components: components)
    }

    private func parseScanHeader(_ p: Range<Int>, frame: JPEGFrameHeader) throws -> JPEGScanHeader {
        guard p.count >= 1 else { throw malformed("SOS segment is empty", at: p.lowerBound) }
        let b = p.lowerBound
        let count = Int(data[b])
        guard count >= 1, count <= 4, p.count >= 1 + 2 * count + 3 else {
            throw malformed("SOS segment with \(count) components is malformed", at: b)
        }
        var components: [JPEGScanHeader.Component] = []
        for i in 0..<count {
            let c = b + 1 + 2 * i
            guard let index = frame.componentIndex(id: Int(data[c])) else {
                throw malformed("scan refers to component \(data[c]), which the frame does not define", at: c)
            }
            guard !components.contains(where: { $0.frameIndex == index }) else {
                throw malformed("scan lists component \(data[c]) twice", at: c)
            }
            let td = Int(data[c + 1] >> 4), ta = Int(data[c + 1] & 15)
            guard td < 4, ta < 4 else { throw malformed("scan Huffman table selector out of range", at: c + 1) }
            components.append(.init(frameIndex: index, dcTable: td, acTable: ta))
        }
        let s = b + 1 + 2 * count
        return JPEGScanHeader(components: components, spectralStart: Int(data[s]), spectralEnd: Int(data[s + 1]),
                              approximationHigh: Int(data[s + 2] >> 4), approximationLow: Int(data[s + 2] & 15),
                              dataOffset: p.upperBound)
    }

    private func parseHuffmanTables(_ p: Range<Int>, into tables: inout JPEGTableSet) throws {
        var i = p.lowerBound
        while i < p.upperBound {
            guard i + 17 <= p.upperBound else { throw malformed("DHT segment too short", at: i) }
            let tc = Int(data[i] >> 4), th = Int(data[i] & 15)
            guard tc <= 1, th < 4 else { throw malformed("DHT class \(tc) / destination \(th) out of range", at: i) }
            let counts = Array(data[(i + 1)..<(i + 17)])
            let total = counts.reduce(0) { $0 + Int($1) }
            guard total <= 256, i + 17 + total <= p.upperBound else {
                throw malformed("DHT table declares \(total) symbols, more than the segment holds", at: i)
            }
            let symbols = Array(data[(i + 17)..<(i + 17 + total)])
            let table = try HuffmanTable(counts: counts, symbols: symbols, codec: codec, offset: i)
            if tc == 0 { tables.dcTables[th] = table } else { tables.acTables[th] = table }
            i += 17 + total
        }
    }

    private func parseQuantTables(_ p: Range<Int>, into tables: inout JPEGTableSet) throws {
        var i = p.lowerBound
        while i < p.upperBound {
            let pq = Int(data[i] >> 4), tq = Int(data[i] & 15)
            guard pq <= 1, tq < 4 else { throw malformed("DQT precision \(pq) / destination \(tq) out of range", at: i) }
            let size = pq == 0 ? 64 : 128
            guard i + 1 + size <= p.upperBound else { throw malformed("DQT segment too short", at: i) }
            var table = [Int32](repeating: 0, count: 64)
            for k in 0..<64 {
                let v = pq == 0 ? Int32(data[i + 1 + k]) : Int32(data[i + 1 + 2 * k]) << 8 | Int32(data[i + 2 + 2 * k])
                table[JPEGZigZag.natural[k]] = v
            }
            tables.quantTables[tq] = table
            i += 1 + size
        }
    }
}

/// Two upper-case hex digits, for messages.
func hexByte(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
}
