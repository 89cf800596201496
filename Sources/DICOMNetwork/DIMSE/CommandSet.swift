import ByteWriting

/// A DIMSE command set: group 0000 elements, always implicit VR little endian (PS3.7 §6.3, §E.1).
/// Held as tag → raw value so that unknown elements survive; typed accessors below.
public struct CommandSet: Equatable, Sendable {
    public private(set) var elements: [UInt32: [UInt8]] = [:]

    public init() {}

    public enum Field: UInt32, Sendable {
        case groupLength = 0x0000_0000
        case affectedSOPClassUID = 0x0000_0002
        case commandField = 0x0000_0100
        case messageID = 0x0000_0110
        case messageIDBeingRespondedTo = 0x0000_0120
        case priority = 0x0000_0700
        case commandDataSetType = 0x0000_0800
        case status = 0x0000_0900
        case affectedSOPInstanceUID = 0x0000_1000
        case errorComment = 0x0000_0902
    }

    /// (0000,0800) value meaning "no data set follows".
    public static let noDataSet: UInt16 = 0x0101
    /// Largest command set accepted: real ones are a few hundred bytes.
    public static let maximumLength = 64 << 10

    public func uint16(_ f: Field) -> UInt16? {
        guard let v = elements[f.rawValue], v.count == 2 else { return nil }
        return UInt16(v[0]) | UInt16(v[1]) << 8
    }

    public func string(_ f: Field) -> String? {
        guard let v = elements[f.rawValue] else { return nil }
        return PDUDecoding.uid(v[...])
    }

    public mutating func set(_ f: Field, uint16 v: UInt16) { elements[f.rawValue] = [UInt8(v & 0xFF), UInt8(v >> 8)] }

    /// UI values are padded to even length with NUL, other strings with a space.
    public mutating func set(_ f: Field, string s: String) {
        var b = Array(s.utf8)
        if b.count % 2 == 1 { b.append(f == .errorComment ? 0x20 : 0x00) }
        elements[f.rawValue] = b
    }

    public var hasDataSet: Bool { uint16(.commandDataSetType).map { $0 != Self.noDataSet } ?? false }

    /// Parses a complete command set. Throws on a truncated element or a tag outside group 0000.
    public static func decode(_ bytes: [UInt8]) throws -> CommandSet {
        guard bytes.count <= maximumLength else { throw PDUError.tooLong("command set of \(bytes.count) bytes") }
        var set = CommandSet()
        var p = 0
        while p < bytes.count {
            guard bytes.count - p >= 8 else { throw PDUError.truncated("command set element header at offset \(p)") }
            let group = UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8
            let element = UInt16(bytes[p + 2]) | UInt16(bytes[p + 3]) << 8
            let length = Int(UInt32(bytes[p + 4]) | UInt32(bytes[p + 5]) << 8 | UInt32(bytes[p + 6]) << 16 | UInt32(bytes[p + 7]) << 24)
            guard group == 0x0000 else { throw PDUError.malformed("command set holds an element of group \(String(group, radix: 16))") }
            p += 8
            guard length <= bytes.count - p else {
                throw PDUError.truncated("command element (0000,\(String(element, radix: 16))) announces \(length) bytes, \(bytes.count - p) left")
            }
            set.elements[UInt32(element)] = Array(bytes[p ..< p + length])
            p += length
        }
        return set
    }

    /// Encodes in tag order with a correct (0000,0000) group length.
    public func encode() -> [UInt8] {
        var body = ByteWriter(reservingCapacity: 256)
        for tag in elements.keys.sorted() where tag != Field.groupLength.rawValue {
            let v = elements[tag]!
            body.appendLittleEndian(UInt16(0))
            body.appendLittleEndian(UInt16(tag & 0xFFFF))
            body.appendLittleEndian(UInt32(v.count))
            body.append(contentsOf: v)
        }
        var out = ByteWriter(reservingCapacity: body.count + 12)
        out.appendLittleEndian(UInt16(0)); out.appendLittleEndian(UInt16(0))
        out.appendLittleEndian(UInt32(4)); out.appendLittleEndian(UInt32(body.count))
        out.append(contentsOf: body.bytes)
        return out.bytes
    }
}

/// DIMSE command field values (PS3.7 Annex E).
public enum CommandField: UInt16, Sendable {
    case cStoreRQ = 0x0001, cStoreRSP = 0x8001
    case cEchoRQ = 0x0030, cEchoRSP = 0x8030
}

/// DIMSE status codes the SCP sends (PS3.4 Annex B.2.3, PS3.7 Annex C).
public enum DIMSEStatus {
    public static let success: UInt16 = 0x0000
    public static let sopClassNotSupported: UInt16 = 0x0122
    public static let outOfResources: UInt16 = 0xA700
    public static let dataSetDoesNotMatchSOPClass: UInt16 = 0xA900
    public static let cannotUnderstand: UInt16 = 0xC000
}
