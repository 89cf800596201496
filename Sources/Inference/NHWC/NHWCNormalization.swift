/// BatchNormalization (inference) and InstanceNormalization on NHWC tensors, with the fused
/// activation applied in the same pass. Pre-activation networks (DenseNet's BN-ReLU-Conv, MONAI's
/// Conv-InstanceNorm-LeakyReLU) would otherwise leave the NHWC region twice per layer.
enum NHWCNormalization {
    /// y = x·a[c] + b[c] with a = scale/√(var+ε), b = bias − mean·a, from constant parameters.
    static func batchNorm(attrs: NodeAttributes, params: [Tensor], activation: UnaryOp) throws -> Kernel {
        let eps = try attrs.float("epsilon", 1e-5)
        _ = try attrs.float("momentum", 0.9)
        guard try attrs.int("training_mode", 0) == 0 else { throw attrs.unsupported("training_mode in NHWC BatchNormalization") }
        attrs.ignore("is_test", "consumed_inputs", "spatial")
        guard params.count == 4, params.allSatisfy(\.isFloat) else { throw attrs.invalid("BatchNormalization needs 4 float parameters") }
        let c = params[0].count
        guard params.allSatisfy({ $0.count == c }) else { throw attrs.invalid("BatchNormalization parameters differ in length") }
        let scale = params[0].floats, bias = params[1].floats, mean = params[2].floats, variance = params[3].floats
        var a = [Float](repeating: 0, count: c), b = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            a[ch] = scale[ch] / (variance[ch] + eps).squareRoot()
            b[ch] = bias[ch] - mean[ch] * a[ch]
        }
        return ClosureKernel { inputs in
            let x = try inputs.take(0)
            guard x.isFloat, x.rank == 4, x.shape[3] == c else { throw ONNXError.badInput("BatchNormalization (NHWC) input \(x.shape) does not have \(c) channels") }
            return [Tensor(validShape: x.shape, floats: scaleAndShift(x.floats, channels: c, a: a, b: b, activation: activation))]
        }
    }

    /// y = x·a[c] + b[c], then `activation`, into a new buffer, with the pixels split over the
    /// inference threads. ReLU is applied in the same pass; another activation runs on each block of
    /// about 4,096 floats just written, while it is in the core's cache.
    ///
    /// Why a new buffer rather than in place: in DenseNets the input is a concatenation that later
    /// blocks read again, so writing into it made a copy of the whole buffer first, and then read
    /// and wrote it once more for the activation: three passes over it where this makes one. (An
    /// input nothing else holds used to be updated in place; it now gets a new buffer, which costs
    /// the same one pass.) On the 224² DenseNet-121 this step took 15 % of a run, on one thread.
    static func scaleAndShift(_ x: [Float], channels c: Int, a: [Float], b: [Float], activation: UnaryOp) -> [Float] {
        var y = uninitializedFloats(x.count)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                guard let src = px.baseAddress, let dst = py.baseAddress else { return }
                scaleAndShift(src, into: dst, pixels: c > 0 ? x.count / c : 0, channels: c, a: a, b: b, activation: activation)
            }
        }
        return y
    }

    /// The loop behind `scaleAndShift`, between buffers of `pixels · c` floats; `dst` may be `src`.
    static func scaleAndShift(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, pixels: Int, channels c: Int,
                              a: [Float], b: [Float], activation: UnaryOp) {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                guard let pa0 = pa.baseAddress, let pb0 = pb.baseAddress, c > 0 else { return }
                // Each chunk reads and writes only its own pixels.
                nonisolated(unsafe) let (src0, dst0, a0, b0) = (src, dst, pa0, pb0)
                let relu: Bool = if case .relu = activation { true } else { false }
                ParallelChunks.forEach(count: pixels, minimumPerChunk: Swift.max(1, 16384 / c)) { range in
                    let block = Swift.max(1, 4096 / c)
                    for start in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                        let end = Swift.min(range.upperBound, start + block)
                        for pixel in start ..< end {
                            scaleAndShiftPixel(src0 + pixel * c, dst0 + pixel * c, a0, b0, channels: c, relu: relu)
                        }
                        if !relu { activation.apply(to: UnsafeMutableBufferPointer(start: dst0 + start * c, count: (end - start) * c)) }
                    }
                }
            }
        }
    }

    /// Per (batch, channel) mean and variance over H·W, accumulated per block of 256 pixels in
    /// float and over blocks in double (as the NCHW kernel does), then the normalisation and the
    /// activation in one pass, in place.
    ///
    /// Both passes are split over the inference threads. Each block's sums are kept apart and
    /// added in block order afterwards, so the result does not depend on which thread summed
    /// which block. On the 256² U-Net benchmark the one-thread version took 20.7 ms a run
    /// (onnxruntime: 14.8 ms, NCHW); MONAI's Conv → InstanceNorm → LeakyReLU has one per Conv.
    static func instanceNorm(attrs: NodeAttributes, scale: Tensor, bias: Tensor, activation: UnaryOp) throws -> Kernel {
        let eps = try attrs.float("epsilon", 1e-5)
        let c = scale.count
        guard scale.isFloat, bias.isFloat, bias.count == c else { throw attrs.invalid("InstanceNormalization scale and bias differ") }
        let sc = scale.floats, bs = bias.floats
        return ClosureKernel { inputs in
            var x = try inputs.take(0)
            guard x.isFloat, x.rank == 4, x.shape[3] == c else { throw ONNXError.badInput("InstanceNormalization (NHWC) input \(x.shape) does not have \(c) channels") }
            let n = x.shape[0], plane = x.shape[1] * x.shape[2]
            guard plane > 0, c > 0 else { return [x] }
            let blockPixels = 256
            let blocks = (plane + blockPixels - 1) / blockPixels
            var blockSums = [Double](repeating: 0, count: blocks * 2 * c)  // per block: Σx, then Σx², per channel
            var k = [Float](repeating: 0, count: c), off = [Float](repeating: 0, count: c)
            x.floats.withUnsafeMutableBufferPointer { p in
                guard let x0 = p.baseAddress else { return }
                for b in 0..<n {
                    let image = x0 + b * plane * c
                    blockSums.withUnsafeMutableBufferPointer { pbs in
                        guard let bs0 = pbs.baseAddress else { return }
                        // Each chunk writes only its own blocks' sums.
                        nonisolated(unsafe) let (src, sums) = (UnsafePointer(image), bs0)
                        ParallelChunks.forEach(count: blocks, minimumPerChunk: Swift.max(1, 65536 / (blockPixels * c))) { range in
                            var work = [Float](repeating: 0, count: 2 * c)
                            work.withUnsafeMutableBufferPointer { pw in
                                guard let fs = pw.baseAddress else { return }
                                let fss = fs + c
                                for block in range {
                                    let start = block * blockPixels, end = Swift.min(start + blockPixels, plane)
                                    channelSums(src + start * c, pixels: end - start, channels: c, sum: fs, sumOfSquares: fss)
                                    let out = sums + block * 2 * c
                                    for ch in 0..<(2 * c) { out[ch] = Double(fs[ch]) }
                                }
                            }
                        }
                    }
                    var s = [Double](repeating: 0, count: 2 * c)
                    for block in 0..<blocks {
                        for ch in 0..<(2 * c) { s[ch] += blockSums[block * 2 * c + ch] }
                    }
                    for ch in 0..<c {
                        let m = s[ch] / Double(plane)
                        let v = Swift.max(s[c + ch] / Double(plane) - m * m, 0)
                        k[ch] = sc[ch] * Float(1 / (v + Double(eps)).squareRoot())
                        off[ch] = bs[ch] - Float(m) * k[ch]
                    }
                    scaleAndShift(image, into: image, pixels: plane, channels: c, a: k, b: off, activation: activation)
                }
            }
            return [x]
        }
    }

    /// One pixel's `c` values: d = s·a + b (then max(·, 0) with `relu`), eight channels at a time.
    /// Written with explicit vectors: `d` may be `s` (InstanceNorm works in place), and the
    /// compiler's overlap check then falls back to its scalar loop, which made the in-place pass
    /// 1.6× slower than the scalar loop it replaced.
    @inline(__always)
    static func scaleAndShiftPixel(_ s: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
                                   _ b: UnsafePointer<Float>, channels c: Int, relu: Bool) {
        let sr = UnsafeRawPointer(s), dr = UnsafeMutableRawPointer(d), ar = UnsafeRawPointer(a), br = UnsafeRawPointer(b)
        var ch = 0
        while ch + 8 <= c {
            let o = ch * 4
            var v = sr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) * ar.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                + br.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            if relu { v.replace(with: 0, where: v .< 0) }
            dr.storeBytes(of: v, toByteOffset: o, as: SIMD8<Float>.self)
            ch += 8
        }
        while ch < c {
            let v = s[ch] * a[ch] + b[ch]
            d[ch] = relu && v < 0 ? 0 : v
            ch += 1
        }
    }

    /// Σx and Σx² per channel over `pixels` consecutive pixels of `c` channels, summed pixel by
    /// pixel in float (each channel in the order the scalar loop used), eight channels at a time.
    static func channelSums(_ x: UnsafePointer<Float>, pixels: Int, channels c: Int,
                            sum: UnsafeMutablePointer<Float>, sumOfSquares: UnsafeMutablePointer<Float>) {
        let row = c * 4
        var ch = 0
        while ch + 8 <= c {
            var s1 = SIMD8<Float>(), s2 = SIMD8<Float>()
            var q = UnsafeRawPointer(x + ch)
            for _ in 0 ..< pixels {
                let v = q.loadUnaligned(as: SIMD8<Float>.self)
                s1 += v
                s2 += v * v
                q += row
            }
            UnsafeMutableRawPointer(sum + ch).storeBytes(of: s1, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(sumOfSquares + ch).storeBytes(of: s2, as: SIMD8<Float>.self)
            ch += 8
        }
        while ch < c {
            var s1: Float = 0, s2: Float = 0
            var q = x + ch
            for _ in 0 ..< pixels { let v = q.pointee; s1 += v; s2 += v * v; q += c }
            sum[ch] = s1
            sumOfSquares[ch] = s2
            ch += 1
        }
    }
}
