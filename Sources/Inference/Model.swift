import Foundation
import SystemCalls

/// A loaded ONNX model, ready to run on the CPU.
///
/// Loading parses the protobuf, inlines model-local functions, checks every node against the
/// operators we implement (failing with the node, operator and opset named), folds constants,
/// infers static shapes (when the inputs have static shapes) by a probe run on zeros, folds
/// `Shape` chains, folds BatchNormalization into Conv, fuses activations into convolution
/// epilogues, and compiles a plan whose intermediate buffers are released after last use.
///
/// `run` is `async`: it executes on the cooperative pool, never on the caller's UI loop, and
/// honours task cancellation between nodes. A `Model` may be shared between tasks.
///
/// `@unchecked Sendable`: every stored property is immutable after load; the compiled plan holds
/// `Kernel` objects (a protocol not constrained to Sendable), each of which is safe to run from
/// several tasks at once (per-shape caches under a lock, scratch from the thread-safe `ScratchPool`).
public final class Model: @unchecked Sendable {
    /// A graph input or output as the model declares it. `nil` dims are symbolic.
    public struct ValueDescription: Sendable, Equatable {
        public let name: String
        public let elementType: String
        public let shape: [Int?]?
    }

    public struct LoadOptions: Sendable {
        /// Rewrite the graph (folding, fusion). Off only for debugging.
        public var optimize = true
        /// Throw `ONNXError.nonFinite` if an output contains NaN or ±∞.
        public var rejectNonFinite = true
        /// Verify the sha256 in a model card found beside the file.
        public var verifyCard = true
        /// Kernels for Conv/ConvTranspose/pooling; defaults to `LIGHTBOX_BACKEND` or the fastest
        /// available (`InferenceBackend.processDefault`). Unavailable choices fall back to OpenBLAS.
        public var backend: InferenceBackend = .processDefault
        public init() {}
    }

    /// Progress of multi-item work (`run(batch:)`).
    public struct Progress: Sendable { public let completed: Int; public let total: Int }

    public let inputs: [ValueDescription]
    public let outputs: [ValueDescription]
    public let irVersion: Int
    public let opset: Int
    public let producer: String
    /// Operator counts in the model as written (before rewriting).
    public let operatorCounts: [String: Int]
    /// Number of float parameters in initializers.
    public let parameterCount: Int
    /// Multiply-add based FLOPs (2 per MAC) of Conv/ConvTranspose/Gemm/MatMul, when shapes are static.
    public private(set) var flops: Int?
    /// Nodes left after rewriting.
    public var compiledNodeCount: Int { plan.steps.count }
    /// Peak bytes of live activations in the probe run (nil without static shapes).
    public private(set) var peakActivationBytes: Int?
    /// The model card beside the file, if any.
    public let card: ModelCard?
    /// The backend this model's plan was compiled for (after falling back where unavailable).
    public let backend: InferenceBackend
    let options: LoadOptions
    /// Static shapes found by inference, by value name.
    private(set) var inferredShapes: [String: [Int]] = [:]
    private(set) var plan: ExecutionPlan
    private(set) var graph: IRGraph

    /// Loads `url` and, if present, the model card beside it (`NAME.json` or `NAME.toml`),
    /// verifying the card's sha256 against the file.
    public static func load(_ url: URL, options: LoadOptions = LoadOptions()) throws -> Model {
        let card = try ModelCard.find(beside: url)
        // The file's bytes live only inside this closure, so the weights decoded from them do not
        // sit beside them while the optimiser and oneDNN make their copies. (A tensor-valued
        // attribute, as on a Constant node, still shares the bytes until the node is folded away.)
        let parsed: Parsed = try {
            let bytes = try readWholeFile(url.path)
            if let card, options.verifyCard { try card.verify(modelBytes: bytes) }
            return try Parsed(bytes: bytes, baseDirectory: url.deletingLastPathComponent())
        }()
        return try Model(parsed: consume parsed, card: card, options: options)
    }

