@testable import TerminalGraphics

/// A small terminal emulator for the subset the cell encoders emit (SGR colours, reverse video,
/// CUP, LF, UTF-8 glyphs) and a rasteriser for block/sextant glyphs. Independent of the encoder
/// code paths: it knows glyph geometry from the Unicode charts, not from `BlockGlyphs`.
struct ReferenceCellDecoder {
    struct Screen {
        var columns: Int, rows: Int
        var glyph: [UInt32]
        var fg: [RGBColor]
        var bg: [RGBColor]
    }

    var screen: Screen
    var unknownSequences = 0

    init(columns: Int, rows: Int) {
        let n = columns * rows
        screen = Screen(columns: columns, rows: rows, glyph: .init(repeating: 0x20, count: n),
                        fg: .init(repeating: RGBColor(grey: 0), count: n), bg: .init(repeating: RGBColor(grey: 0), count: n))
    }

    static func xterm(_ i: Int) -> RGBColor {
        if i < 16 {
            let t: [(Int, Int, Int)] = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                                        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
            return RGBColor(r: UInt8(t[i].0), g: UInt8(t[i].1), b: UInt8(t[i].2))
        }
        if i >= 232 { return RGBColor(grey: UInt8(8 + 10 * (i - 232))) }
        let levels = [0, 0x5f, 0x87, 0xaf, 0xd7, 0xff]
        let j = i - 16
        return RGBColor(r: UInt8(levels[j / 36]), g: UInt8(levels[j / 6 % 6]), b: UInt8(levels[j % 6]))
    }

    /// Feeds terminal output; draws into the screen.
    mutating func feed(_ bytes: [UInt8]) {
        var fg = RGBColor(grey: 0), bg = RGBColor(grey: 0), reverse = false
        var row = 0, col = 0
        var i = 0
        let scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        while i < scalars.count {
            let s = scalars[i].value
            if s == 0x1B {
                guard i + 1 < scalars.count, scalars[i + 1] == "[" else { unknownSequences += 1; i += 1; continue }
                var j = i + 2
                var params = ""
                while j < scalars.count, (0x30...0x3F).contains(scalars[j].value) { params.unicodeScalars.append(scalars[j]); j += 1 }
                let final = scalars[j]
                let p = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                if final == "m" {
                    var k = 0
                    let q = p.isEmpty ? [0] : p
                    while k < q.count {
                        switch q[k] {
                        case 0: fg = RGBColor(grey: 0); bg = RGBColor(grey: 0); reverse = false
                        case 7: reverse = true
                        case 27: reverse = false
                        case 30...37: fg = Self.xterm(q[k] - 30)
                        case 90...97: fg = Self.xterm(q[k] - 90 + 8)
                        case 40...47: bg = Self.xterm(q[k] - 40)
                        case 100...107: bg = Self.xterm(q[k] - 100 + 8)
                        case 39: fg = RGBColor(grey: 0)
                        case 49: bg = RGBColor(grey: 0)
                        case 38, 48:
                            let isFg = q[k] == 38
                            if q[k + 1] == 2 {
                                let c = RGBColor(r: UInt8(q[k + 2]), g: UInt8(q[k + 3]), b: UInt8(q[k + 4]))
                                if isFg { fg = c } else { bg = c }
                                k += 4
                            } else {
                                let c = Self.xterm(q[k + 2])
                                if isFg { fg = c } else { bg = c }
                                k += 2
                            }
                        default: unknownSequences += 1
                        }
                        k += 1
                    }
                } else if final == "H" {
                    row = (p.first ?? 1) - 1; col = (p.count > 1 ? p[1] : 1) - 1
                } else { unknownSequences += 1 }
                i = j + 1
                continue
            }
            if s == 0x0A { row += 1; col = 0; i += 1; continue }
            if row < screen.rows && col < screen.columns {
                let at = row * screen.columns + col
                screen.glyph[at] = s
                screen.fg[at] = reverse ? bg : fg
                screen.bg[at] = reverse ? fg : bg
            }
            col += 1; i += 1
        }
    }

