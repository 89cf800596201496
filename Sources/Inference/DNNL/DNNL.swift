import CDNNL
import Foundation
import Synchronization

/// The one place Inference calls oneDNN (Debian libdnnl 2.6, OpenMP runtime).
///
/// Every call's status is checked and turned into a thrown `DNNLError`; callers above this file
/// see only Swift types: `DNNLConvolution` (convolution and deconvolution with a fused bias and
/// eltwise epilogue). Activations cross this boundary as channels-last (NHWC)
/// float32 buffers owned by Swift; oneDNN's JIT kernels pick their own weight layout, into which
/// the weights are reordered once, when the primitive is made.
enum DNNL {
    /// The CPU engine, or nil when oneDNN cannot start (then the OpenBLAS backend is used).
    /// `nonisolated(unsafe)`: an opaque C pointer, created once and never changed; oneDNN's CPU
    /// engine may be used from several threads at once.
    nonisolated(unsafe) static let engine: dnnl_engine_t? = {
        var e: dnnl_engine_t?
        guard dnnl_engine_create(&e, dnnl_cpu, 0) == dnnl_success else { return nil }
        return e
    }()

    static var isAvailable: Bool { engine != nil }

    /// Eltwise post-ops (algorithm, alpha, beta) in the order oneDNN applies them.
    typealias PostOps = [(alg: dnnl_alg_kind_t, alpha: Float, beta: Float)]

    /// How an ONNX weight buffer is laid out, in oneDNN's terms.
    enum WeightLayout {
        case oihw, goihw   // Conv: [M, C/g, kH, kW]
        case iohw, giohw   // ConvTranspose: [C, M/g, kH, kW]
        case oidhw         // 3-D Conv: [M, C, kD, kH, kW]
        case iodhw         // 3-D ConvTranspose: [C, M, kD, kH, kW]
        var tag: dnnl_format_tag_t {
            switch self {
            case .oihw: return dnnl_oihw; case .goihw: return dnnl_goihw; case .iohw: return dnnl_iohw; case .giohw: return dnnl_giohw
            case .oidhw: return dnnl_oidhw; case .iodhw: return dnnl_iodhw
            }
        }
    }

    /// oneDNN's thread budget (its OpenMP pool), 0 for OpenMP's default. Kept equal to
    /// OpenBLAS's so that the two libraries never ask for more cores than the caller granted.
    /// OpenMP keeps the count per calling thread, so it is applied before every primitive runs
    /// (inference runs on whichever pool thread picks up the task).
    static var threads: Int {
        get { budget.load(ordering: .relaxed) }
        set { budget.store(newValue, ordering: .relaxed) }
    }
    private static let budget = Atomic<Int>(0)

    static func setThreads(_ n: Int) {
        threads = Swift.max(1, n)
        omp_set_num_threads(Int32(threads))
    }