    public convenience init(bytes: [UInt8], baseDirectory: URL? = nil, card: ModelCard? = nil, options: LoadOptions = LoadOptions()) throws {
        try self.init(parsed: try Parsed(bytes: bytes, baseDirectory: baseDirectory), card: card, options: options)
    }

    /// The file read straight into one array. `FileManager.contents` gave a `Data` that was then
    /// copied into `[UInt8]`: with the decoded weights, three copies of the model at once, which
    /// was the process's peak memory (resnet50, 102 MB: 338 MB peak). The size from `stat` is
    /// only where reading starts: a pipe reports 0, and a file may grow meanwhile, so reading
    /// goes on until the end of the file.
    private static func readWholeFile(_ path: String) throws -> [UInt8] {
        do {
            let fd = try SystemCall.openForReading(path)
            defer { try? SystemCall.close(fd) }
            let size = try SystemCall.status(path).size
            var bytes = try SystemCall.read(fd, exactlyOrToEnd: Int(clamping: Swift.max(0, Swift.min(size, 1 << 32))))
            while true {
                let more = try SystemCall.read(fd, upTo: 1 << 20)
                if more.isEmpty { break }
                bytes += more
            }
            return bytes
        } catch {
            // Typed: only the system calls above throw here.
            throw ONNXError.invalidModel("cannot read \(path): \(error)")
        }
    }

    /// The protobuf's graph, with its weights decoded (copied out of the file's bytes), and the
    /// header fields loading keeps.
    private struct Parsed {
        var graph: IRGraph
        var irVersion: Int
        var producer: String

        init(bytes: [UInt8], baseDirectory: URL?) throws {
            let proto = try ModelProto(bytes: bytes)
            graph = try IRGraph(model: proto, baseDirectory: baseDirectory)
            irVersion = Int(clamping: proto.irVersion)
            producer = proto.producerName
        }
    }

    /// `parsed` is consumed, so that its graph has one owner: the optimiser's replaced weights
    /// (folded BatchNorms) are then freed as it goes. A caller's copy kept the decoded weights
    /// alive beside the folded ones and oneDNN's reordered ones (resnet50 peaked at 338 MB).
    private init(parsed: consuming Parsed, card: ModelCard?, options: LoadOptions) throws {
        _ = AllocatorTuning.applied
        let irVersion = parsed.irVersion, producer = parsed.producer
        var g = (consume parsed).graph
        self.options = options
        self.card = card
        backend = options.backend.effective
        self.irVersion = irVersion
        opset = g.opset
        self.producer = producer
        var counts: [String: Int] = [:]
        for n in g.nodes { counts[n.opType, default: 0] += 1 }
        operatorCounts = counts
        parameterCount = g.constants.values.filter(\.isFloat).reduce(0) { $0 + $1.count }
        func describe(_ v: ValueInfo) -> ValueDescription {
            ValueDescription(name: v.name, elementType: DataType.name(ofCode: v.elemType),
                             shape: v.dims.map { $0.map { d in d.value.map { Int(clamping: $0) } } })
        }
        inputs = g.inputs.map(describe)
        outputs = g.outputs.map(describe)
        for v in g.inputs {
            guard let t = DataType(rawValue: v.elemType), t.isSupported else {
                throw ONNXError.unsupported(node: v.name, op: "graph input", opset: g.opset,
                                            detail: "data type \(DataType.name(ofCode: v.elemType)) is not supported")
            }
        }
        for v in g.outputs where v.elemType != 0 {
            guard let t = DataType(rawValue: v.elemType), t.isSupported else {
                throw ONNXError.unsupported(node: v.name, op: "graph output", opset: g.opset,
                                            detail: "data type \(DataType.name(ofCode: v.elemType)) is not supported")
            }
        }
        // Every node must have a kernel: build them all once to fail early with a clear error.
        _ = try ExecutionPlan(graph: g)
        if options.optimize { try GraphOptimizer.foldConstants(&g) }
        // Before the probe run too: on the generic path a 3-D convolution's im2col buffer can be
        // far larger than the model (deepbet's 7×7×7 first layer on 128³: 360 MB, 6 s at load).
        if options.optimize && backend == .dnnl { Model.markPlanarConvolutions(&g) }
        // Static shape inference: a probe run on zeros when all inputs have static shapes. Only for
        // float inputs: an integer input may be a shape or an index (CenterCropPad's target
        // shape), and shapes seen with zeros there would be folded in as if they were fixed.
        // The probe's plan holds the unoptimised weights, so it goes before the optimiser makes
        // folded copies of them (it was kept as `plan` until the end of loading, which put three
        // copies of resnet50's weights in memory at once).
        if let feeds = Model.zeroFeeds(g.inputs), g.inputs.allSatisfy({ $0.elemType == DataType.float.rawValue }) {
            let probePlan = try ExecutionPlan(graph: g)
            var shapes: [String: [Int]] = [:]
            for (k, v) in g.constants { shapes[k] = v.shape }
            for (k, v) in feeds { shapes[k] = v.shape }
            let names = probePlan.slotNames
            _ = try? probePlan.execute(feeds, observe: { step, _, outs in
                for (i, s) in step.outputs.enumerated() where s >= 0 && i < outs.count { shapes[names[s]] = outs[i].shape }
            })
            inferredShapes = shapes
            if options.optimize {
                try GraphOptimizer.foldShapes(&g, shapes: shapes)
            }
        }
        if options.optimize {
            try GraphOptimizer.foldPadIntoConv(&g)
            try GraphOptimizer.foldBatchNorm(&g)
            try GraphOptimizer.fuseActivations(&g)
            try GraphOptimizer.fuseSwish(&g)
            if backend == .dnnl {
                Model.markPlanarConvolutions(&g)
                try NHWCLowering.apply(&g, shapes: inferredShapes)
                NHWCLowering.fuseResidualAdd(&g, shapes: inferredShapes)
            }
        }
        plan = try ExecutionPlan(graph: g)
        graph = g // the final graph only: earlier versions' folded-away weights can be freed
        if let feeds = Model.zeroFeeds(g.inputs) { measure(feeds) }
    }

