/// Layout planning for the oneDNN backend: which nodes run channels-last (NHWC), and where the
/// layout changes.
///
/// oneDNN's fast convolution kernels (`brgconv`) read and write NHWC. Reordering NCHW↔NHWC
/// around every convolution costs more than the convolution itself on the small-channel U-Nets
/// Lightbox ships, so layouts are propagated instead: every 2-D Conv / ConvTranspose with
/// constant weights runs NHWC, and pooling, Concat, normalisation, Resize, broadcasting binary ops
/// and activations join the NHWC region when their tensor inputs are already NHWC. A value leaves the region
/// (one `ToNchw` node) only where something outside it, or a graph output, reads it; a value
/// enters it (one `ToNhwc` node) the first time a region node reads it.
///
/// NHWC values are renamed `NAME#nhwc` and hold their physical shape [N, H, W, C], so the
/// executor, memory plan and the layout-agnostic elementwise kernels need no layout field.
/// Lowered nodes move to the `ai.lightbox.nhwc` domain; `NHWCKernels` builds their kernels.
enum NHWCLowering {
    static let domain = "ai.lightbox.nhwc"
    static let suffix = "#nhwc"

    /// Elementwise operators that work unchanged on NHWC storage (one tensor input).
    static let unaryOps: Set<String> = ["Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish",
                                        "Clip", "Sqrt", "Exp", "Log", "Erf", "Neg", "Abs", "Elu", "Selu", "Celu",
                                        "Softplus", "Softsign", "Mish", "Gelu", "Reciprocal", "Floor", "Ceil"]
    /// Broadcasting binary operators. Permuting every operand's axes the same way permutes the
    /// broadcast result the same way, so they run NHWC when all operands are 4-D (rank-4
    /// constants are stored transposed once) or single-value constants.
    static let binaryOps: Set<String> = ["Add", "Sub", "Mul", "Div", "PRelu"]

    static func apply(_ g: inout IRGraph, shapes: [String: [Int]]) throws {
        var nhwcReady = Set<String>()   // values with an NHWC copy (name + suffix)
        var nchwMissing = Set<String>() // values produced only in NHWC so far
        var out: [IRNode] = []
        var counter = 0

        func nhwcName(_ v: String) -> String {
            if !nhwcReady.contains(v) {
                counter += 1
                out.append(IRNode(internalNamed: "to_nhwc_\(counter)", opType: "ToNhwc", inputs: [v], outputs: [v + suffix]))
                nhwcReady.insert(v)
            }
            return v + suffix
        }
        func nchwName(_ v: String) -> String {
            if nchwMissing.contains(v) {
                counter += 1
                out.append(IRNode(internalNamed: "to_nchw_\(counter)", opType: "ToNchw", inputs: [v + suffix], outputs: [v]))
                nchwMissing.remove(v)
            }
            return v
        }
        func rank4(_ v: String) -> Bool { shapes[v].map { $0.count == 4 } ?? false }

        for var n in g.nodes {
            let tensorInputs = n.inputs.filter { !$0.isEmpty && g.constants[$0] == nil }
            let allReady = !tensorInputs.isEmpty && tensorInputs.allSatisfy { nhwcReady.contains($0) }
            let attrs = NodeAttributes(node: n, opset: g.opset)
            var lowered = false      // runs in the NHWC domain
            var agnostic = false     // default-domain kernel on NHWC storage
            var nchwOutput = false   // lowered, but writes NCHW (global pools)
            guard n.domain.isEmpty || n.domain == "ai.onnx" else { out.append(n); continue }
            switch n.opType {
            case "Conv", "ConvTranspose":
                if n.inputs.count >= 2, let w = g.constants[n.inputs[1]], w.isFloat, w.rank == 4,
                   n.inputs.count < 3 || n.inputs[2].isEmpty || g.constants[n.inputs[2]] != nil,
                   tensorInputs.count == 1 { lowered = true }
            case "MaxPool", "AveragePool":
                let ks = try? attrs.ints("kernel_shape")
                let single = n.outputs.count == 1 || n.outputs.dropFirst().allSatisfy(\.isEmpty)
                if allReady, ks?.count == 2, single { lowered = true }
            case "BatchNormalization":
                let params = n.inputs.dropFirst()
                let training = (try? attrs.int("training_mode", 0)) ?? 1
                if allReady, n.inputs.count == 5, params.allSatisfy({ g.constants[$0]?.isFloat == true }), training == 0,
                   n.outputs.count == 1 { lowered = true }
            case "InstanceNormalization":
                if allReady, n.inputs.count == 3, n.inputs.dropFirst().allSatisfy({ g.constants[$0]?.isFloat == true }) { lowered = true }
            case "Resize", "Upsample":
                // Data NHWC; scales, sizes and roi constant (the kernel plans per input shape).
                if allReady, tensorInputs.count == 1, n.inputs.first.map({ nhwcReady.contains($0) }) == true,
                   n.outputs.count == 1 { lowered = true }
            case "GlobalAveragePool", "GlobalMaxPool":
                if allReady { lowered = true; nchwOutput = true }
            case "Concat":
                let axis = (try? attrs.int("axis", 1)) ?? 0
                if allReady, tensorInputs.count == n.inputs.count, axis == 1 || axis == -3 { lowered = true }
            case let op where unaryOps.contains(op):
                if allReady, tensorInputs.count == 1, n.inputs.first.map({ nhwcReady.contains($0) }) == true { agnostic = true }
            case let op where binaryOps.contains(op):
                let operandsOK = n.inputs.allSatisfy { v in
                    if v.isEmpty { return false }
                    if let c = g.constants[v] { return c.isFloat && (c.count == 1 || c.rank == 4) }
                    return rank4(v)
                }
                if operandsOK, n.outputs.count == 1, rank4(n.outputs[0]), tensorInputs.contains(where: { nhwcReady.contains($0) }) {
                    agnostic = true
                }
            default:
                break
            }
            if lowered || agnostic {
                n.inputs = try n.inputs.map { v in
                    guard !v.isEmpty else { return v }
                    guard let c = g.constants[v] else { return nhwcName(v) }
                    // Weights stay as ONNX wrote them; 4-D operands of elementwise ops are transposed once.
                    guard agnostic, c.rank == 4, c.count > 1 else { return v }
                    if g.constants[v + suffix] == nil { g.constants[v + suffix] = try LayoutTranspose.toNHWC(c) }
                    return v + suffix
                }
                if lowered { n.domain = domain }
                if !nchwOutput {
                    n.outputs = n.outputs.map { o in
                        guard !o.isEmpty else { return o }
                        nhwcReady.insert(o); nchwMissing.insert(o)
                        return o + suffix
                    }
                }
            } else {
                n.inputs = n.inputs.map { $0.isEmpty ? $0 : nchwName($0) }
            }
            out.append(n)
        }
        for o in g.outputs { _ = nchwName(o.name) }
        g.nodes = out
    }
}