    /// 6×6 foreground coverage of a glyph, from the Unicode block-element charts.
    static func mask(_ g: UInt32) -> [[Bool]]? {
        var m = [[Bool]](repeating: [Bool](repeating: false, count: 6), count: 6)
        func fill(_ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int) { for y in y0..<y1 { for x in x0..<x1 { m[y][x] = true } } }
        switch g {
        case 0x20: break
        case 0x2588: fill(0, 6, 0, 6)
        case 0x2580: fill(0, 6, 0, 3)
        case 0x2584: fill(0, 6, 3, 6)
        case 0x258C: fill(0, 3, 0, 6)
        case 0x2590: fill(3, 6, 0, 6)
        case 0x1FB00...0x1FB3B:
            // BLOCK SEXTANT-<digits>: the n-th code point in order of the 60 masks skipping 21/42.
            var bits = 0, seen = -1
            for candidate in 1...62 where candidate != 21 && candidate != 42 {
                seen += 1
                if seen == Int(g - 0x1FB00) { bits = candidate; break }
            }
            for k in 0..<6 where bits & (1 << k) != 0 { fill((k % 2) * 3, (k % 2) * 3 + 3, (k / 2) * 2, (k / 2) * 2 + 2) }
        default: return nil
        }
        return m
    }

    /// The screen as samples, `across × down` per cell (each must divide 6).
    func samples(across: Int, down: Int) throws -> RGBImage {
        let w = screen.columns * across, h = screen.rows * down
        var p = [UInt8](repeating: 0, count: w * h * 3)
        for r in 0..<screen.rows {
            for c in 0..<screen.columns {
                let at = r * screen.columns + c
                let m = Self.mask(screen.glyph[at]) ?? [[Bool]](repeating: [Bool](repeating: true, count: 6), count: 6)
                let f = screen.fg[at], b = screen.bg[at]
                for sy in 0..<down {
                    for sx in 0..<across {
                        var n = 0
                        for y in (sy * 6 / down)..<((sy + 1) * 6 / down) { for x in (sx * 6 / across)..<((sx + 1) * 6 / across) where m[y][x] { n += 1 } }
                        let total = 36 / (across * down)
                        let i = ((r * down + sy) * w + c * across + sx) * 3
                        p[i] = UInt8((Int(f.r) * n + Int(b.r) * (total - n) + total / 2) / total)
                        p[i + 1] = UInt8((Int(f.g) * n + Int(b.g) * (total - n) + total / 2) / total)
                        p[i + 2] = UInt8((Int(f.b) * n + Int(b.b) * (total - n) + total / 2) / total)
                    }
                }
            }
        }
        return try RGBImage(width: w, height: h, pixels: p)
    }
}

/// Peak signal-to-noise ratio over all channels, in dB (infinity for identical images).
func psnr(_ a: RGBImage, _ b: RGBImage) -> Double {
    precondition(a.width == b.width && a.height == b.height && a.channels == b.channels, "size mismatch")
    var se = 0.0
    for i in 0..<a.pixels.count { let d = Double(a.pixels[i]) - Double(b.pixels[i]); se += d * d }
    let mse = se / Double(a.pixels.count)
    return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
}

import Foundation

/// Deterministic test images.
enum TestImages {
    /// A smooth grey "slice": a bright disc with a soft edge on a gradient, plus fine texture.
    static func slice(width: Int = 96, height: Int = 96) throws -> RGBImage {
        var g = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - Double(width) / 2, dy = Double(y) - Double(height) / 2
                let d = (dx * dx + dy * dy).squareRoot() / Double(min(width, height))
                var v = 40 + 120 * Double(y) / Double(height)
                v += 80 / (1 + exp((d - 0.3) * 40))
                v += 10 * sin(Double(x) * 0.9) * cos(Double(y) * 0.7)
                g[y * width + x] = UInt8(max(0, min(255, v)))
            }
        }
        return RGBImage(try GreyImage(width: width, height: height, pixels: g))
    }

    static func colourBars(width: Int, height: Int) throws -> RGBImage {
        var img = try RGBImage(width: width, height: height, filledWith: RGBColor(grey: 0))
        let colours: [RGBColor] = [RGBColor(r: 255, g: 0, b: 0), RGBColor(r: 0, g: 200, b: 0), RGBColor(r: 30, g: 60, b: 250), RGBColor(grey: 200)]
        for y in 0..<height { for x in 0..<width { img[x, y] = colours[x * colours.count / width] } }
        return img
    }
}
