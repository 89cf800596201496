import Foundation
/// Conv: N-D convolution with groups, dilations, pads, auto_pad and strides.
///
/// Strategy (per batch item and group): im2col into a scratch matrix, then one
/// `cblas_sgemm` of the weights [M/g × C/g·K] by the columns [C/g·K × outSpatial].
/// Fast paths: 1×1 stride-1 unpadded convolutions skip im2col (the input already is the
/// column matrix); depthwise 2-D convolutions (group == C == M) use a direct loop.
/// Bias and a fused activation (set by the graph optimiser) are applied in one pass after
/// the GEMM, while the output is still in cache.
final class ConvKernel: Kernel {
    let kernelShapeAttr: [Int]?
    let group: Int
    let attrs: NodeAttributes
    var geometryTemplate: (strides: [Int]?, dilations: [Int]?, pads: [Int]?, autoPad: String)
    /// Activation fused into the epilogue by `GraphOptimizer`.
    var activation: UnaryOp = .identity
    /// oneDNN backend, 3-D, constant weights (`IRNode.planarDNNL`): a oneDNN primitive per input
    /// shape on the NCDHW buffers, ~10× faster than the N-D im2col; a shape oneDNN refuses (nil)
    /// falls back to im2col.
    var planarDNNL = false
    private let primitivesLock = NSLock()
    private var primitives: [[Int]: DNNLConvolution?] = [:]

