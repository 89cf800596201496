/// Separable resampling of an ``RGBImage`` to an exact raster size.
///
/// Minification uses exact area averaging (a box filter over the footprint of each output
/// sample, with fractional coverage at its edges): it is what a reconstruction compared by
/// PSNR rewards, and it does not alias fine trabecular or lung texture into moiré.
/// Magnification uses bilinear interpolation (tent filter), which neither rings nor blocks.
/// Cost: O(outW·inH + outW·outH) multiply-adds per channel times the filter footprint; the
/// weight tables are built once per call, never per pixel.
public enum Resampler {
    struct Taps {
        var start: [Int32]
        var count: [Int32]
        var weights: [Float]   // `maxTaps` per output sample
        var maxTaps: Int
    }

    static func taps(input: Int, output: Int) -> Taps {
        let scale = Double(output) / Double(input)
        if scale < 1 {
            let footprint = 1 / scale
            let maxTaps = Int(footprint.rounded(.up)) + 2
            var t = Taps(start: .init(repeating: 0, count: output), count: .init(repeating: 0, count: output),
                         weights: .init(repeating: 0, count: output * maxTaps), maxTaps: maxTaps)
            for o in 0..<output {
                let lo = Double(o) * footprint, hi = min(Double(o + 1) * footprint, Double(input))
                let first = Int(lo), last = min(Int(hi.rounded(.up)) - 1, input - 1)
                t.start[o] = Int32(first); t.count[o] = Int32(last - first + 1)
                for i in first...last {
                    let cover = min(hi, Double(i + 1)) - max(lo, Double(i))
                    t.weights[o * maxTaps + i - first] = Float(cover / (hi - lo))
                }
            }
            return t
        }
        var t = Taps(start: .init(repeating: 0, count: output), count: .init(repeating: 0, count: output),
                     weights: .init(repeating: 0, count: output * 2), maxTaps: 2)
        for o in 0..<output {
            let centre = (Double(o) + 0.5) / scale - 0.5
            let clamped = min(max(centre, 0), Double(input - 1))
            let i0 = min(Int(clamped), max(input - 2, 0))
            let f = Float(clamped - Double(i0))
            t.start[o] = Int32(i0)
            if input == 1 { t.count[o] = 1; t.weights[2 * o] = 1 } else {
                t.count[o] = 2; t.weights[2 * o] = 1 - f; t.weights[2 * o + 1] = f
            }
        }
        return t
    }

    /// Resamples `image` to `width × height`, keeping its channel count. Alpha is resampled
    /// like colour (straight alpha; adequate for overlay masks that are 0 or 255). A grey image
    /// stored as RGB (every pixel r = g = b, checked in one pass) is resampled as one plane.
    public static func resample(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0)
        if width == image.width && height == image.height { return image }
        let aspect = image.pixelAspectRatio * Double(image.height) / Double(height) * Double(width) / Double(image.width)
        if image.channels == 3 && isGrey(image.pixels) {
            var plane = [UInt8](repeating: 0, count: image.width * image.height)
            image.pixels.withUnsafeBufferPointer { src in
                plane.withUnsafeMutableBufferPointer { dst in for i in 0..<dst.count { dst[i] = src[3 * i] } }
            }
            let small = resample(plane: plane, inW: image.width, inH: image.height, channels: 1, outW: width, outH: height)
            var rgb = [UInt8](repeating: 0, count: width * height * 3)
            small.withUnsafeBufferPointer { src in
                rgb.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<src.count { let v = src[i]; dst[3 * i] = v; dst[3 * i + 1] = v; dst[3 * i + 2] = v }
                }
            }
            return RGBImage(checkedWidth: width, height: height, channels: 3, pixels: rgb, pixelAspectRatio: aspect)
        }
        let out = resample(plane: image.pixels, inW: image.width, inH: image.height, channels: image.channels, outW: width, outH: height)
        return RGBImage(checkedWidth: width, height: height, channels: image.channels, pixels: out, pixelAspectRatio: aspect)
    }

    /// True when every pixel of an interleaved RGB buffer has r = g = b.
    static func isGrey(_ pixels: [UInt8]) -> Bool {
        pixels.withUnsafeBufferPointer { p in
            let n = p.count / 3
            var start = 0
            while start < n {   // blocks of 1024 pixels, so colour images exit early
                let end = min(n, start + 1024)
                var diff: UInt8 = 0
                for i in start..<end { diff |= (p[3 * i] ^ p[3 * i + 1]) | (p[3 * i] ^ p[3 * i + 2]) }
                if diff != 0 { return false }
                start = end
            }
            return true
        }
    }

    /// Separable resample of an interleaved buffer. The horizontal pass gathers through the
    /// tap table; the vertical pass accumulates whole rows (`acc[i] += w · row[i]`), which the
    /// compiler vectorises.
    static func resample(plane: [UInt8], inW: Int, inH: Int, channels ch: Int, outW: Int, outH: Int) -> [UInt8] {
        let tx = taps(input: inW, output: outW)
        let ty = taps(input: inH, output: outH)
        let rowLen = outW * ch
        var mid = [Float](repeating: 0, count: rowLen * inH)
        var out = [UInt8](repeating: 0, count: rowLen * outH)
        var acc = [Float](repeating: 0, count: rowLen)
        // Hot loops use pointers and wrapping arithmetic: the package does not build with
        // -Ounchecked, and overflow checks on index arithmetic would block vectorisation.
        plane.withUnsafeBufferPointer { srcBuffer in
            mid.withUnsafeMutableBufferPointer { midBuffer in
                tx.weights.withUnsafeBufferPointer { w in
                    tx.start.withUnsafeBufferPointer { starts in
                        tx.count.withUnsafeBufferPointer { counts in
                            let src = srcBuffer.baseAddress!, m = midBuffer.baseAddress!
                            let maxTaps = tx.maxTaps
                            for y in 0..<inH {
                                let srow = src + y &* inW &* ch
                                let mrow = m + y &* rowLen
                                for o in 0..<outW {
                                    let s = Int(starts[o]), n = Int(counts[o])
                                    let wo = w.baseAddress! + o &* maxTaps
                                    if ch == 1 {
                                        var a: Float = 0
                                        let p = srow + s
                                        for k in 0..<n { a += wo[k] * Float(p[k]) }
                                        mrow[o] = a
                                    } else {
                                        for c in 0..<ch {
                                            var a: Float = 0
                                            let p = srow + (s &* ch &+ c)
                                            for k in 0..<n { a += wo[k] * Float(p[k &* ch]) }
                                            mrow[o &* ch &+ c] = a
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        mid.withUnsafeBufferPointer { midBuffer in
            out.withUnsafeMutableBufferPointer { dstBuffer in
                acc.withUnsafeMutableBufferPointer { accBuffer in ty.weights.withUnsafeBufferPointer { weights in
                    let m = midBuffer.baseAddress!, dst = dstBuffer.baseAddress!, a = accBuffer.baseAddress!
                    for o in 0..<outH {
                        let s = Int(ty.start[o]), n = Int(ty.count[o]), wb = o &* ty.maxTaps
                        for i in 0..<rowLen { a[i] = 0.5 }
                        for k in 0..<n {
                            let wk = weights[wb &+ k]
                            let row = m + (s &+ k) &* rowLen
                            for i in 0..<rowLen { a[i] += wk * row[i] }
                        }
                        let d = dst + o &* rowLen
                        for i in 0..<rowLen {
                            let v = min(max(a[i], 0), 255)
                            d[i] = UInt8(truncatingIfNeeded: Int32(v))
                        }
                    }
                }}
            }
        }
        return out
    }
}
