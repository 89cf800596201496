import Foundation

/// Builds DICOM element bytes for tests of hostile or hand-shaped input (explicit VR little endian).
/// Well-formed fixtures come from pydicom (Tests/Fixtures/dicom/make_fixtures.py); this is for the rest.
public enum Bytes {
    public static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    public static func u32(_ v: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    public static func element(_ g: UInt16, _ e: UInt16, _ vr: String, _ value: [UInt8]) -> [UInt8] {
        let long = ["OB", "OW", "SQ", "UN", "UT", "UC", "UR", "OD", "OF", "OL", "OV", "SV", "UV"].contains(vr)
        return u16(g) + u16(e) + Array(vr.utf8) + (long ? [0, 0] + u32(UInt32(value.count)) : u16(UInt16(value.count))) + value
    }
    public static func text(_ g: UInt16, _ e: UInt16, _ vr: String, _ s: String) -> [UInt8] {
        var v = Array(s.utf8)
        if v.count % 2 == 1 { v.append(vr == "UI" ? 0 : 0x20) }
        return element(g, e, vr, v)
    }
    public static func us(_ g: UInt16, _ e: UInt16, _ v: UInt16) -> [UInt8] { element(g, e, "US", u16(v)) }
    /// A Part 10 file: preamble, DICM, meta with the given transfer syntax, then `body`.
    public static func part10(syntax: String, body: [UInt8]) -> Data {
        let meta = text(0x0002, 0x0010, "UI", syntax)
        return Data([UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
            + element(0x0002, 0x0000, "UL", u32(UInt32(meta.count))) + meta + body)
    }
}