    init(attrs: NodeAttributes) throws {
        self.attrs = attrs
        kernelShapeAttr = try attrs.ints("kernel_shape")
        group = try attrs.int("group", 1)
        guard group >= 1 else { throw attrs.invalid("group must be ≥ 1") }
        geometryTemplate = (try attrs.ints("strides"), try attrs.ints("dilations"), try attrs.ints("pads"),
                            try attrs.string("auto_pad", "NOTSET"))
        if !["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"].contains(geometryTemplate.autoPad) {
            throw attrs.unsupported("auto_pad '\(geometryTemplate.autoPad)'")
        }
    }

    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0), w = try inputs.required(1)
        let b = inputs.optional(2)
        guard x.isFloat, w.isFloat else { throw ONNXError.badInput("Conv supports float tensors only") }
        guard x.rank >= 3, w.rank == x.rank else {
            throw ONNXError.badInput("Conv input rank \(x.rank) and weight rank \(w.rank) do not match (expect N×C×spatial)")
        }
        let nd = x.rank - 2
        let n = x.shape[0], c = x.shape[1], m = w.shape[0]
        let kernel = Array(w.shape[2...])
        if let ks = kernelShapeAttr, ks != kernel { throw ONNXError.badInput("kernel_shape \(ks) does not match weights \(kernel)") }
        guard c % group == 0, m % group == 0, w.shape[1] == c / group else {
            throw ONNXError.badInput("Conv channels: input \(c), weights \(w.shape), group \(group) are inconsistent")
        }
        if let b, b.count != m { throw ONNXError.badInput("Conv bias has \(b.count) values for \(m) output channels") }
        var geo = try geometry(nd: nd, kernel: kernel)
        let inSpatial = Array(x.shape[2...])
        let outSpatial = try geo.outputSize(input: inSpatial)
        let outShape = [n, m] + outSpatial
        let outCount = try checkedCount(outShape)
        if planarDNNL, nd == 3, group == 1, let primitive = planarPrimitive(x.shape, outShape, w, b, geo) {
            return [try primitive.runPlanar(x, outShape: outShape, count: outCount, activation: activation)]
        }
        let isDepthwiseEarly = nd == 2 && group == c && m == c && c / group == 1
        // GEMM with beta 0 overwrites every output; only the depthwise loop accumulates.
        var y = isDepthwiseEarly ? [Float](repeating: 0, count: outCount) : uninitializedFloats(outCount)
        let cg = c / group, mg = m / group
        let kProd = kernel.reduce(1, *)
        let inPlane = inSpatial.reduce(1, *), outPlane = outSpatial.reduce(1, *)
        let colRows = cg * kProd
        let isPointwise = kProd == 1 && geo.strides.allSatisfy { $0 == 1 } &&
            geo.padsBegin.allSatisfy { $0 == 0 } && geo.padsEnd.allSatisfy { $0 == 0 }
        let isDepthwise = nd == 2 && group == c && m == c && cg == 1
        x.floats.withUnsafeBufferPointer { px in
            w.floats.withUnsafeBufferPointer { pw in
                y.withUnsafeMutableBufferPointer { py in
                    if isDepthwise {
                        depthwise2D(px.baseAddress!, pw.baseAddress!, py.baseAddress!, n: n, c: c,
                                    inH: inSpatial[0], inW: inSpatial[1], outH: outSpatial[0], outW: outSpatial[1],
                                    kH: kernel[0], kW: kernel[1], geo: geo)
                        return
                    }
                    // 2-D im2col works on bands of output rows sized to stay in cache (~1 MiB of
                    // columns), GEMM-ing each band straight into its slice of the output.
                    let bandRows = nd == 2 ? Swift.max(1, Swift.min(outSpatial[0], (1 << 18) / Swift.max(1, colRows * outSpatial[1]))) : 0
                    let colCount = isPointwise ? 0 : (nd == 2 ? colRows * bandRows * outSpatial[1] : colRows * outPlane)
                    var col = isPointwise ? [] : ScratchPool.shared.take(colCount)
                    defer { if !isPointwise { ScratchPool.shared.give(col) } }
                    col.withUnsafeMutableBufferPointer { pc in
                        for bi in 0..<n {
                            for g in 0..<group {
                                let xg = px.baseAddress! + (bi * c + g * cg) * inPlane
                                let yg = py.baseAddress! + (bi * m + g * mg) * outPlane
                                let wg = pw.baseAddress! + g * mg * colRows
                                let colPtr: UnsafePointer<Float>
                                if isPointwise {
                                    colPtr = UnsafePointer(xg)
                                } else {
                                    if nd == 2 {
                                        let outW = outSpatial[1]
                                        var oh0 = 0
                                        while oh0 < outSpatial[0] {
                                            let rows = Swift.min(bandRows, outSpatial[0] - oh0)
                                            im2col2D(xg, pc.baseAddress!, channels: cg, inH: inSpatial[0], inW: inSpatial[1],
                                                     outH: outSpatial[0], outW: outW, kH: kernel[0], kW: kernel[1], geo: geo, dimOffset: 0,
                                                     rowStart: oh0, rowCount: rows)
                                            sgemm(m: mg, n: rows * outW, k: colRows, a: wg, lda: colRows, b: pc.baseAddress!, ldb: rows * outW,
                                                  c: yg + oh0 * outW, ldc: outPlane)
                                            oh0 += rows
                                        }
                                        continue
                                    } else if nd == 1 {
                                        im2col2D(xg, pc.baseAddress!, channels: cg, inH: 1, inW: inSpatial[0],
                                                 outH: 1, outW: outSpatial[0], kH: 1, kW: kernel[0], geo: geo, dimOffset: -1)
                                    } else {
                                        im2colND(xg, pc.baseAddress!, channels: cg, inSpatial: inSpatial, outSpatial: outSpatial,
                                                 kernel: kernel, geo: geo)
                                    }
                                    colPtr = UnsafePointer(pc.baseAddress!)
                                }
                                sgemm(m: mg, n: outPlane, k: colRows, a: wg, lda: colRows, b: colPtr, ldb: outPlane,
                                      c: yg, ldc: outPlane)
                            }
                        }
                    }
                }
            }
        }
        applyEpilogue(&y, bias: b?.floats, channels: m, batch: n, plane: outPlane, activation: activation)
        return [Tensor(validShape: outShape, floats: y)]
    }

    /// The oneDNN primitive for this input shape (made once, weights reordered once), or nil.
    private func planarPrimitive(_ src: [Int], _ dst: [Int], _ w: Tensor, _ b: Tensor?, _ geo: WindowGeometry) -> DNNLConvolution? {
        primitivesLock.lock(); defer { primitivesLock.unlock() }
        if let cached = primitives[src] { return cached }
        let made: DNNLConvolution? = w.floats.withUnsafeBufferPointer { pw in
            let make = { (pb: UnsafePointer<Float>?) in
                try? DNNLConvolution(transposed: false, src: src, dst: dst, weightDims: w.shape, weightLayout: .oidhw,
                                     weightData: pw.baseAddress!, bias: pb,
                                     window: DNNLWindow(strides: geo.strides, dilations: geo.dilations, padsBegin: geo.padsBegin, padsEnd: geo.padsEnd),
                                     postOps: DNNL.postOps(for: self.activation) ?? [], planar: true)
            }
            guard let b else { return make(nil) }
            return b.floats.withUnsafeBufferPointer { make($0.baseAddress!) }
        }
        primitives[src] = made
        return made
    }

    func geometry(nd: Int, kernel: [Int]) throws -> WindowGeometry {
        // Rebuild from the stored attribute values (already validated for presence/types).
        var g = try WindowGeometry(attrs: attrs, kernel: kernel)
        _ = g.autoPad
        g.autoPad = geometryTemplate.autoPad
        return g
    }
}

