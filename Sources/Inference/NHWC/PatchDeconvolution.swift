/// ConvTranspose (2-D, one group) on NHWC tensors as one GEMM — X [pixels × C] · W' [C × (kH·kW·M)]
/// — then col2im: each input pixel's kH×kW×M block is added into the output at its strided,
/// dilated, padded place, then bias and activation.
///
/// When the kernel equals the stride with no padding (the U-Net 2×2 / stride-2 up-sampling) the
/// blocks tile the output exactly and are copied instead of added. oneDNN 2.6 runs ConvTranspose
/// as a generic backward-data convolution at several times this cost (the shipped models: 5.8 of
/// 15.6 ms per run; MONAI UNet's 3×3 / stride-2 layers: see docs/INFERENCE_BACKENDS.md).
struct PatchDeconvolution {
    let c: Int, m: Int, kh: Int, kw: Int
    /// Strides, dilations and begin pads (H, W); the output size is given per run.
    let strides: [Int], dilations: [Int], padsBegin: [Int]
    /// W' row-major [C × (kH·kW·M)], columns ordered (i, j, m).
    private let packed: [Float]
    private let bias: [Float]?
    private let activation: UnaryOp

    /// `weights` is the ONNX [C, M, kH, kW] tensor.
    init(weights: Tensor, bias: Tensor?, activation: UnaryOp, strides: [Int], dilations: [Int], padsBegin: [Int]) {
        c = weights.shape[0]; m = weights.shape[1]; kh = weights.shape[2]; kw = weights.shape[3]
        self.strides = strides; self.dilations = dilations; self.padsBegin = padsBegin
        let cols = kh * kw * m
        var p = [Float](repeating: 0, count: c * cols)
        let w = weights.floats
        for ci in 0..<c {
            for mi in 0..<m {
                for i in 0..<kh {
                    for j in 0..<kw { p[ci * cols + (i * kw + j) * m + mi] = w[((ci * m + mi) * kh + i) * kw + j] }
                }
            }
        }
        packed = p
        self.bias = bias?.floats
        self.activation = activation
    }

    /// True when the kernel's blocks tile the output exactly (copy instead of add).
    var tiles: Bool { strides == [kh, kw] && dilations == [1, 1] && padsBegin == [0, 0] }

    /// [N, H, W, C] → [N, outH, outW, M].
    func run(_ x: Tensor, outSpatial: [Int]) throws -> Tensor {
        guard x.rank == 4, x.shape[3] == c, outSpatial.count == 2 else { throw ONNXError.badInput("ConvTranspose input \(x.shape) does not match \(c) channels") }
        let n = x.shape[0], h = x.shape[1], w = x.shape[2]
        let pixels = n * h * w, cols = kh * kw * m
        let outShape = [n, outSpatial[0], outSpatial[1], m]
        let exact = tiles && outSpatial == [h * kh, w * kw]
        var t = uninitializedFloats(try checkedCount([pixels, cols]))
        var y = exact ? uninitializedFloats(try checkedCount(outShape)) : [Float](repeating: 0, count: try checkedCount(outShape))
        try x.floats.withUnsafeBufferPointer { px in
            try packed.withUnsafeBufferPointer { pw in
                try t.withUnsafeMutableBufferPointer { pt in
                    guard let a = px.baseAddress, let b = pw.baseAddress, let d = pt.baseAddress else { return }
                    try DNNL.sgemm(m: pixels, n: cols, k: c, a: a, lda: c, b: b, ldb: cols, c: d, ldc: cols)
                }
            }
        }
        if exact { scatterTiles(t, into: &y, n: n, h: h, w: w) } else { scatterAdd(t, into: &y, n: n, h: h, w: w, out: outSpatial) }
        if bias != nil || !activation.isIdentity {
            y.withUnsafeMutableBufferPointer { py in
                if let bias, let base = py.baseAddress {
                    bias.withUnsafeBufferPointer { pb in
                        guard let b0 = pb.baseAddress else { return }
                        ParallelChunks.forEach(count: py.count / m, minimumPerChunk: 4096) { pixels in
                            for k in pixels { let row = base + k * m; for ch in 0..<m { row[ch] += b0[ch] } }
                        }
                    }
                }
                activation.apply(to: py)
            }
        }
        return Tensor(validShape: outShape, floats: y)
    }

    /// col2im with overlaps and cropping: out[oh, ow, :] += block(ih, iw)[i, j, :].
    private func scatterAdd(_ t: [Float], into y: inout [Float], n: Int, h: Int, w: Int, out: [Int]) {
        let outH = out[0], outW = out[1], cols = kh * kw * m
        t.withUnsafeBufferPointer { pt in
            y.withUnsafeMutableBufferPointer { py in
                guard let src0 = pt.baseAddress, let dst0 = py.baseAddress else { return }
                for b in 0..<n {
                    for r in 0..<h {
                        for i in 0..<kh {
                            let oh = r * strides[0] - padsBegin[0] + i * dilations[0]
                            if oh < 0 || oh >= outH { continue }
                            let dstRow = dst0 + ((b * outH + oh) * outW) * m
                            for col in 0..<w {
                                let src = src0 + ((b * h + r) * w + col) * cols + i * kw * m
                                for j in 0..<kw {
                                    let ow = col * strides[1] - padsBegin[1] + j * dilations[1]
                                    if ow < 0 || ow >= outW { continue }
                                    let d = dstRow + ow * m, s = src + j * m
                                    for ch in 0..<m { d[ch] += s[ch] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The exact tiling: each block row is copied into place.
    private func scatterTiles(_ t: [Float], into y: inout [Float], n: Int, h: Int, w: Int) {
        let cols = kh * kw * m
        let rowLen = kw * m            // one pixel's patch row: kW output pixels × M channels
        let outW = w * kw
        t.withUnsafeBufferPointer { pt in
            y.withUnsafeMutableBufferPointer { py in
                guard let src0 = pt.baseAddress, let dst0 = py.baseAddress else { return }
                // One input row (b, r) fills kH output rows; rows are independent.
                ParallelChunks.forEach(count: n * h, minimumPerChunk: Swift.max(1, 4096 / Swift.max(1, w))) { rows in
                    for br in rows {
                        let b = br / h, r = br % h
                        for i in 0..<kh {
                            let dstRow = dst0 + ((b * h * kh + r * kh + i) * outW) * m
                            for col in 0..<w {
                                NHWCKernels.copyFloats(dstRow + col * rowLen, src0 + ((b * h + r) * w + col) * cols + i * rowLen, rowLen)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension UnaryOp {
    var isIdentity: Bool { if case .identity = self { return true } else { return false } }
}
