/// An 8-bit-per-channel sRGB colour.
public struct RGBColor: Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.r = r; self.g = g; self.b = b
    }

    public init(grey: UInt8) {
        self.init(r: grey, g: grey, b: grey)
    }

    /// Parses `#rrggbb` or `rrggbb` (case-insensitive). Returns nil for anything else.
    public init?(hex: String) {
        var s = Substring(hex)
        if s.hasPrefix("#") { s = s.dropFirst() }
        guard s.count == 6, let v = UInt32(s, radix: 16) else { return nil }
        self.init(r: UInt8(v >> 16 & 0xFF), g: UInt8(v >> 8 & 0xFF), b: UInt8(v & 0xFF))
    }

    /// `#rrggbb`, lower case.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var out = "#"
        for c in [r, g, b] {
            out.append(digits[Int(c >> 4)]); out.append(digits[Int(c & 15)])
        }
        return out
    }

    public var description: String { hex }

    /// Rec. 601 luma, 0...255.
    @inline(__always)
    public var luma: Int { (Int(r) * 299 + Int(g) * 587 + Int(b) * 114 + 500) / 1000 }
}
