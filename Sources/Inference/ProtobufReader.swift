/// A minimal protobuf wire-format reader: just enough to walk the ONNX messages.
///
/// Every length read from the input is checked against the bytes that remain, and all
/// arithmetic on lengths is overflow-checked, so malformed or hostile input throws
/// `ONNXError.malformed` rather than trapping. The reader never copies the buffer;
/// sub-messages are read through slices of the same storage.
struct ProtobufReader {
    enum WireType: Int { case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5 }

    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int

    init(_ bytes: [UInt8]) { self.init(bytes, start: 0, end: bytes.count) }

    private init(_ bytes: [UInt8], start: Int, end: Int) {
        self.bytes = bytes
        self.position = start
        self.end = end
    }

    var isAtEnd: Bool { position >= end }

    /// Reads the next field key; returns nil at the end of the message.
    mutating func nextField() throws -> (number: Int, wire: WireType)? {
        if isAtEnd { return nil }
        let key = try readVarint()
        guard let wire = WireType(rawValue: Int(key & 7)) else {
            throw ONNXError.malformed("unknown wire type \(key & 7) at byte \(position)")
        }
        let number = key >> 3
        guard number > 0, number < (1 << 29) else { throw ONNXError.malformed("bad field number at byte \(position)") }
        return (Int(number), wire)
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ONNXError.malformed("truncated varint") }
            let b = bytes[position]
            position += 1
            if shift == 63 && b > 1 { throw ONNXError.malformed("varint overflows 64 bits") }
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw ONNXError.malformed("varint longer than 10 bytes") }
        }
    }

    mutating func readInt64() throws -> Int64 { Int64(bitPattern: try readVarint()) }

    mutating func readFixed32() throws -> UInt32 {
        guard end - position >= 4 else { throw ONNXError.malformed("truncated fixed32") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return v
    }

    mutating func readFixed64() throws -> UInt64 {
        guard end - position >= 8 else { throw ONNXError.malformed("truncated fixed64") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return v
    }

    mutating func readFloat() throws -> Float { Float(bitPattern: try readFixed32()) }
    mutating func readDouble() throws -> Double { Double(bitPattern: try readFixed64()) }

    /// Reads a length prefix and checks that many bytes remain.
    private mutating func readLength() throws -> Int {
        let raw = try readVarint()
        guard raw <= UInt64(end - position) else {
            throw ONNXError.malformed("length \(raw) runs past the end of the message (\(end - position) bytes left)")
        }
        return Int(raw)
    }

    /// A reader over the next length-delimited field (a sub-message or packed array).
    mutating func readMessage() throws -> ProtobufReader {
        let n = try readLength()
        let sub = ProtobufReader(bytes, start: position, end: position + n)
        position += n
        return sub
    }

    mutating func readBytes() throws -> [UInt8] {
        let n = try readLength()
        let out = Array(bytes[position..<(position + n)])
        position += n
        return out
    }

    /// The next length-delimited field as a slice sharing the input's storage (no copy).
    mutating func readSlice() throws -> ArraySlice<UInt8> {
        let n = try readLength()
        let out = bytes[position..<(position + n)]
        position += n
        return out
    }

    mutating func readString() throws -> String {
        String(decoding: try readBytes(), as: UTF8.self)
    }

    /// Reads a repeated scalar field in either packed or unpacked encoding.
    mutating func readPackedVarints(_ wire: WireType, into out: inout [Int64]) throws {
        if wire == .lengthDelimited {
            var sub = try readMessage()
            while !sub.isAtEnd { out.append(try sub.readInt64()) }
        } else if wire == .varint {
            out.append(try readInt64())
        } else { throw ONNXError.malformed("expected varint field") }
    }

    mutating func readPackedFloats(_ wire: WireType, into out: inout [Float]) throws {
        if wire == .lengthDelimited {
            let n = try readLength()
            guard n % 4 == 0 else { throw ONNXError.malformed("packed float length \(n) not a multiple of 4") }
            out.reserveCapacity(out.count + n / 4)
            var i = position
            while i < position + n {
                let v = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
                out.append(Float(bitPattern: v))
                i += 4
            }
            position += n
        } else if wire == .fixed32 {
            out.append(try readFloat())
        } else { throw ONNXError.malformed("expected float field") }
    }

    mutating func readPackedDoubles(_ wire: WireType, into out: inout [Double]) throws {
        if wire == .lengthDelimited {
            var sub = try readMessage()
            while !sub.isAtEnd { out.append(try sub.readDouble()) }
        } else if wire == .fixed64 {
            out.append(try readDouble())
        } else { throw ONNXError.malformed("expected double field") }
    }

    /// Skips a field we do not use.
    mutating func skip(_ wire: WireType) throws {
        switch wire {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readMessage()
        case .startGroup, .endGroup: throw ONNXError.malformed("protobuf groups are not used by ONNX")
        }
    }
}
