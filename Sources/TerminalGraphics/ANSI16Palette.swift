/// The 16 ANSI colours at xterm's default values, and nearest-colour search.
///
/// The true values depend on the user's theme, so 16-colour output is an approximation; it
/// exists for consoles (TERM=linux, vt220 emulations) where nothing better is available.
public enum ANSI16Palette {
    public static let colors: [RGBColor] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ].map { RGBColor(r: UInt8($0.0), g: UInt8($0.1), b: UInt8($0.2)) }

    /// Nearest of the 16 colours by squared RGB error (16 comparisons).
    @inline(__always)
    public static func nearest(r: Int, g: Int, b: Int) -> UInt8 {
        var best = 0, bestError = Int.max
        for i in 0..<16 {
            let c = colors[i]
            let dr = Int(c.r) - r, dg = Int(c.g) - g, db = Int(c.b) - b
            let e = dr * dr + dg * dg + db * db
            if e < bestError { bestError = e; best = i }
        }
        return UInt8(best)
    }
}
