/// Reads entropy-coded JPEG data bit by bit: removes 0xFF00 byte stuffing, stops at markers, and
/// decodes Huffman symbols and their additional bits.
///
/// When a marker or the end of the buffer is reached, zero bits are fed in (so look-ahead never
/// fails) and counted as *phantom* bits. A valid scan never consumes them; callers check
/// ``hasOverrun`` once per MCU (or row) and throw if the decoder ran into them, which turns a
/// truncated or corrupt stream into an error instead of silently padded output.
///
/// Works on an unsafe buffer for speed; the buffer must outlive the reader (callers keep it inside
/// a `withUnsafeBufferPointer` scope).
struct JPEGBitReader {
    let data: UnsafeBufferPointer<UInt8>
    /// Next byte to load.
    private(set) var position: Int
    /// Valid bits are the low `bitCount` bits of `accumulator`, most significant first.
    private var accumulator: UInt64 = 0
    private var bitCount = 0
    /// How many of the low bits of the accumulator (and of those already consumed) were fed in as padding.
    private var phantomBits = 0
    /// Set once a marker (other than stuffing) or the end of the data is reached.
    private(set) var reachedMarker = false

    init(data: UnsafeBufferPointer<UInt8>, position: Int) {
        self.data = data
        self.position = position
    }

    /// True when the decoder consumed bits that are not in the stream.
    var hasOverrun: Bool { bitCount < phantomBits }

    @inline(__always)
    private mutating func refill() {
        while bitCount <= 56 {
            var byte: UInt64 = 0
            if !reachedMarker && position < data.count {
                let b = data[position]
                if b != 0xFF {
                    byte = UInt64(b)
                    position += 1
                } else if position + 1 < data.count && data[position + 1] == 0x00 {
                    byte = 0xFF
                    position += 2
                } else {
                    reachedMarker = true          // a marker (or 0xFF at the very end): stop here
                    phantomBits += 8
                }
            } else {
                reachedMarker = true
                phantomBits += 8
            }
            accumulator = (accumulator << 8) | byte
            bitCount += 8
        }
    }

    /// The next 16 bits without consuming them.
    @inline(__always)
    mutating func peek16() -> Int {
        if bitCount < 16 { refill() }
        return Int(truncatingIfNeeded: (accumulator >> UInt64(bitCount - 16)) & 0xFFFF)
    }

    /// Consumes `n` (0…16) bits and returns them as an unsigned value.
    @inline(__always)
    mutating func bits(_ n: Int) -> Int {
        if n == 0 { return 0 }
        if bitCount < n { refill() }
        bitCount -= n
        return Int(truncatingIfNeeded: (accumulator >> UInt64(bitCount)) & ((1 << UInt64(n)) - 1))
    }

    /// Receives `s` additional bits and extends them to a signed value (T.81 F.2.2.1 EXTEND).
    @inline(__always)
    mutating func receiveExtend(_ s: Int) -> Int {
        if s == 0 { return 0 }
        let v = bits(s)
        return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v
    }

    /// Decodes one Huffman symbol; returns −1 for a code that is not in the table.
    @inline(__always)
    mutating func decode(_ table: HuffmanTable) -> Int {
        let look = peek16()
        let entry = Int(table.fast[look >> (16 - HuffmanTable.fastBits)])
        if entry != 0 {
            bitCount -= entry >> 8
            return entry & 0xFF
        }
        var length = HuffmanTable.fastBits + 1
        while length <= 16 {
            let code = Int32(look >> (16 - length))
            if code <= table.maxCode[length] {
                bitCount -= length
                let index = Int(table.valueOffset[length] + code)
                return index >= 0 && index < table.symbols.count ? Int(table.symbols[index]) : -1
            }
            length += 1
        }
        return -1
    }

    /// Handles a restart marker: drops the bits left in the current byte, expects RSTn, and resumes after it.
    /// Returns false when the next marker is not a restart marker.
    mutating func restart() -> Bool {
        // Bytes loaded into the accumulator but not consumed can only be padding bits of the last byte,
        // since the loader never reads past a marker.
        accumulator = 0
        bitCount = 0
        phantomBits = 0
        reachedMarker = false
        var p = position
        while p < data.count && data[p] == 0xFF && p + 1 < data.count && data[p + 1] == 0xFF { p += 1 }
        guard p + 1 < data.count, data[p] == 0xFF, (0xD0...0xD7).contains(data[p + 1]) else {
            position = p
            return false
        }
        position = p + 2
        return true
    }
}
