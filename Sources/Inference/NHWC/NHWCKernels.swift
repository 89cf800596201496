import Foundation

/// Kernels for nodes in the `ai.lightbox.nhwc` domain (see `NHWCLowering`). Tensors they read
/// and write are channels-last [N, H, W, C] unless noted.
enum NHWCKernels {
    static func make(_ node: IRNode, opset: Int, constants: [String: Tensor]) throws -> Kernel {
        let a = NodeAttributes(node: node, opset: opset)
        let k: Kernel
        switch node.opType {
        case "ToNhwc": k = ClosureKernel { [try LayoutTranspose.toNHWC(try $0.required(0))] }
        case "ToNchw": k = ClosureKernel { [try LayoutTranspose.toNCHW(try $0.required(0))] }
        case "Conv", "ConvTranspose":
            guard node.inputs.count >= 2, let w = constants[node.inputs[1]] else {
                throw ONNXError.invalidModel("NHWC \(node.opType) '\(node.name)' lost its constant weights")
            }
            let b = node.inputs.count > 2 && !node.inputs[2].isEmpty ? constants[node.inputs[2]] : nil
            let activation = node.fused ?? .identity
            // A 4th input (only NHWCLowering.fuseResidualAdd makes one) is a residual added before the activation.
            let residual = node.opType == "Conv" && node.inputs.count == 4 && !node.inputs[3].isEmpty
            if node.opType == "Conv" {
                let inner = try ConvKernel(attrs: a)
                inner.activation = residual ? .identity : activation
                k = NHWCConvolutionKernel(conv: inner, weights: w, bias: b, activation: activation, residual: residual)
            } else {
                let inner = try ConvTransposeKernel(attrs: a)
                inner.activation = activation
                k = NHWCConvolutionKernel(deconv: inner, weights: w, bias: b, activation: activation)
            }
        case "MaxPool", "AveragePool":
            k = try NHWCPoolKernel(inner: try PoolKernel(isMax: node.opType == "MaxPool", attrs: a))
        case "BatchNormalization":
            let params = try node.inputs.dropFirst().prefix(4).map { name -> Tensor in
                guard let t = constants[name] else { throw ONNXError.invalidModel("NHWC BatchNormalization '\(node.name)' lost its constant parameters") }
                return t
            }
            k = try NHWCNormalization.batchNorm(attrs: a, params: params, activation: node.fused ?? .identity)
        case "InstanceNormalization":
            guard node.inputs.count == 3, let scale = constants[node.inputs[1]], let bias = constants[node.inputs[2]] else {
                throw ONNXError.invalidModel("NHWC InstanceNormalization '\(node.name)' lost its constant parameters")
            }
            k = try NHWCNormalization.instanceNorm(attrs: a, scale: scale, bias: bias, activation: node.fused ?? .identity)
        case "Resize", "Upsample":
            k = NHWCResizeKernel(inner: try ResizeKernel(attrs: a, upsample: node.opType == "Upsample"))
        case "GlobalAveragePool": k = ClosureKernel { [try NHWCKernels.globalPool(try $0.required(0), isMax: false)] }
        case "GlobalMaxPool": k = ClosureKernel { [try NHWCKernels.globalPool(try $0.required(0), isMax: true)] }
        case "Concat":
            _ = try a.int("axis", 1)
            k = ClosureKernel { try NHWCKernels.concatChannels($0) }
        default:
            throw ONNXError.unsupported(node: node.name, op: "\(node.domain).\(node.opType)", opset: opset,
                                        detail: "no NHWC kernel (layout planning error)")
        }
        try a.finish()
        return k
    }

    /// Runs an NCHW kernel on an NHWC input (layout changes around it), for shapes oneDNN refuses.
    static func viaNCHW(_ inner: Kernel, _ inputs: inout [Tensor?]) throws -> [Tensor] {
        var ins = inputs
        ins[0] = try LayoutTranspose.toNCHW(try inputs.required(0))
        let outs = try inner.run(&ins)
        guard let y = outs.first else { throw ONNXError.invalidModel("kernel produced no output") }
        return [try LayoutTranspose.toNHWC(y)]
    }

