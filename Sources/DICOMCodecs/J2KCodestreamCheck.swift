/// A structural check of a JPEG 2000 codestream (ISO/IEC 15444-1 Annex A) before OpenJPEG sees it:
/// every main-header marker segment and every tile-part (SOT's Psot length) must fit in the data.
///
/// Why: OpenJPEG 2.5.0 (Debian) can abort the whole process on a truncated codestream (an
/// `assert` in `opj_stream_get_number_byte_left`, reached from `opj_decode`), so truncation must be
/// caught here and reported as a ``CodecError`` instead. The check is O(markers), no entropy decoding.
enum J2KCodestreamCheck {
    static func validate(_ data: [UInt8], range: Range<Int>, codec: String) throws {
        let end = range.upperBound
        func u16(_ p: Int) -> Int { Int(data[p]) << 8 | Int(data[p + 1]) }
        func truncated(_ detail: String, _ offset: Int) -> CodecError {
            .truncatedStream(codec: codec, detail: detail, offset: offset)
        }
        // SOC was checked by the caller; walk the main header up to the first SOT.
        var p = range.lowerBound + 2
        while true {
            guard p + 4 <= end else { throw truncated("main header ends before the first tile-part (SOT)", p) }
            guard data[p] == 0xFF else {
                throw CodecError.malformedStream(codec: codec, detail: "expected a marker in the main header", offset: p)
            }
            if data[p + 1] == 0x90 { break }
            let length = u16(p + 2)
            guard length >= 2 else {
                throw CodecError.malformedStream(codec: codec, detail: "marker segment length \(length) < 2", offset: p + 2)
            }
            guard p + 2 + length <= end else {
                throw truncated("marker FF\(hexByte(data[p + 1])) segment of \(length) bytes runs past the end", p)
            }
            p += 2 + length
        }
        // Tile-parts: SOT (FF90, Lsot = 10, Isot, Psot, TPsot, TNsot), each Psot bytes long.
        while p < end {
            if p + 2 <= end, data[p] == 0xFF, data[p + 1] == 0xD9 { return }                  // EOC
            if data[p..<end].allSatisfy({ $0 == 0 }) { return }                               // even-length padding
            guard p + 12 <= end else { throw truncated("tile-part header (SOT) is cut off", p) }
            guard data[p] == 0xFF, data[p + 1] == 0x90 else {
                throw CodecError.malformedStream(codec: codec, detail:
                    "expected SOT (FF 90) or EOC (FF D9), found \(hexByte(data[p])) \(hexByte(data[p + 1]))", offset: p)
            }
            let psot = Int(data[p + 6]) << 24 | Int(data[p + 7]) << 16 | Int(data[p + 8]) << 8 | Int(data[p + 9])
            if psot == 0 { return }                   // last tile-part, runs to EOC
            guard psot >= 14 else {
                throw CodecError.malformedStream(codec: codec, detail: "tile-part length \(psot) is too small", offset: p + 6)
            }
            guard psot <= end - p else {
                throw truncated("tile-part of \(psot) bytes runs past the end of the \(end - range.lowerBound)-byte codestream", p)
            }
            p += psot
        }
    }
}