/// out[ch] += bias[ch], then activation, over an N×C×plane buffer.
func applyEpilogue(_ y: inout [Float], bias: [Float]?, channels: Int, batch: Int, plane: Int, activation: UnaryOp) {
    let hasAct: Bool
    if case .identity = activation { hasAct = false } else { hasAct = true }
    if bias == nil && !hasAct { return }
    y.withUnsafeMutableBufferPointer { py in
        for bi in 0..<batch {
            for ch in 0..<channels {
                let base = (bi * channels + ch) * plane
                let seg = UnsafeMutableBufferPointer(rebasing: py[base..<(base + plane)])
                if let bias {
                    let bv = bias[ch]
                    for i in 0..<plane { seg[i] += bv }
                }
                if hasAct { activation.apply(to: seg) }
            }
        }
    }
}

/// im2col for 2-D (and 1-D as H=1). Rows are (channel, kh, kw); columns are output positions.
/// `dimOffset` -1 means the geometry arrays describe a single (width) dimension.
/// `rowStart`/`rowCount` restrict it to a band of output rows (columns = band positions).
@inline(__always)
func im2col2D(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, channels: Int,
              inH: Int, inW: Int, outH: Int, outW: Int, kH: Int, kW: Int, geo: WindowGeometry, dimOffset: Int,
              rowStart: Int = 0, rowCount: Int? = nil) {
    let one = dimOffset == -1
    let sh = one ? 1 : geo.strides[0], sw = one ? geo.strides[0] : geo.strides[1]
    let dh = one ? 1 : geo.dilations[0], dw = one ? geo.dilations[0] : geo.dilations[1]
    let ph = one ? 0 : geo.padsBegin[0], pw = one ? geo.padsBegin[0] : geo.padsBegin[1]
    let bandRows = rowCount ?? outH
    let outPlane = bandRows * outW
    var row = 0
    for ch in 0..<channels {
        let xc = x + ch * inH * inW
        for kh in 0..<kH {
            for kw in 0..<kW {
                let dst = col + row * outPlane
                let kwOff = kw * dw - pw
                // Output columns whose input column is inside the image.
                var owLo = 0
                if kwOff < 0 { owLo = (-kwOff + sw - 1) / sw }
                var owHi = outW
                if inW - kwOff <= 0 { owHi = 0 } else { owHi = Swift.min(outW, (inW - 1 - kwOff) / sw + 1) }
                if owLo > owHi { owLo = owHi }
                for r in 0..<bandRows {
                    let oh = rowStart + r
                    let ih = oh * sh - ph + kh * dh
                    let d = dst + r * outW
                    if ih < 0 || ih >= inH {
                        for ow in 0..<outW { d[ow] = 0 }
                        continue
                    }
                    let src = xc + ih * inW + kwOff
                    for ow in 0..<owLo { d[ow] = 0 }
                    if sw == 1 {
                        if owHi > owLo { (d + owLo).update(from: src + owLo, count: owHi - owLo) }
                    } else {
                        for ow in owLo..<owHi { d[ow] = src[ow * sw] }
                    }
                    for ow in owHi..<outW { d[ow] = 0 }
                }
                row += 1
            }
        }
    }
}

