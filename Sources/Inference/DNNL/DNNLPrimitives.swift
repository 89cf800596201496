import CDNNL
import Foundation

/// Window geometry in ONNX terms (1-based dilations); converted to oneDNN's (0-based) here.
struct DNNLWindow {
    var strides: [Int]
    var dilations: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]
}

/// oneDNN memory that frees itself: a convolution's reordered weights or bias, which the bands of
/// one banded convolution share when their kernels chose the same layout.
/// `@unchecked Sendable`: immutable after init; primitives only read it.
final class DNNLMemory: @unchecked Sendable {
    let handle: dnnl_memory_t
    let desc: dnnl_memory_desc_t

    init(_ handle: dnnl_memory_t, desc: dnnl_memory_desc_t) {
        self.handle = handle
        self.desc = desc
    }

    deinit { dnnl_memory_destroy(handle) }

    /// Whether this memory has exactly the layout `other` describes.
    func matches(_ other: dnnl_memory_desc_t) -> Bool { Self.same(desc, other) }

    static func same(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        var a = a, b = b
        return dnnl_memory_desc_equal(&a, &b) != 0
    }
}

/// A oneDNN convolution or deconvolution made for one input shape: NHWC source and destination
/// in Swift buffers, weights (and bias) reordered once into the layout the JIT kernel chose, and
/// the activation fused as eltwise post-ops. Safe to run from several threads at once.
///
/// `@unchecked Sendable`: oneDNN handles (C pointers), immutable after init; oneDNN documents
/// primitives as safe to execute concurrently, and each execution brings its own memory objects.
final class DNNLConvolution: @unchecked Sendable {
    private let primitive: dnnl_primitive_t
    private let srcDesc: dnnl_memory_desc_t
    private let dstDesc: dnnl_memory_desc_t
    /// Reordered once; shared with `sharing` when made beside it.
    let weights: DNNLMemory
    let bias: DNNLMemory?
    /// oneDNN's name for the kernel it picked (e.g. `brgconv:avx512_core`), for diagnostics.
    let implementation: String
    /// Threads the primitive was made for (`DNNL.threadsFor(work:)` of its multiply-adds).
    let threads: Int
    private let scratchpad: DNNL.Scratchpad?
    /// Planar (3-D) convolutions only: the caller's NCDHW buffers to and from the blocked layout
    /// the kernel chose, when it chose one (`planarLayoutIsChosen`).
    private let sourceReorder: DNNLReorder?
    private let destinationReorder: DNNLReorder?

    /// Whether a 3-D convolution lets oneDNN choose its activation layout, with a reorder from and
    /// to the caller's NCDHW around it (`LIGHTBOX_DNNL_PLANAR_REORDER=0` forces NCDHW). Forced
    /// NCDHW gets oneDNN's im2col + GEMM kernel (`gemm:jit`): on the deepbet brain-extraction model
    /// its 7×7×7 first layer over a 128³ volume took 180–270 ms and a 360 MB im2col buffer, where the
    /// blocked direct kernel plus two reorders took a fraction of that (docs/INFERENCE_BACKENDS.md §7).
    static let planarLayoutIsChosen: Bool = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_PLANAR_REORDER"] != "0"

