/// A sixel colour palette built for medical images.
///
/// Sixel colours are given in percent (`#n;2;r;g;b`, 0–100), so at most 101 greys are
/// distinguishable whatever the register count. A windowed slice usually uses far fewer: the
/// palette spends registers first on the grey levels actually present (exactly, when they fit;
/// otherwise by an optimal histogram-weighted 1-D quantiser over the percent levels, which
/// minimises the squared error of the reconstruction), and the rest on overlay colours chosen by popularity
/// over 15-bit colour bins. A colour pixel maps to the nearest register of any kind through a
/// lazily filled 32768-entry cache, so the cost per pixel is one table look-up.
///
/// `registers` honours what the terminal reports through XTSMGRAPHICS (default 256).
public struct SixelPalette: Sendable {
    /// Register contents as sent (each channel in percent, 0...100).
    public private(set) var percent: [(r: UInt8, g: UInt8, b: UInt8)]
    /// How many leading registers hold greys.
    public private(set) var greyRegisterCount: Int
    /// Register for each 8-bit grey.
    var greyMap: [UInt16]

    /// Reconstructed 8-bit value of a percent channel, as decoders (libsixel) compute it.
    @inline(__always)
    public static func value(ofPercent p: Int) -> Int { (p * 255 + 50) / 100 }

    @inline(__always)
    public static func percent(of v: Int) -> Int { (v * 100 + 127) / 255 }

    /// The 8-bit colour register `index` reproduces.
    public func color(_ index: Int) -> RGBColor {
        let c = percent[index]
        return RGBColor(r: UInt8(Self.value(ofPercent: Int(c.r))), g: UInt8(Self.value(ofPercent: Int(c.g))),
                        b: UInt8(Self.value(ofPercent: Int(c.b))))
    }

    public var count: Int { percent.count }