/// Generic N-D im2col (3-D and beyond). Slower index arithmetic, same layout as `im2col2D`.
func im2colND(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, channels: Int,
              inSpatial: [Int], outSpatial: [Int], kernel: [Int], geo: WindowGeometry) {
    let nd = kernel.count
    let inPlane = inSpatial.reduce(1, *), outPlane = outSpatial.reduce(1, *), kProd = kernel.reduce(1, *)
    let inStr = strides(of: inSpatial)
    var kIdx = [Int](repeating: 0, count: nd), oIdx = [Int](repeating: 0, count: nd)
    for ch in 0..<channels {
        for k in 0..<kProd {
            var r = k
            for d in stride(from: nd - 1, through: 0, by: -1) { kIdx[d] = r % kernel[d]; r /= kernel[d] }
            let dst = col + (ch * kProd + k) * outPlane
            for o in 0..<outPlane {
                var q = o
                for d in stride(from: nd - 1, through: 0, by: -1) { oIdx[d] = q % outSpatial[d]; q /= outSpatial[d] }
                var off = 0, inside = true
                for d in 0..<nd {
                    let i = oIdx[d] * geo.strides[d] - geo.padsBegin[d] + kIdx[d] * geo.dilations[d]
                    if i < 0 || i >= inSpatial[d] { inside = false; break }
                    off += i * inStr[d]
                }
                dst[o] = inside ? x[ch * inPlane + off] : 0
            }
        }
    }
}

/// Depthwise 2-D convolution, one filter per channel, accumulated row by row.
func depthwise2D(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                 n: Int, c: Int, inH: Int, inW: Int, outH: Int, outW: Int, kH: Int, kW: Int, geo: WindowGeometry) {
    let sh = geo.strides[0], sw = geo.strides[1], dh = geo.dilations[0], dw = geo.dilations[1]
    let ph = geo.padsBegin[0], pw = geo.padsBegin[1]
    for bi in 0..<n {
        for ch in 0..<c {
            let xc = x + (bi * c + ch) * inH * inW
            let yc = y + (bi * c + ch) * outH * outW
            let wc = w + ch * kH * kW
            for kh in 0..<kH {
                for kw in 0..<kW {
                    let wv = wc[kh * kW + kw]
                    let kwOff = kw * dw - pw
                    var owLo = 0
                    if kwOff < 0 { owLo = (-kwOff + sw - 1) / sw }
                    let owHi = inW - kwOff <= 0 ? 0 : Swift.min(outW, (inW - 1 - kwOff) / sw + 1)
                    if owLo >= owHi { continue }
                    for oh in 0..<outH {
                        let ih = oh * sh - ph + kh * dh
                        if ih < 0 || ih >= inH { continue }
                        let src = xc + ih * inW + kwOff
                        let dst = yc + oh * outW
                        if sw == 1 {
                            for ow in owLo..<owHi { dst[ow] += wv * src[ow] }
                        } else {
                            for ow in owLo..<owHi { dst[ow] += wv * src[ow * sw] }
                        }
                    }
                }
            }
        }
    }
}
