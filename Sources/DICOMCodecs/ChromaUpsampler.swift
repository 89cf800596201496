/// Brings subsampled JPEG components to full resolution and interleaves them into the output,
/// using libjpeg-turbo's "fancy" (triangle-filter) upsampling for the common 2:1 horizontal
/// (4:2:2), 2:1 vertical and 2×2 (4:2:0) cases, and pixel replication for any other ratio.
///
/// Edges replicate the last real sample / row, as libjpeg's context rows do.
enum ChromaUpsampler {
    /// A decoded component: `width × height` real samples inside a plane `stride` samples wide.
    struct Plane {
        var samples: UnsafeBufferPointer<UInt16>
        var stride: Int
        var width: Int
        var height: Int
        var horizontalFactor: Int
        var verticalFactor: Int
    }

    /// Writes component `index` of `spp` into `out` (interleaved, `bytesPerSample` wide), upsampled by
    /// (maxH / h) × (maxV / v) to `columns × rows`.
    static func write(_ p: Plane, component index: Int, of spp: Int, maxH: Int, maxV: Int,
                      columns: Int, rows: Int, bytesPerSample: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        let sx = maxH / p.horizontalFactor, sy = maxV / p.verticalFactor
        let exact = sx * p.horizontalFactor == maxH && sy * p.verticalFactor == maxV
        @inline(__always) func put(_ x: Int, _ y: Int, _ v: Int) {
            let o = ((y * columns + x) * spp + index) * bytesPerSample
            out[o] = UInt8(truncatingIfNeeded: v)
            if bytesPerSample == 2 { out[o + 1] = UInt8(truncatingIfNeeded: v >> 8) }
        }
        @inline(__always) func at(_ x: Int, _ y: Int) -> Int {
            Int(p.samples[min(max(y, 0), p.height - 1) * p.stride + min(max(x, 0), p.width - 1)])
        }
        if exact && sx == 1 && sy == 1 {
            for y in 0..<rows { for x in 0..<columns { put(x, y, Int(p.samples[y * p.stride + x])) } }
        } else if exact && sx == 2 && sy == 1 {
            // h2v1 fancy: out[2i] = (3·in[i] + in[i−1] + 1) / 4, out[2i+1] = (3·in[i] + in[i+1] + 2) / 4
            for y in 0..<rows {
                let sy0 = min(y, p.height - 1)
                for x in 0..<columns {
                    let i = x >> 1
                    let c = 3 * at(i, sy0)
                    let v: Int
                    if p.width == 1 { v = at(0, sy0) }
                    else if x & 1 == 0 { v = i == 0 ? at(0, sy0) : (c + at(i - 1, sy0) + 1) >> 2 }
                    else { v = i == p.width - 1 ? at(i, sy0) : (c + at(i + 1, sy0) + 2) >> 2 }
                    put(x, y, v)
                }
            }
        } else if exact && sx == 1 && sy == 2 {
            // h1v2 fancy: upper row (3·this + above + 1) / 4, lower row (3·this + below + 2) / 4
            for y in 0..<rows {
                let j = y >> 1
                let neighbour = y & 1 == 0 ? j - 1 : j + 1
                let bias = y & 1 == 0 ? 1 : 2
                for x in 0..<columns {
                    put(x, y, (3 * at(x, j) + at(x, neighbour) + bias) >> 2)
                }
            }
        } else if exact && sx == 2 && sy == 2 {
            // h2v2 fancy: vertical triangle into column sums, then horizontal triangle (libjpeg-turbo jdsample.c)
            for y in 0..<rows {
                let j = y >> 1
                let neighbour = y & 1 == 0 ? j - 1 : j + 1
                @inline(__always) func colsum(_ i: Int) -> Int { 3 * at(i, j) + at(i, neighbour) }
                for x in 0..<columns {
                    let i = x >> 1
                    let this = colsum(i)
                    let v: Int
                    if p.width == 1 { v = (this * 4 + (x & 1 == 0 ? 8 : 7)) >> 4 }
                    else if x & 1 == 0 { v = i == 0 ? (this * 4 + 8) >> 4 : (this * 3 + colsum(i - 1) + 8) >> 4 }
                    else { v = i == p.width - 1 ? (this * 4 + 7) >> 4 : (this * 3 + colsum(i + 1) + 7) >> 4 }
                    put(x, y, v)
                }
            }
        } else {
            // Any other ratio: replicate (box filter), mapping output to source proportionally.
            for y in 0..<rows {
                let srcY = y * p.verticalFactor / maxV
                for x in 0..<columns { put(x, y, at(x * p.horizontalFactor / maxH, srcY)) }
            }
        }
    }
}
