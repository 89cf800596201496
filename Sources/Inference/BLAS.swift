import COpenBLAS

/// The one place Inference calls OpenBLAS. Row-major single-precision GEMM:
/// C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C.
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
           alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
           b: UnsafePointer<Float>, ldb: Int,
           beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
        return
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// Sets the inference thread budget: OpenBLAS's thread count and oneDNN's OpenMP pool alike
/// (only one of them computes at a time, so the budget is never exceeded).
public func setInferenceThreads(_ n: Int) {
    openblas_set_num_threads(Int32(Swift.max(1, n)))
    ParallelChunks.threads = Swift.max(1, n)
    if DNNL.isAvailable { DNNL.setThreads(n) }
}