    /// 3-D convolutions and transposed convolutions with constant weights (and bias) stay NCDHW
    /// (the NHWC lowering is 2-D) but run on oneDNN rather than im2col (`IRNode.planarDNNL`).
    private static func markPlanarConvolutions(_ g: inout IRGraph) {
        for i in g.nodes.indices where ["Conv", "ConvTranspose"].contains(g.nodes[i].opType) && g.nodes[i].domain.isEmpty
            && g.nodes[i].inputs.count >= 2 {
            if let w = g.constants[g.nodes[i].inputs[1]], w.isFloat, w.rank == 5,
               g.nodes[i].inputs.count < 3 || g.nodes[i].inputs[2].isEmpty || g.constants[g.nodes[i].inputs[2]] != nil {
                g.nodes[i].planarDNNL = true
            }
        }
    }

    /// Zero tensors for inputs with fully static shapes; nil if any is dynamic.
    static func zeroFeeds(_ inputs: [ValueInfo]) -> [String: Tensor]? {
        var feeds: [String: Tensor] = [:]
        for v in inputs {
            guard let s = v.staticShape, let c = try? checkedCount(s), c <= (1 << 26),
                  let t = DataType(rawValue: v.elemType), t.isSupported else { return nil }
            feeds[v.name] = Tensor.like(t, shape: s)
        }
        return feeds
    }