    /// Global pooling of [N, H, W, C] into the NCHW [N, C, 1, 1] (the same bytes as NHWC [N, 1, 1, C]).
    static func globalPool(_ x: Tensor, isMax: Bool) throws -> Tensor {
        guard x.isFloat, x.rank == 4 else { throw ONNXError.badInput("global pool needs a float 4-D tensor") }
        let n = x.shape[0], plane = x.shape[1] * x.shape[2], c = x.shape[3]
        var y = [Float](repeating: isMax ? -.infinity : 0, count: n * c)
        x.floats.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                guard let x0 = px.baseAddress, let y0 = py.baseAddress else { return }
                for b in 0..<n {
                    let acc = y0 + b * c
                    var row = x0 + b * plane * c
                    for _ in 0..<plane {
                        if isMax {
                            for ch in 0..<c { let v = row[ch]; if v > acc[ch] || v.isNaN { acc[ch] = v } }
                        } else {
                            for ch in 0..<c { acc[ch] += row[ch] }
                        }
                        row += c
                    }
                }
                if !isMax && plane > 0 { for i in 0..<(n * c) { y0[i] /= Float(plane) } }
                if isMax && plane == 0 { for i in 0..<(n * c) { y0[i] = 0 } }
            }
        }
        return Tensor(validShape: [n, c, 1, 1], floats: y)
    }

    /// `count` floats from `src` to `dst` (not overlapping), sixteen and four at a time.
    @inline(__always)
    static func copyFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ count: Int) {
        let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
        var i = 0
        while i + 16 <= count {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i + 4 <= count {
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self), toByteOffset: i * 4, as: SIMD4<Float>.self)
            i += 4
        }
        while i < count { dst[i] = src[i]; i += 1 }
    }

    /// Concat along channels: per pixel, each input's C_i values in turn.
    static func concatChannels(_ inputs: [Tensor?]) throws -> [Tensor] {
        let parts = inputs.compactMap { $0 }
        guard let first = parts.first, first.rank == 4, first.isFloat else { throw ONNXError.badInput("NHWC Concat needs 4-D float inputs") }
        let pixels = first.shape[0] * first.shape[1] * first.shape[2]
        var total = 0
        for p in parts {
            guard p.isFloat, p.rank == 4, p.shape[0..<3] == first.shape[0..<3] else {
                throw ONNXError.badInput("Concat inputs \(first.shape) and \(p.shape) differ off the channel axis (NHWC)")
            }
            total += p.shape[3]
        }
        let shape = Array(first.shape[0..<3]) + [total]
        var y = uninitializedFloats(try checkedCount(shape))
        y.withUnsafeMutableBufferPointer { py in
            guard let dst = py.baseAddress else { return }
            var offset = 0
            for p in parts {
                let c = p.shape[3]
                p.floats.withUnsafeBufferPointer { ps in
                    guard let src = ps.baseAddress else { return }
                    // Runs of a few dozen floats per pixel: inline vector copies, not a memmove
                    // call each (that call was most of a U-Net's 2 ms of skip concatenations).
                    ParallelChunks.forEach(count: pixels, minimumPerChunk: 4096) { rows in
                        for i in rows { copyFloats(dst + i * total + offset, src + i * c, c) }
                    }
                }
                offset += c
            }
        }
        return [Tensor(validShape: shape, floats: y)]
    }
}

/// Conv or ConvTranspose on oneDNN, NHWC in and out. A primitive is made the first time an input
/// shape is seen and cached (weights reordered once per shape); a shape oneDNN refuses runs on
/// the OpenBLAS kernel through layout changes instead.
///
/// `@unchecked Sendable`: the per-shape `cache` is read and written only under `lock`; everything
/// else is immutable after init.
final class NHWCConvolutionKernel: Kernel, @unchecked Sendable {
    private enum Entry { case dnnl(any DNNLConvolutionRunning, outShape: [Int]), patches(PatchDeconvolution, outSpatial: [Int]), openblas }
    private let inner: Kernel
    private let conv: ConvKernel?
    private let deconv: ConvTransposeKernel?
    private let weights: Tensor
    private let bias: Tensor?
    private let activation: UnaryOp
    private let postOps: DNNL.PostOps?
    /// Input 3 is added to the result before the activation (Conv + Add [+ activation] fused).
    private let residual: Bool
    private let lock = NSLock()
    private var cache: [[Int]: Entry] = [:]

    init(conv: ConvKernel, weights: Tensor, bias: Tensor?, activation: UnaryOp, residual: Bool = false) {
        inner = conv; self.conv = conv; deconv = nil
        self.weights = weights; self.bias = bias; self.activation = activation; self.residual = residual
        postOps = DNNL.postOps(for: activation)
    }

