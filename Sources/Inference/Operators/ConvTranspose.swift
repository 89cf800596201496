import Foundation
import Synchronization
/// ConvTranspose (N-D): per batch item and group, a GEMM Wᵀ·X gives one column per input
/// position, then col2im scatters the columns into the (strided, dilated, cropped) output.
final class ConvTransposeKernel: Kernel {
    let attrs: NodeAttributes
    let group: Int
    let kernelShapeAttr: [Int]?
    let outputPaddingAttr: [Int]?
    let outputShapeAttr: [Int]?
    let stridesAttr: [Int]?, dilationsAttr: [Int]?, padsAttr: [Int]?
    let autoPad: String
    var activation: UnaryOp = .identity
    /// oneDNN backend, 3-D, constant weights (`IRNode.planarDNNL`): a oneDNN deconvolution per
    /// input shape on the NCDHW buffers, through the blocked layout it chooses. The GEMM + col2im
    /// below rebuilt an index table of kernel × input positions on every run and scattered through
    /// it: 200 of deepbet's 460 ms. A shape oneDNN refuses (nil) falls back to it.
    var planarDNNL = false
    private let primitivesLock = NSLock()
    private var primitives: [[Int]: DNNLConvolution?] = [:]
    /// How many oneDNN deconvolutions planar kernels have made in this process (tests: a refused
    /// shape falls back silently, with the same result).
    static var planarPrimitivesMade: Int { made.load(ordering: .relaxed) }
    private static let made = Atomic<Int>(0)

    init(attrs: NodeAttributes) throws {
        self.attrs = attrs
        group = try attrs.int("group", 1)
        kernelShapeAttr = try attrs.ints("kernel_shape")
        outputPaddingAttr = try attrs.ints("output_padding")
        outputShapeAttr = try attrs.ints("output_shape")
        stridesAttr = try attrs.ints("strides")
        dilationsAttr = try attrs.ints("dilations")
        padsAttr = try attrs.ints("pads")
        autoPad = try attrs.string("auto_pad", "NOTSET")
        guard group >= 1 else { throw attrs.invalid("group must be ≥ 1") }
        guard ["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"].contains(autoPad) else { throw attrs.unsupported("auto_pad '\(autoPad)'") }
    }

