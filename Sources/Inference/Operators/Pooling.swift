/// MaxPool / AveragePool (1-D to 3-D) and the global pools.
///
/// Lower-rank pools are lifted to 3-D with unit dimensions so a single loop nest serves all.
final class PoolKernel: Kernel {
    let isMax: Bool
    let attrs: NodeAttributes
    let kernelShape: [Int]
    let ceilMode: Bool
    let countIncludePad: Bool

    init(isMax: Bool, attrs: NodeAttributes) throws {
        self.isMax = isMax
        self.attrs = attrs
        guard let ks = try attrs.ints("kernel_shape"), !ks.isEmpty, ks.count <= 3 else {
            throw attrs.unsupported("kernel_shape must be given for 1 to 3 spatial dims")
        }
        kernelShape = ks
        ceilMode = try attrs.int("ceil_mode", 0) != 0
        countIncludePad = isMax ? false : try attrs.int("count_include_pad", 0) != 0
        if isMax {
            let order = try attrs.int("storage_order", 0)
            _ = order // only affects the Indices output, which we reject below
        }
        _ = try WindowGeometry(attrs: attrs, kernel: ks) // validates now
    }

    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        let x0 = try inputs.required(0)
        let nd = kernelShape.count
        guard x0.rank == nd + 2 else { throw ONNXError.badInput("pool input rank \(x0.rank) does not match kernel rank \(nd)") }
        let x = x0.isFloat ? x0 : Tensor(validShape: x0.shape, floats: x0.floatValues)
        var geo = try WindowGeometry(attrs: attrs, kernel: kernelShape)
        let inSp = Array(x.shape[2...])
        let outSp = try geo.outputSize(input: inSp, ceilMode: ceilMode)
        let nc = x.shape[0] * x.shape[1]
        // Lift to 3-D.
        let lift = 3 - nd
        func l(_ a: [Int], _ fill: Int) -> [Int] { [Int](repeating: fill, count: lift) + a }
        let iS = l(inSp, 1), oS = l(outSp, 1), k = l(kernelShape, 1), s = l(geo.strides, 1), d = l(geo.dilations, 1)
        let pb = l(geo.padsBegin, 0), pe = l(geo.padsEnd, 0)
        let outShape = Array(x.shape[0..<2]) + outSp
        var y = uninitializedFloats(try checkedCount(outShape))
        let inPlane = iS[0] * iS[1] * iS[2], outPlane = oS[0] * oS[1] * oS[2]
        x.floats.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                for p in 0..<nc {
                    let xp = px.baseAddress! + p * inPlane
                    let yp = py.baseAddress! + p * outPlane
                    var oi = 0
                    for o0 in 0..<oS[0] {
                        let s0 = o0 * s[0] - pb[0]
                        for o1 in 0..<oS[1] {
                            let s1 = o1 * s[1] - pb[1]
                            for o2 in 0..<oS[2] {
                                let s2 = o2 * s[2] - pb[2]
                                var acc: Float = isMax ? -.infinity : 0
                                var valid = 0, padded = 0
                                for k0 in 0..<k[0] {
                                    let i0 = s0 + k0 * d[0]
                                    let in0 = i0 >= 0 && i0 < iS[0]
                                    let pad0 = i0 >= -pb[0] && i0 < iS[0] + pe[0]
                                    for k1 in 0..<k[1] {
                                        let i1 = s1 + k1 * d[1]
                                        let in1 = in0 && i1 >= 0 && i1 < iS[1]
                                        let pad1 = pad0 && i1 >= -pb[1] && i1 < iS[1] + pe[1]
                                        let rowBase = (i0 * iS[1] + i1) * iS[2]
                                        for k2 in 0..<k[2] {
                                            let i2 = s2 + k2 * d[2]
                                            if in1 && i2 >= 0 && i2 < iS[2] {
                                                let v = xp[rowBase + i2]
                                                if isMax { if v > acc || v.isNaN { acc = v } } else { acc += v }
                                                valid += 1
                                                padded += 1
                                            } else if pad1 && i2 >= -pb[2] && i2 < iS[2] + pe[2] {
                                                padded += 1
                                            }
                                        }
                                    }
                                }
                                if !isMax {
                                    let div = countIncludePad ? padded : valid
                                    acc = div > 0 ? acc / Float(div) : 0
                                }
                                yp[oi] = acc
                                oi += 1
                            }
                        }
                    }
                }
            }
        }
        if !x0.isFloat {
            return [Tensor(validShape: outShape, ints: y.map { Int64($0) }, type: x0.dataType)]
        }
        return [Tensor(validShape: outShape, floats: y)]
    }
}

/// GlobalAveragePool / GlobalMaxPool: one value per (batch, channel).
func globalPoolKernel(isMax: Bool) -> Kernel {
    ClosureKernel { inputs in
        let x = try inputs.required(0)
        guard x.isFloat, x.rank >= 2 else { throw ONNXError.badInput("global pool needs a float N×C×… tensor") }
        let nc = x.shape[0] * x.shape[1]
        let plane = x.shape[2...].reduce(1, *)
        var y = [Float](repeating: 0, count: nc)
        x.floats.withUnsafeBufferPointer { px in
            for p in 0..<nc {
                let base = p * plane
                if isMax {
                    var m = -Float.infinity
                    for i in 0..<plane { let v = px[base + i]; if v > m || v.isNaN { m = v } }
                    y[p] = m
                } else {
                    var s: Float = 0
                    for i in 0..<plane { s += px[base + i] }
                    y[p] = plane > 0 ? s / Float(plane) : 0
                }
            }
        }
        return [Tensor(validShape: Array(x.shape[0..<2]) + [Int](repeating: 1, count: x.rank - 2), floats: y)]
    }
}