extension NHWCLowering {
    /// Conv → Add(·, residual) [→ activation] on NHWC values becomes one Conv whose primitive adds
    /// its result to the residual (oneDNN's sum post-op) and then applies the activation: the
    /// ResNet block tail in one pass instead of three. The fused Conv takes the residual as a 4th
    /// input (ONNX Conv has at most 3, so the kernel factory can tell) and moves to the Add's
    /// place in the order, where both its inputs exist.
    static func fuseResidualAdd(_ g: inout IRGraph, shapes: [String: [Int]]) {
        let uses = g.consumers()
        var producer: [String: Int] = [:]
        for (i, n) in g.nodes.enumerated() { for o in n.outputs { producer[o] = i } }
        func base(_ v: String) -> String { v.hasSuffix(suffix) ? String(v.dropLast(suffix.count)) : v }
        var removed = Set<Int>()
        for (ai, add) in g.nodes.enumerated() where add.opType == "Add" && add.domain.isEmpty && add.inputs.count == 2 {
            guard add.outputs.count == 1, add.outputs[0].hasSuffix(suffix), add.inputs.allSatisfy({ $0.hasSuffix(suffix) }) else { continue }
            for (ci, ri) in [(0, 1), (1, 0)] {
                let v = add.inputs[ci], r = add.inputs[ri]
                guard let pi = producer[v], !removed.contains(pi), pi < ai, g.nodes[pi].domain == domain, g.nodes[pi].opType == "Conv",
                      g.nodes[pi].fused == nil, g.nodes[pi].inputs.count <= 3, uses[v] == 1, v != r,
                      let sv = shapes[base(v)], sv.count == 4, shapes[base(r)] == sv else { continue }
                var conv = g.nodes[pi]
                while conv.inputs.count < 3 { conv.inputs.append("") }
                conv.inputs.append(r)
                conv.outputs = add.outputs
                conv.fused = add.fused
                g.nodes[ai] = conv
                removed.insert(pi)
                break
            }
        }
        g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}

extension IRNode {
    /// A node the optimiser adds (layout changes), in the NHWC domain, without attributes.
    init(internalNamed name: String, opType: String, inputs: [String], outputs: [String]) {
        self.name = name
        self.opType = opType
        self.domain = NHWCLowering.domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = []
        self.fused = nil
    }
}