    /// FLOPs and peak live activation bytes from one probe run.
    private func measure(_ feeds: [String: Tensor]) {
        var f = 0, live = 0, peak = 0
        var sizes: [Int: Int] = [:]
        for (_, t) in feeds { live += t.count * 4 }
        _ = try? plan.execute(feeds, observe: { step, ins, outs in
            if let y = outs.first {
                switch step.opType {
                case "Conv": if let w = ins[1], w.rank > 0, w.shape[0] > 0 { f += 2 * y.count * (w.count / w.shape[0]) }
                // C_in from the weights (the input may be NHWC on the oneDNN backend).
                case "ConvTranspose": if let x = ins[0], let w = ins[1], w.rank > 1, w.shape[0] > 0 { f += 2 * x.count * (w.count / w.shape[0]) }
                case "Gemm", "MatMul": if let a = ins[0], let last = a.shape.last { f += 2 * y.count * last }
                default: break
                }
            }
            for (i, s) in step.outputs.enumerated() where s >= 0 && i < outs.count {
                let b = outs[i].count * (outs[i].isFloat ? 4 : 8)
                sizes[s] = b; live += b
            }
            peak = Swift.max(peak, live)
            for s in step.release { live -= sizes[s] ?? 0 }
        })
        flops = f
        peakActivationBytes = peak
    }

    /// Checks caller inputs against the declared types and static dimensions.
    func validate(_ feeds: [String: Tensor]) throws {
        for v in graph.inputs {
            guard let t = feeds[v.name] else { throw ONNXError.badInput("missing input '\(v.name)'") }
            if let dt = DataType(rawValue: v.elemType), dt != t.dataType {
                throw ONNXError.badInput("input '\(v.name)' should be \(dt), got \(t.dataType)")
            }
            if let dims = v.dims {
                guard dims.count == t.rank else {
                    throw ONNXError.badInput("input '\(v.name)' should have rank \(dims.count) \(describeDims(dims)), got shape \(t.shape)")
                }
                for (i, d) in dims.enumerated() {
                    if let want = d.value, want >= 0, want != Int64(t.shape[i]) {
                        throw ONNXError.badInput("input '\(v.name)' should have shape \(describeDims(dims)), got \(t.shape)")
                    }
                }
            }
        }
        let known = Set(graph.inputs.map(\.name))
        for k in feeds.keys where !known.contains(k) { throw ONNXError.badInput("the model has no input named '\(k)'") }
    }

    private func describeDims(_ dims: [TensorShapeDim]) -> String {
        "[" + dims.map { $0.value.map(String.init) ?? ($0.param ?? "?") }.joined(separator: ", ") + "]"
    }

    /// Runs synchronously on the calling thread. Prefer `run(_:)` from UI code.
    public func runSync(_ feeds: [String: Tensor], isCancelled: () -> Bool = { false }) throws -> [String: Tensor] {
        try validate(feeds)
        let out = try plan.execute(feeds, isCancelled: isCancelled)
        if options.rejectNonFinite {
            for o in graph.outputs { if let t = out[o.name], t.isFloat, t.floats.contains(where: { !$0.isFinite }) { throw ONNXError.nonFinite(output: o.name) } }
        }
        return out
    }

    /// Runs the model. Cancelling the surrounding task stops it between nodes (`ONNXError.cancelled`).
    public func run(_ feeds: [String: Tensor]) async throws -> [String: Tensor] {
        try await Task.detached(priority: .userInitiated) { [self] in
            try self.runSync(feeds, isCancelled: { Task.isCancelled })
        }.valueCancellingOnCancel()
    }

    /// Runs several inputs (e.g. the slices of a volume) in order, reporting progress after each.
    public func run(batch: [[String: Tensor]], progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> [[String: Tensor]] {
        var results: [[String: Tensor]] = []
        for (i, feeds) in batch.enumerated() {
            try Task.checkCancellation()
            results.append(try await run(feeds))
            progress(Progress(completed: i + 1, total: batch.count))
        }
        return results
    }

    /// Runs and also returns the named intermediate values (for explainability).
    func runKeeping(_ feeds: [String: Tensor], keep: Set<String>) throws -> [String: Tensor] {
        try validate(feeds)
        return try plan.execute(feeds, keep: keep)
    }
}

extension Task where Failure == Error {
    /// Awaits the value, forwarding cancellation of the awaiting task into this one.
    func valueCancellingOnCancel() async throws -> Success {
        try await withTaskCancellationHandler { try await value } onCancel: { cancel() }
    }
}