    init(deconv: ConvTransposeKernel, weights: Tensor, bias: Tensor?, activation: UnaryOp) {
        inner = deconv; conv = nil; self.deconv = deconv
        self.weights = weights; self.bias = bias; self.activation = activation; residual = false
        postOps = DNNL.postOps(for: activation)
    }

    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard x.isFloat, x.rank == 4 else { throw ONNXError.badInput("Conv (NHWC) needs a 4-D float input, got \(x.shape)") }
        switch try entry(forNHWC: x.shape) {
        case .openblas:
            guard residual else { return try NHWCKernels.viaNCHW(inner, &inputs) }
            var ins: [Tensor?] = Array(inputs.prefix(3))
            var y = try NHWCKernels.viaNCHW(inner, &ins)[0]
            let r = try inputs.required(3)
            guard r.shape == y.shape, r.isFloat else { throw ONNXError.badInput("residual \(r.shape) does not match Conv output \(y.shape)") }
            y.floats.withUnsafeMutableBufferPointer { py in
                r.floats.withUnsafeBufferPointer { pr in for i in 0..<py.count { py[i] += pr[i] } }
                activation.apply(to: py)
            }
            return [y]
        case let .patches(p, outSpatial):
            return [try p.run(x, outSpatial: outSpatial)]
        case let .dnnl(primitive, outShape):
            var y: [Float]
            if residual {
                // The destination starts as the residual; taking it lets a dead residual be reused in place.
                let r = try inputs.take(3)
                guard r.shape == outShape, r.isFloat else { throw ONNXError.badInput("residual \(r.shape) does not match Conv output \(outShape)") }
                y = r.floats
            } else {
                y = uninitializedFloats(try checkedCount(outShape))
            }
            try x.floats.withUnsafeBufferPointer { px in
                try y.withUnsafeMutableBufferPointer { py in
                    guard let s = px.baseAddress, let d = py.baseAddress else { return }
                    try primitive.run(src: s, dst: d)
                }
            }
            if postOps == nil { y.withUnsafeMutableBufferPointer { activation.apply(to: $0) } }
            return [Tensor(validShape: outShape, floats: y)]
        }
    }

    private func entry(forNHWC shape: [Int]) throws -> Entry {
        lock.lock(); defer { lock.unlock() }
        if let e = cache[shape] { return e }
        let e = try makeEntry(n: shape[0], c: shape[3], h: shape[1], w: shape[2])
        cache[shape] = e
        return e
    }

    /// Whether a convolution of `work` multiply-adds runs as bands (`DNNLBandedConvolution`):
    /// large enough to pay for waking a second thread, and a budget of at least two threads when
    /// the primitive is made.
    static func splitsIntoBands(work: Int) -> Bool {
        DNNL.budgetThreads >= 2 && work >= DNNLBandedConvolution.minimumWork
    }

    /// Geometry errors (bad shapes) are thrown; oneDNN refusing a valid shape selects OpenBLAS.
    private func makeEntry(n: Int, c: Int, h: Int, w: Int) throws -> Entry {
        guard weights.isFloat, weights.rank == 4, bias.map({ $0.isFloat }) ?? true else { return .openblas }
        let kernel = [weights.shape[2], weights.shape[3]]
        let window: DNNLWindow, outSpatial: [Int], m: Int, group: Int
        let weightDims: [Int], layout: DNNL.WeightLayout
        if let conv {
            group = conv.group
            m = weights.shape[0]
            guard group > 0, m % group == 0, c % group == 0, weights.shape[1] == c / group else { return .openblas }
            var geo = try conv.geometry(nd: 2, kernel: kernel)
            outSpatial = try geo.outputSize(input: [h, w])
            window = DNNLWindow(strides: geo.strides, dilations: geo.dilations, padsBegin: geo.padsBegin, padsEnd: geo.padsEnd)
            weightDims = group == 1 ? [m, c] + kernel : [group, m / group, c / group] + kernel
            layout = group == 1 ? .oihw : .goihw
        } else if let deconv {
            group = deconv.group
            guard group > 0, weights.shape[0] == c, c % group == 0 else { return .openblas }
            m = weights.shape[1] * group
            let g = try deconv.outputGeometry(inSpatial: [h, w], kernel: kernel)
            outSpatial = g.outSpatial
            // oneDNN's right padding is whatever makes its output size formula give ours.
            let input = [h, w]
            var padsEnd = [0, 0]
            for d in 0..<2 {
                let extent = (kernel[d] - 1) * g.dilations[d] + 1
                padsEnd[d] = (input[d] - 1) * g.strides[d] + extent - g.pads[d] - outSpatial[d]
            }
            // One group: GEMM + col2im (handles output_padding and negative end pads too).
            if group == 1, g.pads[0] >= 0, g.pads[1] >= 0, bias.map({ $0.count == m }) ?? true {
                return .patches(PatchDeconvolution(weights: weights, bias: bias, activation: activation, strides: g.strides,
                                                   dilations: g.dilations, padsBegin: [g.pads[0], g.pads[1]]), outSpatial: outSpatial)
            }
            guard padsEnd.allSatisfy({ $0 >= 0 }), g.pads[0] >= 0, g.pads[1] >= 0 else { return .openblas }
            window = DNNLWindow(strides: g.strides, dilations: g.dilations, padsBegin: [g.pads[0], g.pads[1]], padsEnd: padsEnd)
            weightDims = group == 1 ? [m, c] + kernel : [group, m / group, c / group] + kernel
            layout = group == 1 ? .iohw : .giohw
        } else {
            return .openblas
        }
        if let bias, bias.count != m { throw ONNXError.badInput("Conv bias has \(bias.count) values for \(m) output channels") }
        do {
            let bandable = conv != nil && n == 1 && Self.splitsIntoBands(work: n * outSpatial.reduce(1, *) * weightDims.reduce(1, *))
            let primitive = try weights.floats.withUnsafeBufferPointer { pw -> any DNNLConvolutionRunning in
                guard let wp = pw.baseAddress else { throw DNNLError(call: "weights", status: -1) }
                if bandable {
                    func split(_ pb: UnsafePointer<Float>?) throws -> (any DNNLConvolutionRunning)? {
                        if let split = try DNNLChannelSplitConvolution(
                            src: [n, c, h, w], dst: [n, m] + outSpatial, weightDims: weightDims, weightLayout: layout,
                            weightData: wp, bias: pb, window: window, postOps: postOps ?? [], accumulate: residual,
                            threads: DNNL.budgetThreads) { return split }
                        return try DNNLBandedConvolution(src: [n, c, h, w], dst: [n, m] + outSpatial, weightDims: weightDims, weightLayout: layout,
                                                  weightData: wp, bias: pb, window: window, kernelHeight: kernel[0],
                                                  postOps: postOps ?? [], accumulate: residual, threads: DNNL.budgetThreads)
                    }
                    let made = try bias.map { b in try b.floats.withUnsafeBufferPointer { try split($0.baseAddress) } } ?? split(nil)
                    if let made { return made }
                }
                if let bias {
                    return try bias.floats.withUnsafeBufferPointer { pb in
                        try DNNLConvolution(transposed: deconv != nil, src: [n, c, h, w], dst: [n, m] + outSpatial, weightDims: weightDims,
                                            weightLayout: layout, weightData: wp, bias: pb.baseAddress, window: window, postOps: postOps ?? [],
                                            accumulate: residual)
                    }
                }
                return try DNNLConvolution(transposed: deconv != nil, src: [n, c, h, w], dst: [n, m] + outSpatial, weightDims: weightDims,
                                           weightLayout: layout, weightData: wp, bias: nil, window: window, postOps: postOps ?? [],
                                           accumulate: residual)
            }
            return .dnnl(primitive, outShape: [n] + outSpatial + [m])
        } catch is DNNLError {
            return .openblas
        }
    }
}

