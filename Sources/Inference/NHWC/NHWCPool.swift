/// 2-D MaxPool and AveragePool on NHWC tensors: each output pixel is the channel-wise maximum
/// (or mean) of the input pixels its window covers, eight channels at a time, with the output rows
/// split over the inference threads.
///
/// Why not oneDNN's pooling, as before: a primitive of a batch-1 image runs on one thread (below
/// `LIGHTBOX_DNNL_PARALLEL_WORK`, OpenMP's split up front stalls on a late core, see `ChunkTeam`).
/// MaxPool took 4–9 % of the shipped U-Nets' runs and of resnet18's, and DenseNet-121's three
/// AveragePools took 1.4 ms a run where onnxruntime's took 0.16 ms. Rows claimed from the team's
/// counter use both cores.
///
/// Same result as the NCHW kernel (`PoolKernel`), taps visited in the same order:
/// - max: padding is never a candidate, a NaN in the window wins, a window with no input pixel
///   in it gives −∞;
/// - average: the sum over input pixels, divided by their number, or with `count_include_pad` by
///   the number of window positions inside the padded input (0 where that is none).
struct NHWCPool {
    let isMax: Bool
    let countIncludePad: Bool
    let kernel: (h: Int, w: Int)
    let strides: (h: Int, w: Int)
    let dilations: (h: Int, w: Int)
    let padsBegin: (h: Int, w: Int)
    let padsEnd: (h: Int, w: Int)
    let output: (h: Int, w: Int)

