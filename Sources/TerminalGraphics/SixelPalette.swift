/// A sixel colour palette built for medical images.
///
/// Sixel colours are given in percent (`#n;2;r;g;b`, 0–100), so at most 101 greys are
/// distinguishable whatever the register count. A windowed slice usually uses far fewer: the
/// palette spends registers first on the grey levels actually present (exactly, when they fit;
/// otherwise by a histogram-weighted 1-D k-means over the percent levels, which minimises the
/// squared error of the reconstruction), and the rest on overlay colours chosen by popularity
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
                let r = p[i], g = p[i + 1], b = p[i + 2]
                if r == g && g == b { greyHist[Int(r)] += 1 } else {
                    let key = Int(r >> 3) << 10 | Int(g >> 3) << 5 | Int(b >> 3)
                    binCount[key] += 1
                    binSum[3 * key] += Int32(r); binSum[3 * key + 1] += Int32(g); binSum[3 * key + 2] += Int32(b)
                }
                i += ch
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

        // Grey levels: exact when they fit, else weighted 1-D k-means on percent levels.
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

    static func kMeans(histogram: [Int], present: [Int], k: Int) -> [Int] {
        // Initialise at weighted quantiles, then Lloyd iterations on the 101 bins.
        let total = present.reduce(0) { $0 + histogram[$1] }
        var centres = [Double]()
        var acc = 0, next = 0
        for level in present {
            acc += histogram[level]
            while next < k && Double(acc) >= (Double(next) + 0.5) * Double(total) / Double(k) {
                centres.append(Double(level)); next += 1
            }
        }
        while centres.count < k { centres.append(Double(present.last!)) }
        for _ in 0..<20 {
            var sum = [Double](repeating: 0, count: k), weight = [Double](repeating: 0, count: k)
            var j = 0
            for level in present {
                while j + 1 < k && abs(centres[j + 1] - Double(level)) < abs(centres[j] - Double(level)) { j += 1 }
                sum[j] += Double(level * histogram[level]); weight[j] += Double(histogram[level])
            }
            var moved = false
            for c in 0..<k where weight[c] > 0 {
                let m = sum[c] / weight[c]
                if abs(m - centres[c]) > 0.01 { moved = true }
                centres[c] = m
            }
            centres.sort()
            if !moved { break }
        }
        var out = [Int]()
        for c in centres {
            let l = Int(c.rounded())
            if out.last != l { out.append(l) }
        }
        return out
    }
}
