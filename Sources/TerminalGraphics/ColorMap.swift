/// Perceptually ordered colour maps for heatmaps, as 256-entry tables.
///
/// `inferno` and `viridis` interpolate matplotlib's maps linearly between ten published stops
/// (viridisLite's `viridis(10)`/`inferno(10)`): monotonic in lightness, readable in greyscale
/// and by the common colour-vision deficiencies. `turbo` uses Google's polynomial fit of Turbo:
/// more contrast, not monotonic in lightness — better for spotting a peak than for judging
/// magnitude. `hot` is the classic black-red-yellow-white ramp.
public enum ColorMap: String, Sendable, CaseIterable {
    case inferno, viridis, turbo, hot

    /// Colour for `t` in 0...1 (clamped).
    @inline(__always)
    public func color(_ t: Float) -> RGBColor {
        let i = t <= 0 ? 0 : t >= 1 ? 255 : Int(t * 255 + 0.5)
        return table[i]
    }

    public var table: [RGBColor] {
        switch self {
        case .inferno: return ColorMap.infernoTable
        case .viridis: return ColorMap.viridisTable
        case .turbo: return ColorMap.turboTable
        case .hot: return ColorMap.hotTable
        }
    }

    static func interpolate(_ stops: [String]) -> [RGBColor] {
        let c = stops.map { RGBColor(hex: $0)! }
        return (0..<256).map { i in
            let x = Double(i) / 255 * Double(c.count - 1)
            let k = min(Int(x), c.count - 2)
            let f = x - Double(k)
            func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - f) + Double(b) * f).rounded()) }
            return RGBColor(r: mix(c[k].r, c[k + 1].r), g: mix(c[k].g, c[k + 1].g), b: mix(c[k].b, c[k + 1].b))
        }
    }

    static let viridisTable = interpolate(["#440154", "#482878", "#3E4A89", "#31688E", "#26828E",
                                           "#1F9E89", "#35B779", "#6DCD59", "#B4DE2C", "#FDE725"])
    static let infernoTable = interpolate(["#000004", "#1B0C42", "#4B0C6B", "#781C6D", "#A52C60",
                                           "#CF4446", "#ED6925", "#FB9A06", "#F7D03C", "#FCFFA4"])
    static let hotTable = interpolate(["#000000", "#800000", "#FF0000", "#FF8000", "#FFFF00", "#FFFFFF"])
    static let turboTable: [RGBColor] = (0..<256).map { i in
        let x = Double(i) / 255
        func poly(_ c: [Double]) -> UInt8 {
            var v = 0.0
            for k in c.reversed() { v = v * x + k }
            return UInt8(max(0, min(255, (v * 255).rounded())))
        }
        return RGBColor(r: poly([0.13572138, 4.61539260, -42.66032258, 132.13108234, -152.94239396, 59.28637943]),
                        g: poly([0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604]),
                        b: poly([0.10667330, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973]))
    }
}
