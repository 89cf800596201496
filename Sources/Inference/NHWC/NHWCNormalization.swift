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
        let pixels = c > 0 ? x.count / c : 0
        var y = uninitializedFloats(x.count)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        guard let px0 = px.baseAddress, let py0 = py.baseAddress, let pa0 = pa.baseAddress, let pb0 = pb.baseAddress
                        else { return }
                        // Each chunk reads and writes only its own pixels.
                        nonisolated(unsafe) let (src0, dst0, a0, b0) = (px0, py0, pa0, pb0)
                        let relu: Bool = if case .relu = activation { true } else { false }
                        ParallelChunks.forEach(count: pixels, minimumPerChunk: Swift.max(1, 16384 / Swift.max(1, c))) { range in
                            let block = Swift.max(1, 4096 / Swift.max(1, c))
                            for start in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                                let end = Swift.min(range.upperBound, start + block)
                                for pixel in start ..< end {
                                    let src = src0 + pixel * c, dst = dst0 + pixel * c
                                    if relu {
                                        for ch in 0 ..< c { let v = src[ch] * a0[ch] + b0[ch]; dst[ch] = v < 0 ? 0 : v }
                                    } else {
                                        for ch in 0 ..< c { dst[ch] = src[ch] * a0[ch] + b0[ch] }
                                    }
                                }
                                if !relu { activation.apply(to: UnsafeMutableBufferPointer(start: dst0 + start * c, count: (end - start) * c)) }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Per (batch, channel) mean and variance over H·W, accumulated per pixel row in float and
    /// per 256 pixels in double (as the NCHW kernel does).
    static func instanceNorm(attrs: NodeAttributes, scale: Tensor, bias: Tensor, activation: UnaryOp) throws -> Kernel {
        let eps = try attrs.float("epsilon", 1e-5)
        let c = scale.count
        guard scale.isFloat, bias.isFloat, bias.count == c else { throw attrs.invalid("InstanceNormalization scale and bias differ") }
        let sc = scale.floats, bs = bias.floats
        return ClosureKernel { inputs in
            var x = try inputs.take(0)
            guard x.isFloat, x.rank == 4, x.shape[3] == c else { throw ONNXError.badInput("InstanceNormalization (NHWC) input \(x.shape) does not have \(c) channels") }
            let n = x.shape[0], plane = x.shape[1] * x.shape[2]
            guard plane > 0 else { return [x] }
            var sums = [Double](repeating: 0, count: 2 * c)       // Σx, Σx² per channel
            var work = [Float](repeating: 0, count: 4 * c)        // chunk Σx, Σx², then k, offset
            x.floats.withUnsafeMutableBufferPointer { p in
                sums.withUnsafeMutableBufferPointer { ps in
                    work.withUnsafeMutableBufferPointer { pw in
                        guard let x0 = p.baseAddress, let s = ps.baseAddress, let w = pw.baseAddress else { return }
                        let fs = w, fss = w + c, k = w + 2 * c, off = w + 3 * c
                        for b in 0..<n {
                            let start = x0 + b * plane * c
                            for ch in 0..<(2 * c) { s[ch] = 0 }
                            var px = 0
                            while px < plane {
                                let end = Swift.min(px + 256, plane)
                                for ch in 0..<(2 * c) { w[ch] = 0 }
                                var q = start + px * c
                                for _ in px..<end {
                                    for ch in 0..<c { let v = q[ch]; fs[ch] += v; fss[ch] += v * v }
                                    q += c
                                }
                                for ch in 0..<(2 * c) { s[ch] += Double(w[ch]) }
                                px = end
                            }
                            for ch in 0..<c {
                                let m = s[ch] / Double(plane)
                                let v = Swift.max(s[c + ch] / Double(plane) - m * m, 0)
                                k[ch] = sc[ch] * Float(1 / (v + Double(eps)).squareRoot())
                                off[ch] = bs[ch] - Float(m) * k[ch]
                            }
                            var q = start
                            for _ in 0..<plane {
                                for ch in 0..<c { q[ch] = q[ch] * k[ch] + off[ch] }
                                q += c
                            }
                        }
                    }
                }
                activation.apply(to: p)
            }
            return [x]
        }
    }
}
