/// Maps a sample colour to the nearest ``CellColor`` a terminal of a given ``ColorDepth`` has,
/// optionally dithered by position.
///
/// Dither amplitude follows the palette step: about 10 levels between xterm-256 greys, 40
/// between cube colours, 64 for the 16 ANSI colours, so a smooth ramp spreads evenly between
/// neighbouring entries.
public struct ColorQuantizer: Sendable {
    public let depth: ColorDepth
    public let dithering: Dithering

    public init(depth: ColorDepth, dithering: Dithering = .none) {
        self.depth = depth; self.dithering = dithering
    }

    @inline(__always)
    static func clamp(_ v: Float) -> Int { v <= 0 ? 0 : v >= 255 ? 255 : Int(v + 0.5) }

    @inline(__always)
    public func quantize(_ r: Float, _ g: Float, _ b: Float, x: Int, y: Int) -> CellColor {
        switch depth {
        case .trueColor, .none:
            return .rgb(UInt8(Self.clamp(r)), UInt8(Self.clamp(g)), UInt8(Self.clamp(b)))
        case .xterm256:
            var ri = Self.clamp(r), gi = Self.clamp(g), bi = Self.clamp(b)
            if dithering != .none {
                let grey = ri == gi && gi == bi
                let d = dithering.offset(x: x, y: y) * (grey ? 10 : 40)
                ri = Self.clamp(r + d); gi = grey ? ri : Self.clamp(g + d); bi = grey ? ri : Self.clamp(b + d)
            }
            return .indexed(Xterm256Palette.nearest(r: ri, g: gi, b: bi))
        case .ansi16:
            let d = dithering.offset(x: x, y: y) * 64
            return .ansi(ANSI16Palette.nearest(r: Self.clamp(r + d), g: Self.clamp(g + d), b: Self.clamp(b + d)))
        }
    }
}