    /// Builds a palette of at most `registers` entries for `raster` (pixels with alpha < 128
    /// are ignored). `maxOverlayShare` caps the fraction of registers given to colours while
    /// greys still want them.
    public init(for raster: RGBImage, registers: Int = 256, maxOverlayShare: Double = 0.25) {
        let registers = max(2, registers)
        let ch = raster.channels
        var greyHist = [Int](repeating: 0, count: 256)
        var binCount = [Int32](repeating: 0, count: 32768)
        var binSum = [Int32](repeating: 0, count: 32768 * 3)
        raster.pixels.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                if ch == 4 && p[i + 3] < 128 { i += ch; continue }
                let r = p[i], g = p[i &+ 1], b = p[i &+ 2]
                if r == g && g == b { greyHist[Int(r)] &+= 1 } else {
                    let key = Int(r >> 3) << 10 | Int(g >> 3) << 5 | Int(b >> 3)
                    binCount[key] += 1
                    binSum[3 * key] += Int32(r); binSum[3 * key + 1] += Int32(g); binSum[3 * key + 2] += Int32(b)
                }
                i &+= ch
            }
        }
        var levelHist = [Int](repeating: 0, count: 101)
        for v in 0..<256 where greyHist[v] > 0 { levelHist[Self.percent(of: v)] += greyHist[v] }
        let greyLevelsPresent = levelHist.filter { $0 > 0 }.count
        let colourBins = (0..<32768).filter { binCount[$0] > 0 }
        var colourRegisters = colourBins.count
        var greyRegisters = greyLevelsPresent
        if greyRegisters + colourRegisters > registers {
            colourRegisters = min(colourRegisters, max(registers - greyRegisters, Int(Double(registers) * maxOverlayShare)))
            greyRegisters = min(greyRegisters, registers - colourRegisters)
        }
        if greyRegisters + colourRegisters == 0 { greyRegisters = 1; levelHist[0] = 1 }

        // Grey levels: exact when they fit, else the optimal weighted quantiser of the percent levels.
        var levels: [Int]
        let present = (0...100).filter { levelHist[$0] > 0 }
        if greyRegisters >= present.count {
            levels = present
        } else {
            levels = Self.kMeans(histogram: levelHist, present: present, k: greyRegisters)
        }
        percent = levels.map { (UInt8($0), UInt8($0), UInt8($0)) }
        greyRegisterCount = percent.count

        // Overlay colours by popularity.
        let popular = colourBins.sorted { binCount[$0] > binCount[$1] }.prefix(colourRegisters)
        for key in popular {
            let n = Int(binCount[key])
            percent.append((UInt8(Self.percent(of: Int(binSum[3 * key]) / n)),
                            UInt8(Self.percent(of: Int(binSum[3 * key + 1]) / n)),
                            UInt8(Self.percent(of: Int(binSum[3 * key + 2]) / n))))
        }

        // Grey map: nearest grey register (or any register when there are no greys).
        greyMap = [UInt16](repeating: 0, count: 256)
        let candidates = greyRegisterCount > 0 ? 0..<greyRegisterCount : 0..<percent.count
        for v in 0..<256 {
            var best = 0, bestError = Int.max
            for i in candidates {
                let c = percent[i]
                let dr = Self.value(ofPercent: Int(c.r)) - v, dg = Self.value(ofPercent: Int(c.g)) - v, db = Self.value(ofPercent: Int(c.b)) - v
                let e = dr * dr + dg * dg + db * db
                if e < bestError { bestError = e; best = i }
            }
            greyMap[v] = UInt16(best)
        }
    }

    /// Nearest register to (r, g, b) by squared error over all registers.
    public func nearest(r: Int, g: Int, b: Int) -> Int {
        var best = 0, bestError = Int.max
        for i in 0..<percent.count {
            let c = percent[i]
            let dr = Self.value(ofPercent: Int(c.r)) - r, dg = Self.value(ofPercent: Int(c.g)) - g, db = Self.value(ofPercent: Int(c.b)) - b
            let e = dr * dr + dg * dg + db * db
            if e < bestError { bestError = e; best = i }
        }
        return best
    }

    /// Optimal `k`-level quantiser of a weighted 1-D histogram (dynamic programming over the
    /// present levels, O(k·P²) with P ≤ 101): minimises the squared reconstruction error exactly,
    /// unlike Lloyd iterations, which stall on heavily weighted duplicate seeds.
    static func kMeans(histogram: [Int], present: [Int], k: Int) -> [Int] {
        let p = present.count
        guard k < p else { return present }
        var w = [Double](repeating: 0, count: p + 1), wl = w, wll = w
        for (i, level) in present.enumerated() {
            let h = Double(histogram[level]), l = Double(level)
            w[i + 1] = w[i] + h; wl[i + 1] = wl[i] + h * l; wll[i + 1] = wll[i] + h * l * l
        }
        // SSE of levels a...b (0-based, inclusive) around their weighted mean.
        func cost(_ a: Int, _ b: Int) -> Double {
            let sw = w[b + 1] - w[a], sl = wl[b + 1] - wl[a], sll = wll[b + 1] - wll[a]
            return sw > 0 ? sll - sl * sl / sw : 0
        }
        var best = (0..<p).map { cost(0, $0) }
        var split = [[Int]](repeating: [Int](repeating: 0, count: p), count: k)
        for m in 1..<k {
            var next = [Double](repeating: .infinity, count: p)
            for b in m..<p {
                for a in m...b {
                    let c = best[a - 1] + cost(a, b)
                    if c < next[b] { next[b] = c; split[m][b] = a }
                }
            }
            best = next
        }
        var levels = [Int]()
        var b = p - 1
        for m in stride(from: k - 1, through: 0, by: -1) {
            let a = m == 0 ? 0 : split[m][b]
            let sw = w[b + 1] - w[a]
            levels.append(Int((sw > 0 ? (wl[b + 1] - wl[a]) / sw : Double(present[a])).rounded()))
            b = a - 1
        }
        var out = [Int]()
        for l in levels.reversed() where out.last != l { out.append(l) }
        return out
    }
}
