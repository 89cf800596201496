/// A bounds-checked big-endian reader over PDU bytes. Every read checks the remaining length first and
/// throws `PDUError.truncated` instead of trapping, so a hostile or broken peer cannot crash the SCP.
struct ByteCursor {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    /// What is being read, for error messages ("A-ASSOCIATE-RQ", "presentation context item", …).
    let context: String

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil, context: String) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
        self.context = context
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    mutating func need(_ n: Int) throws {
        guard n >= 0, remaining >= n else {
            throw PDUError.truncated("\(context): needs \(n) byte(s) at offset \(position), \(max(remaining, 0)) left")
        }
    }

    mutating func uint8() throws -> UInt8 {
        try need(1)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint16() throws -> UInt16 {
        try need(2)
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func uint32() throws -> UInt32 {
        try need(4)
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16
            | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        try need(n)
        defer { position += n }
        return bytes[position ..< position + n]
    }

    mutating func skip(_ n: Int) throws { try need(n); position += n }

    /// A sub-cursor over the next `n` bytes (an item's body); this cursor moves past them.
    mutating func subCursor(_ n: Int, context: String) throws -> ByteCursor {
        try need(n)
        defer { position += n }
        return ByteCursor(bytes, from: position, to: position + n, context: context)
    }
}
