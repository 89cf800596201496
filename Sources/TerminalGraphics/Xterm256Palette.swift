/// The xterm-256 colour palette (indices 16–255) and an O(1) nearest-colour search.
///
/// Greys matter most here: a windowed CT slice uses only the 24-step ramp (8, 18, …, 238) and
/// the cube's greys (0, 95, 135, 175, 215, 255) — 30 levels, searched as one sorted table.
/// Colour pixels pick the better of the nearest cube entry (per-channel nearest of 0, 95, 135,
/// 175, 215, 255) and the nearest ramp grey, by squared RGB error. System colours 0–15 are
/// never emitted because users retheme them.
public enum Xterm256Palette {
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// RGB of palette index 16...255 (0–15 returned at xterm defaults).
    public static func color(_ index: Int) -> RGBColor {
        if index >= 232 { return RGBColor(grey: UInt8(8 + 10 * (index - 232))) }
        if index >= 16 {
            let i = index - 16
            return RGBColor(r: UInt8(cubeLevels[i / 36]), g: UInt8(cubeLevels[i / 6 % 6]), b: UInt8(cubeLevels[i % 6]))
        }
        return ANSI16Palette.colors[index]
    }

    /// For each 8-bit grey, the index of the nearest palette grey (ramp or cube).
    public static let nearestGrey: [UInt8] = {
        var greys: [(Int, Int)] = (0..<24).map { (8 + 10 * $0, 232 + $0) }
        for (k, level) in cubeLevels.enumerated() { greys.append((level, 16 + 43 * k)) }
        return (0..<256).map { v in
            UInt8(greys.min { abs($0.0 - v) < abs($1.0 - v) }!.1)
        }
    }()

    /// Per-channel nearest cube coordinate for each 8-bit value.
    static let nearestCube: [UInt8] = (0..<256).map { v in
        UInt8(cubeLevels.indices.min { abs(cubeLevels[$0] - v) < abs(cubeLevels[$1] - v) }!)
    }

    /// Nearest palette index (16...255) to (r, g, b).
    @inline(__always)
    public static func nearest(r: Int, g: Int, b: Int) -> UInt8 {
        if r == g && g == b { return nearestGrey[r] }
        let cr = Int(nearestCube[r]), cg = Int(nearestCube[g]), cb = Int(nearestCube[b])
        let dr = cubeLevels[cr] - r, dg = cubeLevels[cg] - g, db = cubeLevels[cb] - b
        let cubeError = dr * dr + dg * dg + db * db
        let grey = Int(nearestGrey[(r * 299 + g * 587 + b * 114 + 500) / 1000])
        let gv = Int(color(grey).r)
        let greyError = (gv - r) * (gv - r) + (gv - g) * (gv - g) + (gv - b) * (gv - b)
        return greyError < cubeError ? UInt8(grey) : UInt8(16 + 36 * cr + 6 * cg + cb)
    }
}