    /// - Parameters:
    ///   - src, dst: logical N×C×H×W dims (stored NHWC).
    ///   - weightDims, weightLayout: the ONNX weight buffer described in oneDNN terms
    ///     (`oihw`/`goihw` for Conv, `iohw`/`giohw` for ConvTranspose).
    ///   - postOps: from `DNNL.postOps(for:)`.
    ///   - accumulate: add into the destination's contents (fused residual Add) before `postOps`.
    ///   - forced: the thread count, instead of `DNNL.threadsFor` of the work (bands: always 1).
    ///   - planar: src and dst are stored channels-first (NCDHW: 3-D convolutions, which run
    ///     outside the NHWC lowering) rather than NHWC.
    ///   - sharing: a convolution with the same weights (another band of the same layer) whose
    ///     reordered copy is used when this kernel chose the same weight layout.
    init(transposed: Bool, src: [Int], dst: [Int], weightDims: [Int], weightLayout: DNNL.WeightLayout,
         weightData: UnsafePointer<Float>, bias biasData: UnsafePointer<Float>?, window: DNNLWindow,
         postOps: DNNL.PostOps, accumulate: Bool = false, threads forced: Int? = nil, planar: Bool = false,
         sharing: DNNLConvolution? = nil) throws {
        let activationTag = planar ? (src.count == 5 ? dnnl_ncdhw : dnnl_nchw) : dnnl_nhwc
        let reorders = planar && !accumulate && Self.planarLayoutIsChosen
        let userSource = try DNNL.descriptor(src, activationTag), userDestination = try DNNL.descriptor(dst, activationTag)
        var sd = reorders ? try DNNL.descriptor(src, dnnl_format_tag_any) : userSource
        var dd = reorders ? try DNNL.descriptor(dst, dnnl_format_tag_any) : userDestination
        var wd = try DNNL.descriptor(weightDims, dnnl_format_tag_any)
        var bd = try DNNL.descriptor([dst[1]], dnnl_x)
        let st = window.strides.map { Int64($0) }, dl = window.dilations.map { Int64($0 - 1) }
        let pl = window.padsBegin.map { Int64($0) }, pr = window.padsEnd.map { Int64($0) }
        let hasBias = biasData != nil
        let outPixels = dst.count >= 4 ? dst[0] * dst[2...].reduce(1, *) : 0
        let macs = outPixels * weightDims.reduce(1, *)   // per output pixel: every weight once (per group: M/g·C/g·k·k·g)
        let threads = forced ?? DNNL.threadsFor(work: macs)
        self.threads = threads
        let pd: dnnl_primitive_desc_t = try DNNL.withThreads(threads) { try withUnsafePointer(to: &bd) { bp in
            if transposed {
                var d = dnnl_deconvolution_desc_t()
                try DNNL.check(dnnl_dilated_deconvolution_forward_desc_init(&d, dnnl_forward_inference, dnnl_deconvolution_direct,
                                                                             &sd, &wd, hasBias ? bp : nil, &dd, st, dl, pl, pr),
                               "dnnl_dilated_deconvolution_forward_desc_init")
                return try withUnsafePointer(to: &d) { try DNNL.primitiveDescriptor(UnsafeRawPointer($0), postOps: postOps, accumulate: accumulate) }
            }
            var d = dnnl_convolution_desc_t()
            try DNNL.check(dnnl_dilated_convolution_forward_desc_init(&d, dnnl_forward_inference, dnnl_convolution_direct,
                                                                       &sd, &wd, hasBias ? bp : nil, &dd, st, dl, pl, pr),
                           "dnnl_dilated_convolution_forward_desc_init")
            return try withUnsafePointer(to: &d) { try DNNL.primitiveDescriptor(UnsafeRawPointer($0), postOps: postOps, accumulate: accumulate) }
        } }
        defer { dnnl_primitive_desc_destroy(pd) }
        implementation = DNNLConvolution.implementationName(pd)
        scratchpad = DNNL.Scratchpad(pd)
        guard let chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0) else {
            throw DNNLError(call: "dnnl_primitive_desc_query_md (weights)", status: -1)
        }
        let w: DNNLMemory
        if let shared = sharing?.weights, shared.matches(chosen.pointee) {
            w = shared
        } else {
            w = DNNLMemory(try DNNL.reordered(weightData, from: try DNNL.descriptor(weightDims, weightLayout.tag), to: chosen.pointee),
                           desc: chosen.pointee)
        }
        var b: DNNLMemory? = sharing?.bias
        if b == nil, let biasData { b = DNNLMemory(try DNNL.reordered(biasData, from: bd, to: bd), desc: bd) }
        var p: dnnl_primitive_t?
        let status = DNNL.withThreads(threads) { dnnl_primitive_create(&p, pd) }
        guard status == dnnl_success, let p else {
            throw DNNLError(call: "dnnl_primitive_create (convolution)", status: Int(status.rawValue))
        }
        if reorders, let chosenSource = dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0),
           let chosenDestination = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0) {
            sd = chosenSource.pointee
            dd = chosenDestination.pointee
            do {
                sourceReorder = DNNLMemory.same(userSource, sd) ? nil : try DNNLReorder(from: userSource, to: sd)
                destinationReorder = DNNLMemory.same(userDestination, dd) ? nil : try DNNLReorder(from: dd, to: userDestination)
            } catch { dnnl_primitive_destroy(p); throw error }
        } else {
            sourceReorder = nil
            destinationReorder = nil
        }
        primitive = p; weights = w; bias = b; srcDesc = sd; dstDesc = dd
    }

    deinit { dnnl_primitive_destroy(primitive) }

    /// Runs on NHWC (planar: NCDHW) buffers of exactly the shapes given at creation.
    func run(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws {
        guard sourceReorder == nil && destinationReorder == nil else { return try runReordered(src: src, dst: dst) }
        try runDirect(src: src, dst: dst)
    }

    /// Through the chosen layout: the caller's source reordered into a temporary buffer, the
    /// result reordered out of one.
    private func runReordered(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws {
        func temporary(_ reorder: DNNLReorder?, _ desc: dnnl_memory_desc_t) -> UnsafeMutableRawPointer? {
            guard reorder != nil else { return nil }
            var d = desc
            return UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, dnnl_memory_desc_get_size(&d)), alignment: 64)
        }
        let source = temporary(sourceReorder, srcDesc), destination = temporary(destinationReorder, dstDesc)
        defer { source?.deallocate(); destination?.deallocate() }
        if let sourceReorder, let source { try sourceReorder.run(from: UnsafeMutableRawPointer(mutating: src), to: source) }
        try runDirect(src: source.map { UnsafePointer($0.assumingMemoryBound(to: Float.self)) } ?? src,
                      dst: destination.map { $0.assumingMemoryBound(to: Float.self) } ?? dst)
        if let destinationReorder, let destination { try destinationReorder.run(from: destination, to: UnsafeMutableRawPointer(dst)) }
    }

    private func runDirect(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws {
        var owned: [(arg: Int32, memory: dnnl_memory_t)] = [(Int32(DNNL_ARG_WEIGHTS), weights.handle)]
        if let bias { owned.append((Int32(DNNL_ARG_BIAS), bias.handle)) }
        try DNNL.execute(primitive, [(Int32(DNNL_ARG_SRC), srcDesc, UnsafeMutableRawPointer(mutating: src)),
                                     (Int32(DNNL_ARG_DST), dstDesc, UnsafeMutableRawPointer(dst))], owned: owned, threads: threads, scratchpad: scratchpad)
    }

    /// A planar (NCDHW) Conv or ConvTranspose kernel's whole step: runs on `x` into a new tensor of
    /// `outShape` (`count` elements), then applies `activation` where oneDNN had no post-op for it.
    func runPlanar(_ x: Tensor, outShape: [Int], count: Int, activation: UnaryOp) throws -> Tensor {
        var y = uninitializedFloats(count)
        try x.floats.withUnsafeBufferPointer { px in
            try y.withUnsafeMutableBufferPointer { py in
                guard let s = px.baseAddress, let d = py.baseAddress else { return }
                try run(src: s, dst: d)
            }
        }
        if DNNL.postOps(for: activation) == nil { y.withUnsafeMutableBufferPointer { activation.apply(to: $0) } }
        return Tensor(validShape: outShape, floats: y)
    }

    fileprivate static func implementationName(_ pd: dnnl_primitive_desc_t) -> String {
        var name: UnsafePointer<CChar>? = nil
        let status = withUnsafeMutablePointer(to: &name) { dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, $0) }
        guard status == dnnl_success, let name else { return "unknown" }
        return String(cString: name)
    }
}