    /// Work (multiply-adds) below which a primitive runs on one thread.
    /// A oneDNN primitive made while OpenMP allows one thread runs inline, without a parallel
    /// region. On a loaded machine each join can wait a whole scheduler slice for a descheduled
    /// worker. Measured at 2 threads, load 2.2–2.4, interleaved with onnxruntime: the head CT
    /// model (layers of 4–19 M MACs) ran at 1.5–2.3× onnxruntime's time with a 2²³ threshold and
    /// 0.87–0.88× with 2²⁶; the 256² LDCT model was the same (0.88–0.92×) with either.
    /// `LIGHTBOX_DNNL_PARALLEL_WORK` overrides it (for tuning on another machine).
    static let parallelWorkThreshold: Int = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_PARALLEL_WORK"], let n = Int(v), n >= 0 { return n }
        return 1 << 26
    }()

    /// The thread count for a primitive of `work` units within the budget.
    static func threadsFor(work: Int) -> Int {
        work < parallelWorkThreshold ? 1 : Swift.max(1, budgetThreads)
    }

    /// The budget in threads: the one set, else OpenMP's default for this thread.
    static var budgetThreads: Int { threads > 0 ? threads : Int(omp_get_max_threads()) }

    /// Runs `body` with OpenMP's thread count for this thread set to `n` (restored after).
    /// oneDNN sizes a primitive's work split when it is made, from this count.
    static func withThreads<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
        let previous = omp_get_max_threads()
        if previous != Int32(n) { omp_set_num_threads(Int32(n)) }
        defer { if previous != Int32(n) { omp_set_num_threads(previous) } }
        return try body()
    }

    @inline(__always)
    static func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) throws {
        guard status == dnnl_success else { throw DNNLError(call: call(), status: Int(status.rawValue)) }
    }

    static func engineOrThrow() throws -> dnnl_engine_t {
        guard let e = engine else { throw DNNLError(call: "dnnl_engine_create", status: -1) }
        return e
    }

    /// A plain memory descriptor (`tag` e.g. `dnnl_nhwc`) or one left to the primitive (`dnnl_format_tag_any`).
    static func descriptor(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        let d = dims.map { Int64($0) }
        try check(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, dnnl_f32, tag), "dnnl_memory_desc_init_by_tag \(dims)")
        return md
    }

    /// Row-major C[m×n] = A[m×k] · B[k×n] with oneDNN's GEMM.
    /// Used instead of OpenBLAS inside the NHWC region: OpenBLAS's own worker threads busy-wait
    /// for a long while after each call, and on 2 cores they took the core oneDNN's next
    /// primitive needed. From `DNNLBandedConvolution.minimumWork` multiply-adds on, the rows of A
    /// and C are split into chunks that the inference threads claim (`ChunkTeam`), each a
    /// single-thread GEMM, for the reason given there; a batch too small to split runs on
    /// OpenMP's threads when above `parallelWorkThreshold`.
    static func sgemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      c: UnsafeMutablePointer<Float>, ldc: Int) throws {
        if m == 0 || n == 0 { return }
        let work = m * n * k, threads = budgetThreads
        if threads >= 2, work >= DNNLBandedConvolution.minimumWork, m >= 2 * threads {
            let failure = Mutex<Error?>(nil)
            // Each chunk reads its own rows of A and writes its own rows of C.
            nonisolated(unsafe) let (a, b, c) = (a, b, c)
            ChunkTeam.forEach(count: m, parts: threads * DNNLBandedConvolution.bandsPerThread, minimum: 2, threads: threads) { rows in
                do {
                    try withThreads(1) {
                        try gemm(m: rows.count, n: n, k: k, a: a + rows.lowerBound * lda, lda: lda, b: b, ldb: ldb,
                                 c: c + rows.lowerBound * ldc, ldc: ldc)
                    }
                } catch { failure.withLock { $0 = $0 ?? error } }
            }
            if let error = failure.withLock({ $0 }) { throw error }
            return
        }
        try withThreads(threadsFor(work: work)) { try gemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc) }
    }

    private static func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int) throws {
        try check(dnnl_sgemm(CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), Int64(m), Int64(n), Int64(k), 1, a, Int64(lda),
                             b, Int64(ldb), 0, c, Int64(ldc)), "dnnl_sgemm")
    }

    /// The scratch memory a primitive needs per execution (user scratchpad mode).
    struct Scratchpad {
        let desc: dnnl_memory_desc_t
        let bytes: Int

        /// nil when the primitive needs none.
        init?(_ pd: dnnl_primitive_desc_t) {
            guard let md = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0) else { return nil }
            var d = md.pointee
            let size = dnnl_memory_desc_get_size(&d)
            guard size > 0 else { return nil }
            desc = d
            bytes = Int(size)
        }
    }

    /// Runs `primitive` once on a fresh stream, binding Swift-owned buffers to the argument slots.
    /// Memory objects wrap the caller's pointers (no copies) and die with the call.
    /// `threads` must be the count the primitive was made with (`withThreads`). A scratchpad, when
    /// given, is allocated for this call only.
    static func execute(_ primitive: dnnl_primitive_t, _ bindings: [(arg: Int32, desc: dnnl_memory_desc_t, data: UnsafeMutableRawPointer)],
                        owned: [(arg: Int32, memory: dnnl_memory_t)] = [], threads: Int = 1, scratchpad: Scratchpad? = nil) throws {
        if let scratchpad {
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: scratchpad.bytes, alignment: 64)
            defer { buffer.deallocate() }
            try execute(primitive, bindings + [(Int32(DNNL_ARG_SCRATCHPAD), scratchpad.desc, buffer)], owned: owned, threads: threads)
            return
        }
        let eng = try engineOrThrow()
        if omp_get_max_threads() != Int32(threads) { omp_set_num_threads(Int32(threads)) }
        var stream: dnnl_stream_t?
        try check(dnnl_stream_create(&stream, eng, dnnl_stream_default_flags.rawValue), "dnnl_stream_create")
        defer { dnnl_stream_destroy(stream) }
        var made: [dnnl_memory_t?] = []
        defer { for m in made { dnnl_memory_destroy(m) } }
        var args: [dnnl_exec_arg_t] = []
        for b in bindings {
            var md = b.desc
            var m: dnnl_memory_t?
            try check(dnnl_memory_create(&m, &md, eng, b.data), "dnnl_memory_create")
            made.append(m)
            args.append(dnnl_exec_arg_t(arg: b.arg, memory: m))
        }
        for o in owned { args.append(dnnl_exec_arg_t(arg: o.arg, memory: o.memory)) }
        try check(dnnl_primitive_execute(primitive, stream, Int32(args.count), args), "dnnl_primitive_execute")
        try check(dnnl_stream_wait(stream), "dnnl_stream_wait")
    }

    /// `DNNL_MEMORY_ALLOCATE` (`(void *)(size_t)-1`, a macro Swift does not import): let oneDNN own the buffer.
    /// A computed value, not a stored one: a stored pointer is shared mutable state to Swift 6.
    private static var allocate: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: UInt.max) }

    /// A library-allocated copy of `data` (laid out as `from`) in the layout `to` — used once per
    /// primitive for weights and bias.
    static func reordered(_ data: UnsafePointer<Float>, from: dnnl_memory_desc_t, to: dnnl_memory_desc_t) throws -> dnnl_memory_t {
        let eng = try engineOrThrow()
        var src = from, dst = to
        var out: dnnl_memory_t?
        try check(dnnl_memory_create(&out, &dst, eng, allocate), "dnnl_memory_create (weights)")
        guard let out else { throw DNNLError(call: "dnnl_memory_create (weights)", status: -1) }
        do {
            // Weights are small: reorder them on the calling thread alone.
            try withThreads(1) {
                var pd: dnnl_primitive_desc_t?
                try check(dnnl_reorder_primitive_desc_create(&pd, &src, eng, &dst, eng, nil), "dnnl_reorder_primitive_desc_create")
                defer { dnnl_primitive_desc_destroy(pd) }
                var reorder: dnnl_primitive_t?
                try check(dnnl_primitive_create(&reorder, pd), "dnnl_primitive_create (reorder)")
                defer { dnnl_primitive_destroy(reorder) }
                guard let reorder else { throw DNNLError(call: "dnnl_primitive_create (reorder)", status: -1) }
                try execute(reorder, [(Int32(DNNL_ARG_FROM), from, UnsafeMutableRawPointer(mutating: data))],
                            owned: [(Int32(DNNL_ARG_TO), out)])
            }
        } catch {
            dnnl_memory_destroy(out)
            throw error
        }
        return out
    }

    /// oneDNN's eltwise post-ops for a fused activation, or nil when it has no exact match
    /// (the caller then applies the activation itself).
    static func postOps(for activation: UnaryOp) -> PostOps? {
        switch activation {
        case .identity: return []
        case .relu: return [(dnnl_eltwise_relu, 0, 0)]
        case .leakyRelu(let a): return [(dnnl_eltwise_relu, a, 0)]
        case .sigmoid: return [(dnnl_eltwise_logistic, 0, 0)]
        case .tanh: return [(dnnl_eltwise_tanh, 0, 0)]
        case let .clip(lo, hi): return [(dnnl_eltwise_clip_v2, lo, hi)]
        case .hardSwish: return [(dnnl_eltwise_hardswish, 0, 0)]
        case .swish: return [(dnnl_eltwise_swish, 1, 0)]
        case .elu(let a): return [(dnnl_eltwise_elu, a, 0)]
        case let .hardSigmoid(a, b): return [(dnnl_eltwise_linear, a, b), (dnnl_eltwise_clip_v2, 0, 1)]
        default: return nil
        }
    }

    /// Makes a primitive descriptor with the given post-ops and returns it with its implementation name.
    /// `accumulate` prepends a sum post-op: the primitive adds its result to what the destination
    /// holds (a residual connection), before the eltwise post-ops.
    static func primitiveDescriptor(_ opDesc: UnsafeRawPointer, postOps: PostOps, accumulate: Bool = false) throws -> dnnl_primitive_desc_t {
        let eng = try engineOrThrow()
        var attr: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create")
        defer { dnnl_primitive_attr_destroy(attr) }
        // Scratch memory is passed per execution (see `Scratchpad`), so one primitive may run on
        // several threads at once whatever oneDNN's build-time scratchpad sharing is.
        try check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "dnnl_primitive_attr_set_scratchpad_mode")
        if !postOps.isEmpty || accumulate {
            var po: dnnl_post_ops_t?
            try check(dnnl_post_ops_create(&po), "dnnl_post_ops_create")
            defer { dnnl_post_ops_destroy(po) }
            if accumulate { try check(dnnl_post_ops_append_sum(po, 1), "dnnl_post_ops_append_sum") }
            for p in postOps { try check(dnnl_post_ops_append_eltwise(po, 1, p.alg, p.alpha, p.beta), "dnnl_post_ops_append_eltwise") }
            try check(dnnl_primitive_attr_set_post_ops(attr, po), "dnnl_primitive_attr_set_post_ops")
        }
        var pd: dnnl_primitive_desc_t?
        try check(dnnl_primitive_desc_create(&pd, opDesc, attr, eng, nil),
                  "dnnl_primitive_desc_create")
        guard let pd else { throw DNNLError(call: "dnnl_primitive_desc_create", status: -1) }
        return pd
    }
}

/// A failed oneDNN call: which call and its `dnnl_status_t`. Kernels catch it when a primitive
/// cannot be made for a shape (they fall back to the OpenBLAS kernels) and report it otherwise.
struct DNNLError: Error, CustomStringConvertible {
    let call: String
    let status: Int
    var description: String { "oneDNN \(call) failed with status \(status)" }
}