/// MaxPool and AveragePool (2-D) on NHWC: `NHWCPool`, made once per input shape.
/// `@unchecked Sendable`: as for `NHWCConvolutionKernel` (`cache` under `lock`).
final class NHWCPoolKernel: Kernel, @unchecked Sendable {
    private let inner: PoolKernel
    private let lock = NSLock()
    private var cache: [[Int]: NHWCPool] = [:]

    init(inner: PoolKernel) throws {
        guard inner.kernelShape.count == 2 else { throw ONNXError.invalidModel("NHWC pooling is 2-D (layout planning error)") }
        self.inner = inner
    }

    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard x.isFloat, x.rank == 4 else { throw ONNXError.badInput("pool (NHWC) needs a 4-D float input, got \(x.shape)") }
        return [try pool(forNHWC: x.shape).run(x)]
    }

    private func pool(forNHWC shape: [Int]) throws -> NHWCPool {
        lock.lock(); defer { lock.unlock() }
        if let p = cache[shape] { return p }
        var geo = try WindowGeometry(attrs: inner.attrs, kernel: inner.kernelShape)
        let out = try geo.outputSize(input: [shape[1], shape[2]], ceilMode: inner.ceilMode)
        let p = NHWCPool(isMax: inner.isMax, countIncludePad: inner.countIncludePad,
                         kernel: (inner.kernelShape[0], inner.kernelShape[1]), strides: (geo.strides[0], geo.strides[1]),
                         dilations: (geo.dilations[0], geo.dilations[1]), padsBegin: (geo.padsBegin[0], geo.padsBegin[1]),
                         padsEnd: (geo.padsEnd[0], geo.padsEnd[1]), output: (out[0], out[1]))
        cache[shape] = p
        return p
    }
}