/// A oneDNN reorder between two layouts of the same activation, made once.
/// `@unchecked Sendable`: as for `DNNLConvolution`.
final class DNNLReorder: @unchecked Sendable {
    private let primitive: dnnl_primitive_t
    private let fromDesc: dnnl_memory_desc_t
    private let toDesc: dnnl_memory_desc_t
    private let threads: Int

    init(from: dnnl_memory_desc_t, to: dnnl_memory_desc_t) throws {
        let eng = try DNNL.engineOrThrow()
        var f = from, t = to
        let threads = DNNL.threadsFor(work: dnnl_memory_desc_get_size(&f) / MemoryLayout<Float>.size)
        var pd: dnnl_primitive_desc_t?
        try DNNL.withThreads(threads) {
            try DNNL.check(dnnl_reorder_primitive_desc_create(&pd, &f, eng, &t, eng, nil), "dnnl_reorder_primitive_desc_create")
        }
        defer { dnnl_primitive_desc_destroy(pd) }
        var p: dnnl_primitive_t?
        let status = DNNL.withThreads(threads) { dnnl_primitive_create(&p, pd) }
        guard status == dnnl_success, let p else { throw DNNLError(call: "dnnl_primitive_create (reorder)", status: Int(status.rawValue)) }
        primitive = p; fromDesc = from; toDesc = to; self.threads = threads
    }

    deinit { dnnl_primitive_destroy(primitive) }

    func run(from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer) throws {
        try DNNL.execute(primitive, [(Int32(DNNL_ARG_FROM), fromDesc, from), (Int32(DNNL_ARG_TO), toDesc, to)], threads: threads)
    }
}
