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
    /// like colour (straight alpha; adequate for overlay masks that are 0 or 255).
    public static func resample(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0)
        let ch = image.channels
        if width == image.width && height == image.height { return image }
        let tx = taps(input: image.width, output: width)
        let ty = taps(input: image.height, output: height)
        let inW = image.width, inH = image.height
        var mid = [Float](repeating: 0, count: width * inH * ch)
        var out = [UInt8](repeating: 0, count: width * height * ch)
        image.pixels.withUnsafeBufferPointer { src in
            mid.withUnsafeMutableBufferPointer { m in
                tx.weights.withUnsafeBufferPointer { w in
                    for y in 0..<inH {
                        let row = y * inW * ch
                        let orow = y * width * ch
                        for o in 0..<width {
                            let s = Int(tx.start[o]), n = Int(tx.count[o]), wb = o * tx.maxTaps
                            var acc0: Float = 0, acc1: Float = 0, acc2: Float = 0, acc3: Float = 0
                            var p = row + s * ch
                            for k in 0..<n {
                                let wk = w[wb + k]
                                acc0 += wk * Float(src[p]); acc1 += wk * Float(src[p + 1]); acc2 += wk * Float(src[p + 2])
                                if ch == 4 { acc3 += wk * Float(src[p + 3]) }
                                p += ch
                            }
                            let q = orow + o * ch
                            m[q] = acc0; m[q + 1] = acc1; m[q + 2] = acc2
                            if ch == 4 { m[q + 3] = acc3 }
                        }
                    }
                }
            }
        }
        mid.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { dst in
                ty.weights.withUnsafeBufferPointer { w in
                    let rowLen = width * ch
                    for o in 0..<height {
                        let s = Int(ty.start[o]), n = Int(ty.count[o]), wb = o * ty.maxTaps
                        let orow = o * rowLen
                        for i in 0..<rowLen {
                            var acc: Float = 0.5
                            var p = s * rowLen + i
                            for k in 0..<n { acc += w[wb + k] * m[p]; p += rowLen }
                            dst[orow + i] = acc >= 255 ? 255 : acc <= 0 ? 0 : UInt8(acc)
                        }
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, channels: ch, pixels: out,
                        pixelAspectRatio: image.pixelAspectRatio * Double(image.height) / Double(height) * Double(width) / Double(image.width))
    }
}
