import ByteWriting

/// DEC sixel encoder: a raster in terminal pixels → `DCS P1;P2;0 q … ST`.
///
/// The raster is mapped to a ``SixelPalette`` (one table look-up per pixel), then written in
/// bands of six rows. Within a band, each used register gets one pass that covers only the
/// columns between its first and last pixel (so a sparse overlay colour costs bytes for its
/// extent, not the image width), with runs of four or more identical sixels as `!n c`.
/// P2 = 1 (unset pixels stay transparent) only when the raster has alpha < 128 somewhere;
/// otherwise every pixel gets a colour and P2 = 0. Raster attributes `"1;1;W;H` declare square
/// pixels — the layout already accounts for the image's physical aspect.
///
/// Cost: O(W·H) for mapping and band building plus O(registers used per band × extent) for
/// output; memory: a W·H index plane and a registers × W bit plane, reused across bands.
public struct SixelEncoder: ImageEncoder {
    /// Colour registers to use (XTSMGRAPHICS reply; 256 when unknown).
    public var registers: Int

    public init(registers: Int = 256) { self.registers = max(2, min(registers, 4096)) }

    public func layout(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid) -> ImageLayout {
        ImageLayout.pixels(width: width, height: height, pixelAspectRatio: pixelAspectRatio, grid: grid)
    }

    public func encode(raster: RGBImage, layout: ImageLayout) -> [UInt8] {
        encode(raster: raster, palette: SixelPalette(for: raster, registers: registers))
    }

    public func encode(raster: RGBImage, palette: SixelPalette) -> [UInt8] {
        let w = raster.width, h = raster.height, ch = raster.channels
        let transparent: UInt16 = 0xFFFF
        var index = [UInt16](repeating: 0, count: w * h)
        var usesTransparency = false
        var colourCache = [Int16](repeating: -1, count: 32768)
        raster.pixels.withUnsafeBufferPointer { p in
            index.withUnsafeMutableBufferPointer { idx in
                palette.greyMap.withUnsafeBufferPointer { greyMap in
                    for i in 0..<(w * h) {
                        let o = i &* ch
                        if ch == 4 && p[o + 3] < 128 { idx[i] = transparent; usesTransparency = true; continue }
                        let r = p[o], g = p[o &+ 1], b = p[o &+ 2]
                        if r == g && g == b { idx[i] = greyMap[Int(r)]; continue }
                        let key = Int(r >> 3) << 10 | Int(g >> 3) << 5 | Int(b >> 3)
                        var reg = colourCache[key]
                        if reg < 0 {
                            reg = Int16(palette.nearest(r: Int(r), g: Int(g), b: Int(b)))
                            colourCache[key] = reg
                        }
                        idx[i] = UInt16(reg)
                    }
                }
            }
        }

        var out = ByteWriter(reservingCapacity: w * h / 2 + palette.count * 16 + 64)
        out.append(contentsOf: [0x1B, 0x50, 0x30, 0x3B, usesTransparency ? 0x31 : 0x30, 0x3B, 0x30, 0x71, 0x22, 0x31, 0x3B, 0x31, 0x3B])
        out.appendDecimal(w); out.append(0x3B); out.appendDecimal(h)
        for i in 0..<palette.count {
            let c = palette.percent[i]
            out.append(0x23); out.appendDecimal(i)
            out.append(contentsOf: [0x3B, 0x32, 0x3B])
            out.appendDecimal(Int(c.r)); out.append(0x3B)
            out.appendDecimal(Int(c.g)); out.append(0x3B)
            out.appendDecimal(Int(c.b))
        }

        // Per band: group each column's six pixels by register (≤ 6 groups), count groups per
        // register, scatter them into per-register column lists, then emit each register's list.
        // O(6·W) per band, independent of how many registers the band uses.
        let n = palette.count
        var groupReg = [UInt16](repeating: 0, count: 6 * w), groupBits = [UInt8](repeating: 0, count: 6 * w)
        var groupCount = [UInt8](repeating: 0, count: w)
        var perReg = [Int32](repeating: 0, count: n + 1)
        var listX = [Int32](repeating: 0, count: 6 * w), listBits = [UInt8](repeating: 0, count: 6 * w)
        index.withUnsafeBufferPointer { idx in
        groupReg.withUnsafeMutableBufferPointer { gReg in groupBits.withUnsafeMutableBufferPointer { gBits in
        groupCount.withUnsafeMutableBufferPointer { gCount in perReg.withUnsafeMutableBufferPointer { start in
        listX.withUnsafeMutableBufferPointer { lx in listBits.withUnsafeMutableBufferPointer { lb in
            // Output goes through the bounds-checked ``ByteWriter``; it grows as needed, so no
            // worst-case size formula has to be right.
            var y0 = 0
            while y0 < h {
                let bandRows = min(6, h - y0)
                for r in 0...n { start[r] = 0 }
                for x in 0..<w {
                    var count = 0
                    let g = 6 &* x
                    for r in 0..<bandRows {
                        let reg = idx[(y0 &+ r) &* w &+ x]
                        if reg == transparent { continue }
                        var k = 0
                        while k < count && gReg[g &+ k] != reg { k &+= 1 }
                        if k == count { gReg[g &+ k] = reg; gBits[g &+ k] = 0; count &+= 1; start[Int(reg) &+ 1] &+= 1 }
                        gBits[g &+ k] |= UInt8(truncatingIfNeeded: 1 << r)
                    }
                    gCount[x] = UInt8(count)
                }
                for r in 0..<n { start[r + 1] += start[r] }
                // Scatter (start[r] advances to the end of r's list; restored below).
                for x in 0..<w {
                    let g = 6 * x
                    for k in 0..<Int(gCount[x]) {
                        let reg = Int(gReg[g + k])
                        let at = Int(start[reg]); start[reg] += 1
                        lx[at] = Int32(x); lb[at] = gBits[g + k]
                    }
                }
                var first = true
                var begin = 0
                for reg in 0..<n {
                    let end = Int(start[reg])
                    if end == begin { continue }
                    if !first { out.append(0x24) }
                    first = false
                    out.append(0x23); out.appendDecimal(reg)
                    var pos = 0
                    var e = begin
                    while e < end {
                        let x = Int(lx[e]), b = lb[e]
                        if x > pos { Self.appendRun(63, count: x &- pos, into: &out) }
                        var run = 1
                        while e + run < end && Int(lx[e + run]) == x + run && lb[e + run] == b { run += 1 }
                        Self.appendRun(63 &+ b, count: run, into: &out)
                        pos = x + run; e += run
                    }
                    begin = end
                }
                y0 += 6
                if y0 < h { out.append(0x2D) }
            }
        }}}}}}}
        out.append(0x1B); out.append(0x5C)
        return out.bytes
    }

    /// `count` copies of the sixel `char`, as `!count char` from four on.
    @inline(__always)
    static func appendRun(_ char: UInt8, count n: Int, into out: inout ByteWriter) {
        if n >= 4 { out.append(0x21); out.appendDecimal(n); out.append(char) }
        else { out.append(char, count: n) }
    }
}
