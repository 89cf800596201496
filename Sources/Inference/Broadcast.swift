/// Numpy-style multidirectional broadcasting.
///
/// `BroadcastPlan` computes the output shape and, for each operand, element strides over the
/// output's dimensions (0 where the operand is broadcast). `forEachRow` walks the output in
/// rows of the innermost dimension so the hot loop is a tight strided loop with no index math.
struct BroadcastPlan {
    let shape: [Int]
    let count: Int
    let operandStrides: [[Int]]

    init(_ shapes: [[Int]]) throws {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            let off = rank - s.count
            for (i, d) in s.enumerated() {
                let j = i + off
                if out[j] == d || d == 1 { continue }
                if out[j] == 1 { out[j] = d; continue }
                throw ONNXError.badInput("shapes \(shapes.map { "\($0)" }.joined(separator: " and ")) do not broadcast")
            }
        }
        shape = out
        count = try checkedCount(out)
        operandStrides = shapes.map { s in
            let off = rank - s.count
            let st = strides(of: s)
            return (0..<rank).map { j in j < off || s[j - off] == 1 ? 0 : st[j - off] }
        }
    }

    /// Calls `body(outOffset, operandOffsets, rowLength, operandInnerStrides)` for each innermost row.
    @inline(__always)
    func forEachRow(_ body: (Int, [Int], Int, [Int]) -> Void) {
        let rank = shape.count
        if count == 0 { return }
        if rank == 0 { body(0, operandStrides.map { _ in 0 }, 1, operandStrides.map { _ in 0 }); return }
        let inner = shape[rank - 1]
        let innerStrides = operandStrides.map { $0[rank - 1] }
        let rows = count / Swift.max(inner, 1)
        var idx = [Int](repeating: 0, count: rank)
        var offs = [Int](repeating: 0, count: operandStrides.count)
        for r in 0..<rows {
            body(r * inner, offs, inner, innerStrides)
            // increment the multi-index over dims 0..<rank-1
            var d = rank - 2
            while d >= 0 {
                idx[d] += 1
                for k in 0..<offs.count { offs[k] += operandStrides[k][d] }
                if idx[d] < shape[d] { break }
                for k in 0..<offs.count { offs[k] -= operandStrides[k][d] * shape[d] }
                idx[d] = 0
                d -= 1
            }
        }
    }
}

/// Broadcasts a tensor to `shape` (used by Expand and by ops that need materialised operands).
func broadcast(_ t: Tensor, to shape: [Int]) throws -> Tensor {
    if t.shape == shape { return t }
    let plan = try BroadcastPlan([shape, t.shape])
    guard plan.shape == shape else { throw ONNXError.badInput("cannot broadcast \(t.shape) to \(shape)") }
    var out = Tensor.like(t.dataType, shape: shape)
    if t.isFloat {
        t.floats.withUnsafeBufferPointer { src in
            out.floats.withUnsafeMutableBufferPointer { dst in
                plan.forEachRow { o, offs, n, st in
                    let s = st[1], b = offs[1]
                    for i in 0..<n { dst[o + i] = src[b + i * s] }
                }
            }
        }
    } else {
        t.ints.withUnsafeBufferPointer { src in
            out.ints.withUnsafeMutableBufferPointer { dst in
                plan.forEachRow { o, offs, n, st in
                    let s = st[1], b = offs[1]
                    for i in 0..<n { dst[o + i] = src[b + i * s] }
                }
            }
        }
    }
    return out
}
