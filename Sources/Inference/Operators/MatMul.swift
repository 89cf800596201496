/// Gemm and MatMul on `cblas_sgemm`.
final class GemmKernel: Kernel {
    let alpha: Float, beta: Float, transA: Bool, transB: Bool
    /// Activation fused by the optimiser (e.g. Gemm→Relu in classifier heads).
    var activation: UnaryOp = .identity

    init(attrs: NodeAttributes) throws {
        alpha = try attrs.float("alpha", 1)
        beta = try attrs.float("beta", 1)
        transA = try attrs.int("transA", 0) != 0
        transB = try attrs.int("transB", 0) != 0
        if attrs.opset < 7, attrs.has("broadcast") { _ = try attrs.int("broadcast", 0) }
    }

    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        let a = try inputs.required(0), b = try inputs.required(1)
        guard a.isFloat, b.isFloat, a.rank == 2, b.rank == 2 else { throw ONNXError.badInput("Gemm needs two float matrices, got \(a.shape) and \(b.shape)") }
        let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
        let kb = transB ? b.shape[1] : b.shape[0], n = transB ? b.shape[0] : b.shape[1]
        guard k == kb else { throw ONNXError.badInput("Gemm inner dimensions \(k) and \(kb) differ") }
        var y: [Float]
        var betaUsed: Float = 0
        if let c = inputs.optional(2), beta != 0 {
            y = try broadcast(c.isFloat ? c : Tensor(validShape: c.shape, floats: c.floatValues), to: [m, n]).floats
            betaUsed = beta
        } else {
            y = [Float](repeating: 0, count: m * n)
        }
        a.floats.withUnsafeBufferPointer { pa in
            b.floats.withUnsafeBufferPointer { pb in
                y.withUnsafeMutableBufferPointer { py in
                    sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: a.shape[1],
                          b: pb.baseAddress!, ldb: b.shape[1], beta: betaUsed, c: py.baseAddress!, ldc: n)
                    activation.apply(to: py)
                }
            }
        }
        return [Tensor(validShape: [m, n], floats: y)]
    }
}

/// MatMul with numpy semantics: 1-D operands are promoted, leading dims broadcast.
func matmulKernel() -> Kernel {
    ClosureKernel { inputs in
        let a0 = try inputs.required(0), b0 = try inputs.required(1)
        guard a0.isFloat, b0.isFloat else { throw ONNXError.badInput("MatMul supports float tensors only") }
        guard a0.rank >= 1, b0.rank >= 1 else { throw ONNXError.badInput("MatMul operands must have rank ≥ 1") }
        let a = a0.rank == 1 ? a0.reshaped([1, a0.shape[0]]) : a0
        let b = b0.rank == 1 ? b0.reshaped([b0.shape[0], 1]) : b0
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], kb = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
        guard k == kb else { throw ONNXError.badInput("MatMul inner dimensions differ: \(a0.shape) × \(b0.shape)") }
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
        let plan = try BroadcastPlan([aBatch, bBatch])
        var outShape = plan.shape + [m, n]
        var y = uninitializedFloats(try checkedCount(outShape))
        let batches = plan.count
        // Offsets of each batch's matrices.
        var aOff = [Int](), bOff = [Int]()
        aOff.reserveCapacity(batches); bOff.reserveCapacity(batches)
        plan.forEachRow { _, offs, len, st in
            for i in 0..<len { aOff.append(offs[0] + i * st[0]); bOff.append(offs[1] + i * st[1]) }
        }
        a.floats.withUnsafeBufferPointer { pa in
            b.floats.withUnsafeBufferPointer { pb in
                y.withUnsafeMutableBufferPointer { py in
                    if batches > 1 && bBatch.reduce(1, *) == 1 && aBatch.count > 0 {
                        // All A matrices share one B: a single tall GEMM.
                        sgemm(m: batches * m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                              c: py.baseAddress!, ldc: n)
                        return
                    }
                    for i in 0..<batches {
                        sgemm(m: m, n: n, k: k, a: pa.baseAddress! + aOff[i] * m * k, lda: k,
                              b: pb.baseAddress! + bOff[i] * k * n, ldb: n, c: py.baseAddress! + i * m * n, ldc: n)
                    }
                }
            }
        }
        if a0.rank == 1 { outShape.remove(at: outShape.count - 2) }
        if b0.rank == 1 { outShape.removeLast() }
        return [Tensor(validShape: outShape, floats: y)]
    }
}
