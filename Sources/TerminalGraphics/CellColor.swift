/// A colour as a terminal cell carries it: the terminal default, 24-bit RGB, an xterm-256
/// index or one of the 16 ANSI colours. Packed in 32 bits so cells compare with one integer
/// comparison when ``CellCanvas`` diffs frames.
public struct CellColor: Hashable, Sendable {
    public let raw: UInt32

    enum Kind: UInt32 { case terminalDefault = 0, rgb = 1, indexed = 2, ansi = 3 }

    init(raw: UInt32) { self.raw = raw }

    public static let terminalDefault = CellColor(raw: 0)

    @inline(__always)
    public static func rgb(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> CellColor {
        CellColor(raw: 1 << 24 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b))
    }

    @inline(__always)
    public static func indexed(_ index: UInt8) -> CellColor { CellColor(raw: 2 << 24 | UInt32(index)) }

    @inline(__always)
    public static func ansi(_ index: UInt8) -> CellColor { CellColor(raw: 3 << 24 | UInt32(index & 15)) }

    var kind: Kind { Kind(rawValue: raw >> 24) ?? .terminalDefault }

    /// The RGB a terminal at xterm defaults shows for this colour (the default colour is
    /// taken as black, as on a dark-theme reading-room terminal).
    public var rgbValue: RGBColor {
        switch kind {
        case .terminalDefault: return RGBColor(grey: 0)
        case .rgb: return RGBColor(r: UInt8(raw >> 16 & 0xFF), g: UInt8(raw >> 8 & 0xFF), b: UInt8(raw & 0xFF))
        case .indexed: return Xterm256Palette.color(Int(raw & 0xFF))
        case .ansi: return ANSI16Palette.colors[Int(raw & 15)]
        }
    }
}