    /// Output spatial size and the effective pads (begin…, end…) for an input, resolving
    /// output_shape, output_padding and auto_pad. Shared with the NHWC (oneDNN) kernel.
    func outputGeometry(inSpatial: [Int], kernel: [Int]) throws -> (outSpatial: [Int], pads: [Int], strides: [Int], dilations: [Int]) {
        let nd = kernel.count
        guard inSpatial.count == nd else { throw ONNXError.badInput("ConvTranspose input rank does not match the kernel") }
        let st = stridesAttr ?? [Int](repeating: 1, count: nd)
        let dil = dilationsAttr ?? [Int](repeating: 1, count: nd)
        let outPad = outputPaddingAttr ?? [Int](repeating: 0, count: nd)
        var pads = padsAttr ?? [Int](repeating: 0, count: 2 * nd)
        guard st.count == nd, dil.count == nd, outPad.count == nd, pads.count == 2 * nd,
              st.allSatisfy({ $0 > 0 }), dil.allSatisfy({ $0 > 0 }) else { throw attrs.invalid("strides/dilations/pads/output_padding rank mismatch") }
        var outSpatial = [Int](repeating: 0, count: nd)
        var target: [Int]? = outputShapeAttr.map { $0.count == nd + 2 ? Array($0[2...]) : $0 }
        if target == nil && (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") { target = zip(inSpatial, st).map { $0 * $1 } }
        for d in 0..<nd {
            let ek = (kernel[d] - 1) * dil[d] + 1
            let full = st[d] * (inSpatial[d] - 1) + outPad[d] + ek
            if let target {
                guard target.count == nd else { throw attrs.invalid("output_shape rank mismatch") }
                let total = full - target[d]
                // Floor division, as the ONNX reference computes it (total may be negative).
                let half = total >= 0 ? total / 2 : -((-total + 1) / 2)
                if autoPad == "SAME_UPPER" { pads[d] = half; pads[d + nd] = total - half }
                else { pads[d] = total - half; pads[d + nd] = half }
                outSpatial[d] = target[d]
            } else {
                if autoPad == "VALID" { pads[d] = 0; pads[d + nd] = 0 }
                outSpatial[d] = full - pads[d] - pads[d + nd]
            }
            guard outSpatial[d] > 0 else { throw ONNXError.badInput("ConvTranspose output size is not positive") }
        }
        return (outSpatial, pads, st, dil)
    }

    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0), w = try inputs.required(1)
        let b = inputs.optional(2)
        guard x.isFloat, w.isFloat, x.rank >= 3, w.rank == x.rank else {
            throw ONNXError.badInput("ConvTranspose needs float N×C×spatial input and matching weights")
        }
        let nd = x.rank - 2
        let n = x.shape[0], c = x.shape[1]
        guard w.shape[0] == c, c % group == 0 else { throw ONNXError.badInput("ConvTranspose weights \(w.shape) do not match \(c) input channels") }
        let mg = w.shape[1], m = mg * group, cg = c / group
        let kernel = Array(w.shape[2...])
        if let ks = kernelShapeAttr, ks != kernel { throw ONNXError.badInput("kernel_shape \(ks) does not match weights \(kernel)") }
        let inSpatial = Array(x.shape[2...])
        let (outSpatial, pads, st, dil) = try outputGeometry(inSpatial: inSpatial, kernel: kernel)
        if let b, b.count != m { throw ONNXError.badInput("ConvTranspose bias has \(b.count) values for \(m) channels") }
        let outShape = [n, m] + outSpatial
        let outCount = try checkedCount(outShape)
        if planarDNNL, nd == 3, group == 1, let primitive = planarPrimitive(x.shape, outShape, w, b, pads: pads, strides: st, dilations: dil) {
            return [try primitive.runPlanar(x, outShape: outShape, count: outCount, activation: activation)]
        }
        let inPlane = inSpatial.reduce(1, *), outPlane = outSpatial.reduce(1, *), kProd = kernel.reduce(1, *)
        let colRows = mg * kProd
        var y = [Float](repeating: 0, count: outCount)
        var col = [Float](repeating: 0, count: colRows * inPlane)
        let outStr = strides(of: outSpatial)
        // Precompute, per kernel offset and input position, the output offset (or -1 when cropped).
        var target2: [Int] = []
        if nd != 2 {
            target2 = [Int](repeating: -1, count: kProd * inPlane)
            var kIdx = [Int](repeating: 0, count: nd), iIdx = [Int](repeating: 0, count: nd)
            for k in 0..<kProd {
                var r = k
                for d in stride(from: nd - 1, through: 0, by: -1) { kIdx[d] = r % kernel[d]; r /= kernel[d] }
                for i in 0..<inPlane {
                    var q = i
                    for d in stride(from: nd - 1, through: 0, by: -1) { iIdx[d] = q % inSpatial[d]; q /= inSpatial[d] }
                    var off = 0, inside = true
                    for d in 0..<nd {
                        let o = iIdx[d] * st[d] - pads[d] + kIdx[d] * dil[d]
                        if o < 0 || o >= outSpatial[d] { inside = false; break }
                        off += o * outStr[d]
                    }
                    target2[k * inPlane + i] = inside ? off : -1
                }
            }
        }
        x.floats.withUnsafeBufferPointer { px in
            w.floats.withUnsafeBufferPointer { pw in
                y.withUnsafeMutableBufferPointer { py in
                    col.withUnsafeMutableBufferPointer { pc in
                        for bi in 0..<n {
                            for g in 0..<group {
                                let xg = px.baseAddress! + (bi * c + g * cg) * inPlane
                                let wg = pw.baseAddress! + g * cg * colRows
                                sgemm(transA: true, m: colRows, n: inPlane, k: cg, a: wg, lda: colRows, b: xg, ldb: inPlane,
                                      c: pc.baseAddress!, ldc: inPlane)
                                let yg = py.baseAddress! + (bi * m + g * mg) * outPlane
                                for ch in 0..<mg {
                                    let yc = yg + ch * outPlane
                                    for k in 0..<kProd {
                                        let src = pc.baseAddress! + (ch * kProd + k) * inPlane
                                        if nd == 2 {
                                            let kh = k / kernel[1], kw = k % kernel[1]
                                            let inH = inSpatial[0], inW = inSpatial[1], oH = outSpatial[0], oW = outSpatial[1]
                                            for ih in 0..<inH {
                                                let oh = ih * st[0] - pads[0] + kh * dil[0]
                                                if oh < 0 || oh >= oH { continue }
                                                let row = yc + oh * oW
                                                let s = src + ih * inW
                                                for iw in 0..<inW {
                                                    let ow = iw * st[1] - pads[1] + kw * dil[1]
                                                    if ow >= 0 && ow < oW { row[ow] += s[iw] }
                                                }
                                            }
                                        } else {
                                            let t = k * inPlane
                                            for i in 0..<inPlane {
                                                let o = target2[t + i]
                                                if o >= 0 { yc[o] += src[i] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        applyEpilogue(&y, bias: b?.floats, channels: m, batch: n, plane: outPlane, activation: activation)
        return [Tensor(validShape: outShape, floats: y)]
    }

    /// The oneDNN deconvolution for this input shape (made once, weights reordered once), or nil
    /// when oneDNN refuses it or the pads crop (oneDNN's end pads must not be negative).
    private func planarPrimitive(_ src: [Int], _ dst: [Int], _ w: Tensor, _ b: Tensor?, pads: [Int], strides: [Int],
                                 dilations: [Int]) -> DNNLConvolution? {
        primitivesLock.lock(); defer { primitivesLock.unlock() }
        if let cached = primitives[src] { return cached }
        let nd = src.count - 2
        let kernel = Array(w.shape[2...])
        var padsEnd = [Int](repeating: 0, count: nd)
        for d in 0..<nd {
            // oneDNN's end pad is whatever makes its output size formula give ours.
            padsEnd[d] = (src[d + 2] - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - pads[d] - dst[d + 2]
        }
        var made: DNNLConvolution? = nil
        if padsEnd.allSatisfy({ $0 >= 0 }), pads[..<nd].allSatisfy({ $0 >= 0 }) {
            let window = DNNLWindow(strides: strides, dilations: dilations, padsBegin: Array(pads[..<nd]), padsEnd: padsEnd)
            made = w.floats.withUnsafeBufferPointer { pw in
                let make = { (pb: UnsafePointer<Float>?) -> DNNLConvolution? in
                    // oneDNN's logical weight dims are [out, in, k…]; `iodhw` says ONNX stores them [in, out, k…].
                    try? DNNLConvolution(transposed: true, src: src, dst: dst, weightDims: [w.shape[1], w.shape[0]] + kernel,
                                         weightLayout: .iodhw,
                                         weightData: pw.baseAddress!, bias: pb, window: window,
                                         postOps: DNNL.postOps(for: self.activation) ?? [], planar: true)
                }
                guard let b else { return make(nil) }
                return b.floats.withUnsafeBufferPointer { make($0.baseAddress!) }
            }
        }
        primitives[src] = made
        if made != nil { Self.made.add(1, ordering: .relaxed) }
        return made
    }
}