    /// Pools `x` ([N, H, W, C]) into a new [N, output.h, output.w, C] tensor.
    func run(_ x: Tensor) throws -> Tensor {
        guard x.isFloat, x.rank == 4 else { throw ONNXError.badInput("pool (NHWC) needs a 4-D float input, got \(x.shape)") }
        let n = x.shape[0], h = x.shape[1], w = x.shape[2], c = x.shape[3]
        let outShape = [n, output.h, output.w, c]
        var y = uninitializedFloats(try checkedCount(outShape))
        guard c > 0 else { return Tensor(validShape: outShape, floats: y) }
        let geometry = self
        x.floats.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                guard let x0 = px.baseAddress, let y0 = py.baseAddress else { return }
                // Each chunk writes only its own output rows.
                nonisolated(unsafe) let (src, dst) = (x0, y0)
                let rows = n * geometry.output.h
                ParallelChunks.forEach(count: rows, minimumPerChunk: Swift.max(1, 8192 / Swift.max(1, geometry.output.w * c))) { range in
                    for row in range {
                        let b = row / geometry.output.h, oy = row % geometry.output.h
                        geometry.poolRow(oy, image: src + b * h * w * c, height: h, width: w, channels: c,
                                         into: dst + row * geometry.output.w * c)
                    }
                }
            }
        }
        return Tensor(validShape: outShape, floats: y)
    }

    /// Taps of window `o` along an axis of `length` that fall inside [0, length): k in the range.
    /// With `padEnd`, inside the padded axis, [−pad, length + padEnd), instead.
    @inline(__always)
    private static func validTaps(_ o: Int, stride: Int, pad: Int, dilation: Int, kernel: Int, length: Int, padEnd: Int? = nil) -> Range<Int> {
        var start = o * stride - pad
        var length = length
        if let padEnd { start += pad; length += pad + padEnd }
        // First k with start + k·dilation ≥ 0, and first k with start + k·dilation ≥ length.
        let lo = start >= 0 ? 0 : (-start + dilation - 1) / dilation
        let hi = length - start <= 0 ? 0 : (length - start + dilation - 1) / dilation
        return Swift.min(lo, kernel) ..< Swift.max(Swift.min(hi, kernel), Swift.min(lo, kernel))
    }

    private func poolRow(_ oy: Int, image: UnsafePointer<Float>, height h: Int, width w: Int, channels c: Int,
                         into out: UnsafeMutablePointer<Float>) {
        let ys = Self.validTaps(oy, stride: strides.h, pad: padsBegin.h, dilation: dilations.h, kernel: kernel.h, length: h)
        let paddedRows = countIncludePad
            ? Self.validTaps(oy, stride: strides.h, pad: padsBegin.h, dilation: dilations.h, kernel: kernel.h, length: h, padEnd: padsEnd.h).count : 0
        let y0 = oy * strides.h - padsBegin.h
        for ox in 0 ..< output.w {
            let xs = Self.validTaps(ox, stride: strides.w, pad: padsBegin.w, dilation: dilations.w, kernel: kernel.w, length: w)
            let x0 = ox * strides.w - padsBegin.w
            let dst = out + ox * c
            if isMax {
                Self.maxOver(ys, xs, image: image, y0: y0, x0: x0, dilations: dilations, width: w, channels: c, into: dst)
            } else {
                let divisor = countIncludePad
                    ? paddedRows * Self.validTaps(ox, stride: strides.w, pad: padsBegin.w, dilation: dilations.w, kernel: kernel.w,
                                                  length: w, padEnd: padsEnd.w).count
                    : ys.count * xs.count
                Self.meanOver(ys, xs, image: image, y0: y0, x0: x0, dilations: dilations, width: w, channels: c, divisor: divisor, into: dst)
            }
        }
    }

    @inline(__always)
    private static func maxOver(_ ys: Range<Int>, _ xs: Range<Int>, image: UnsafePointer<Float>, y0: Int, x0: Int,
                                dilations: (h: Int, w: Int), width w: Int, channels c: Int, into dst: UnsafeMutablePointer<Float>) {
        let d = UnsafeMutableRawPointer(dst)
        var ch = 0
        while ch + 8 <= c {
            var acc = SIMD8<Float>(repeating: -.infinity)
            for ky in ys {
                let rowBase = image + ((y0 + ky * dilations.h) * w) * c + ch
                for kx in xs {
                    let v = UnsafeRawPointer(rowBase + (x0 + kx * dilations.w) * c).loadUnaligned(as: SIMD8<Float>.self)
                    acc.replace(with: v, where: (v .> acc) .| (v .!= v))
                }
            }
            d.storeBytes(of: acc, toByteOffset: ch * 4, as: SIMD8<Float>.self)
            ch += 8
        }
        while ch < c {
            var acc = -Float.infinity
            for ky in ys {
                let rowBase = image + ((y0 + ky * dilations.h) * w) * c + ch
                for kx in xs {
                    let v = rowBase[(x0 + kx * dilations.w) * c]
                    if v > acc || v.isNaN { acc = v }
                }
            }
            dst[ch] = acc
            ch += 1
        }
    }

    @inline(__always)
    private static func meanOver(_ ys: Range<Int>, _ xs: Range<Int>, image: UnsafePointer<Float>, y0: Int, x0: Int,
                                 dilations: (h: Int, w: Int), width w: Int, channels c: Int, divisor: Int,
                                 into dst: UnsafeMutablePointer<Float>) {
        let d = UnsafeMutableRawPointer(dst)
        let div = Float(divisor)
        var ch = 0
        while ch + 8 <= c {
            var acc = SIMD8<Float>()
            for ky in ys {
                let rowBase = image + ((y0 + ky * dilations.h) * w) * c + ch
                for kx in xs {
                    acc += UnsafeRawPointer(rowBase + (x0 + kx * dilations.w) * c).loadUnaligned(as: SIMD8<Float>.self)
                }
            }
            d.storeBytes(of: divisor > 0 ? acc / SIMD8(repeating: div) : SIMD8(), toByteOffset: ch * 4, as: SIMD8<Float>.self)
            ch += 8
        }
        while ch < c {
            var acc: Float = 0
            for ky in ys {
                let rowBase = image + ((y0 + ky * dilations.h) * w) * c + ch
                for kx in xs { acc += rowBase[(x0 + kx * dilations.w) * c] }
            }
            dst[ch] = divisor > 0 ? acc / div : 0
            ch += 1
        }
    }
}
