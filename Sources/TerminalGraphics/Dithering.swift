/// Optional dithering for reduced palettes (xterm-256 and 16 colours).
///
/// Dithering trades PSNR for the absence of contour bands in smooth gradients: with 30 greys in
/// the xterm-256 palette a soft-tissue window shows visible steps, which an ordered pattern hides.
/// It is off by default because it adds texture a reader could mistake for noise. Both kinds are
/// position-only (no error diffusion), so a pixel's output does not depend on its neighbours and
/// unchanged regions of consecutive slices stay byte-identical for ``CellCanvas`` diffs.
public enum Dithering: String, Sendable, CaseIterable {
    case none
    /// 8×8 Bayer matrix.
    case ordered
    /// Interleaved gradient noise (Jimenez 2014): a cheap, high-frequency ("blue-ish") threshold
    /// pattern without the cross-hatch of Bayer.
    case blueNoise = "blue-noise"

    static let bayer8: [Float] = {
        let m: [Int] = [0, 32, 8, 40, 2, 34, 10, 42, 48, 16, 56, 24, 50, 18, 58, 26,
                        12, 44, 4, 36, 14, 46, 6, 38, 60, 28, 52, 20, 62, 30, 54, 22,
                        3, 35, 11, 43, 1, 33, 9, 41, 51, 19, 59, 27, 49, 17, 57, 25,
                        15, 47, 7, 39, 13, 45, 5, 37, 63, 31, 55, 23, 61, 29, 53, 21]
        return m.map { (Float($0) + 0.5) / 64 - 0.5 }
    }()

    /// Threshold offset in −0.5...0.5 for sample (x, y); 0 when dithering is off.
    @inline(__always)
    func offset(x: Int, y: Int) -> Float {
        switch self {
        case .none: return 0
        case .ordered: return Dithering.bayer8[(y & 7) << 3 | (x & 7)]
        case .blueNoise:
            let v = 52.9829189 * ((0.06711056 * Float(x) + 0.00583715 * Float(y)).truncatingRemainder(dividingBy: 1))
            return v - v.rounded(.down) - 0.5
        }
    }
}
