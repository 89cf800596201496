/// A JPEG Huffman table (ITU T.81 Annex C), prepared for fast decoding.
///
/// Decoding peeks 16 bits: codes of up to ``fastBits`` bits resolve with one lookup; longer codes
/// walk `maxCode` per length (F.2.2.3). Built once per DHT segment; immutable afterwards.
struct HuffmanTable: Sendable {
    /// Codes up to this many bits resolve through `fast`.
    static let fastBits = 9

    /// Indexed by the next `fastBits` bits: `(length << 8) | symbol`, or 0 when the code is longer.
    private(set) var fast: [UInt16]
    /// For length L (1…16): the largest code of that length, or −1 when there is none.
    private(set) var maxCode: [Int32]
    /// For length L: index into `symbols` of the first code of that length, minus that code.
    private(set) var valueOffset: [Int32]
    /// The symbols in code order (HUFFVAL).
    private(set) var symbols: [UInt8]

    /// Builds a table from the DHT counts (`counts[i]` codes of length i + 1) and symbols.
    /// - Throws: when there are not 16 counts, or they describe more codes than the code space holds.
    init(counts: [UInt8], symbols: [UInt8], codec: String, offset: Int) throws {
        guard counts.count == 16 else {
            throw CodecError.malformedStream(codec: codec, detail: "Huffman table with \(counts.count) code-length counts, not 16", offset: offset)
        }
        self.symbols = symbols
        fast = [UInt16](repeating: 0, count: 1 << HuffmanTable.fastBits)
        maxCode = [Int32](repeating: -1, count: 18)
        valueOffset = [Int32](repeating: 0, count: 18)
        var code = 0
        var k = 0
        for length in 1...16 {
            let n = Int(counts[length - 1])
            if n > 0 {
                valueOffset[length] = Int32(k - code)
                code += n
                k += n
                // All codes of this length must fit in `length` bits (Kraft inequality).
                guard code <= (1 << length) else {
                    throw CodecError.malformedStream(codec: codec, detail:
                        "Huffman table has more codes of length \(length) than fit", offset: offset)
                }
                maxCode[length] = Int32(code - 1)
                if length <= HuffmanTable.fastBits {
                    let shift = HuffmanTable.fastBits - length
                    for c in (code - n)..<code {
                        let entry = UInt16(length << 8) | UInt16(symbols[k - code + c])
                        for fill in 0..<(1 << shift) { fast[(c << shift) | fill] = entry }
                    }
                }
            }
            code <<= 1
        }
        maxCode[17] = Int32.max   // sentinel: stops the slow walk
    }
}
