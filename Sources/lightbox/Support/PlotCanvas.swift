import TerminalGraphics

/// A small raster for the PNG plots `lightbox validate --plots` writes: axes on the unit square,
/// polylines, markers and numeric tick labels in a 3×5 pixel font (digits and the point only; the
/// plot's title is its file name). White background, so the plots print.
struct PlotCanvas {
    let width: Int, height: Int
    /// Plot area margins in pixels (left, bottom, right, top).
    let margin = (left: 44, bottom: 36, right: 16, top: 16)
    var pixels: [UInt8]
    /// The data range of the x axis (y is always 0…1).
    let xMax: Double

    init(width: Int = 480, height: Int = 400, xMax: Double = 1) {
        self.width = width; self.height = height; self.xMax = xMax
        pixels = [UInt8](repeating: 255, count: width * height * 3)
    }

    /// The canvas as an image; throws only if `pixels` was resized by hand.
    var image: RGBImage { get throws { try RGBImage(width: width, height: height, pixels: pixels) } }

    /// Pixel of data point (x, y).
    func point(_ x: Double, _ y: Double) -> (Int, Int) {
        let w = Double(width - margin.left - margin.right), h = Double(height - margin.top - margin.bottom)
        let px = Double(margin.left) + min(max(x / xMax, 0), 1) * w
        let py = Double(height - margin.bottom) - min(max(y, 0), 1) * h
        return (Int(px.rounded()), Int(py.rounded()))
    }

    mutating func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = c.0; pixels[i + 1] = c.1; pixels[i + 2] = c.2
    }

    /// A line between two pixels (Bresenham), every `dash`-th run left out when dashed.
    mutating func line(_ a: (Int, Int), _ b: (Int, Int), _ c: (UInt8, UInt8, UInt8), dash: Int = 0, thick: Bool = false) {
        var (x0, y0) = a
        let (x1, y1) = b
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy, step = 0
        while true {
            if dash == 0 || (step / dash) % 2 == 0 {
                set(x0, y0, c)
                if thick { set(x0 + 1, y0, c); set(x0, y0 + 1, c) }
            }
            step += 1
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }

    mutating func square(_ p: (Int, Int), size: Int, _ c: (UInt8, UInt8, UInt8)) {
        for dy in -size ... size { for dx in -size ... size { set(p.0 + dx, p.1 + dy, c) } }
    }

    /// Axes with ticks at 0, ½ and 1 of each range, labelled.
    mutating func axes() {
        let black: (UInt8, UInt8, UInt8) = (0, 0, 0), grid: (UInt8, UInt8, UInt8) = (225, 225, 225)
        for k in 0 ... 4 {
            let f = Double(k) / 4
            line(point(0, f), point(xMax, f), grid)
            line(point(xMax * f, 0), point(xMax * f, 1), grid)
        }
        line(point(0, 0), point(xMax, 0), black)
        line(point(0, 0), point(0, 1), black)
        for f in [0.0, 0.5, 1.0] {
            let (x, y) = point(0, f)
            text(Self.label(f), right: x - 4, centreY: y)
            let (bx, by) = point(xMax * f, 0)
            text(Self.label(xMax * f), centreX: bx, top: by + 5)
        }
    }

    static func label(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2g", v)
    }

    mutating func text(_ s: String, right: Int, centreY: Int) {
        draw(s, x: right - s.count * 4 * 2 + 2, y: centreY - 5)
    }

    mutating func text(_ s: String, centreX: Int, top: Int) {
        draw(s, x: centreX - s.count * 4, y: top)
    }

    /// Glyphs at twice their size (6×10 per character, 8 apart).
    private mutating func draw(_ s: String, x: Int, y: Int) {
        for (k, ch) in s.enumerated() {
            guard let rows = Self.font[ch] else { continue }
            for (r, bits) in rows.enumerated() { for col in 0 ..< 3 where bits & (4 >> col) != 0 {
                for dy in 0 ..< 2 { for dx in 0 ..< 2 { set(x + k * 8 + col * 2 + dx, y + r * 2 + dy, (0, 0, 0)) } }
            } }
        }
    }

    /// 3×5 glyphs, one byte per row, bit 2 the left column.
    static let font: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7], "4": [5, 5, 7, 1, 1],
        "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 1, 1], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
        ".": [0, 0, 0, 0, 2],
    ]
}
