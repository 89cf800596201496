import Foundation

/// Softmax and LogSoftmax. Opset ≥ 13 normalises along `axis` (default -1); earlier opsets
/// flatten to 2-D at `axis` (default 1) and normalise each row.
func softmaxKernel(log: Bool, attrs: NodeAttributes) throws -> Kernel {
    let legacy = attrs.opset < 13
    let axisAttr = try attrs.int("axis", legacy ? 1 : -1)
    return ClosureKernel { inputs in
        let x = try inputs.take(0)
        guard x.isFloat else { throw ONNXError.badInput("Softmax supports float tensors only") }
        if x.count == 0 { return [x] }
        let axis = try normalizeAxis(axisAttr, rank: x.rank)
        let outer: Int, len: Int, inner: Int
        if legacy {
            outer = x.shape[..<axis].reduce(1, *); len = x.shape[axis...].reduce(1, *); inner = 1
        } else {
            outer = x.shape[..<axis].reduce(1, *); len = x.rank == 0 ? 1 : x.shape[axis]; inner = x.shape[(axis + 1)...].reduce(1, *)
        }
        var y = x.floats
        y.withUnsafeMutableBufferPointer { p in
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * len * inner + i
                    var mx = -Float.infinity
                    for j in 0..<len { mx = Swift.max(mx, p[base + j * inner]) }
                    var sum: Float = 0
                    for j in 0..<len { let e = Foundation.exp(p[base + j * inner] - mx); sum += e; if !log { p[base + j * inner] = e } }
                    if log {
                        let ls = Foundation.log(sum)
                        for j in 0..<len { p[base + j * inner] = p[base + j * inner] - mx - ls }
                    } else {
                        let inv = 1 / sum
                        for j in 0..<len { p[base + j * inner] *= inv }
                    }
                }
            }
        }
        return [Tensor(validShape: x.shape, floats: y)]
    }
}
