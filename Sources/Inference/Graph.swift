/// The graph as Lightbox rewrites it at load: nodes, constants, inputs and outputs by name.
struct IRNode {
    var name: String
    var opType: String
    var domain: String
    var inputs: [String]
    var outputs: [String]
    var attributes: [AttributeProto]
    /// Activation fused into this node's epilogue by the optimiser.
    var fused: UnaryOp? = nil
    /// A 3-D Conv or ConvTranspose with constant weights on the oneDNN backend: runs as a oneDNN
    /// primitive on its NCDHW tensors (`ConvKernel.planarDNNL`); set by `Model`.
    var planarDNNL = false

    init(_ n: NodeProto, index: Int) {
        name = n.name.isEmpty ? "\(n.opType)_\(index)" : n.name
        opType = n.opType; domain = n.domain; inputs = n.inputs; outputs = n.outputs; attributes = n.attributes
    }
}

struct IRGraph {
    var nodes: [IRNode]
    var constants: [String: Tensor]
    var inputs: [ValueInfo]
    var outputs: [ValueInfo]
    var opset: Int

    /// Builds the IR from a parsed model: decodes initializers, drops graph inputs that are
    /// really initializers (IR < 4 style), and inlines model-local functions.
    init(model: ModelProto, baseDirectory: URL?) throws {
        guard let g = model.graph else { throw ONNXError.invalidModel("model has no graph") }
        guard model.irVersion >= 3 else { throw ONNXError.invalidModel("IR version \(model.irVersion) is too old (need ≥ 3)") }
        if g.hasSparseInitializers { throw ONNXError.unsupported(node: g.name, op: "graph", opset: 0, detail: "sparse initializers are not supported") }
        let defaultOpset = model.opsets.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 0
        if defaultOpset <= 0 {
            // Models made only of other domains' operators (ai.onnx.ml, training): name the first.
            if let n = g.nodes.first(where: { !$0.domain.isEmpty && $0.domain != "ai.onnx" }) {
                throw ONNXError.unsupported(node: n.name, op: "\(n.domain).\(n.opType)", opset: 0,
                                            detail: "operator domain '\(n.domain)' is not supported")
            }
            throw ONNXError.invalidModel("no opset import for the default ONNX domain")
        }
        opset = Int(clamping: defaultOpset)
        var consts: [String: Tensor] = [:]
        let op = opset
        for t in g.initializers {
            if t.hasStrings { throw ONNXError.unsupported(node: t.name, op: "initializer", opset: op, detail: "string tensors are not supported") }
            consts[t.name] = try t.decode(baseDirectory: baseDirectory)
        }
        constants = consts
        inputs = g.inputs.filter { consts[$0.name] == nil }
        outputs = g.outputs
        nodes = g.nodes.enumerated().map { IRNode($1, index: $0) }
        for v in inputs + outputs where !v.isTensor {
            throw ONNXError.unsupported(node: v.name, op: "graph", opset: opset, detail: "non-tensor (sequence/map/optional) graph inputs and outputs are not supported")
        }
        nodes = g.nodes.enumerated().map { IRNode($1, index: $0) }
        try inlineFunctions(model.functions)
        try checkSubgraphs()
        try sortTopologically()
    }

    private func checkSubgraphs() throws {
        for n in nodes where n.attributes.contains(where: { $0.g != nil || $0.type == 5 || $0.type == 10 }) {
            throw ONNXError.unsupported(node: n.name, op: n.opType, opset: opset, detail: "operators with subgraphs are not supported")
        }
    }

    /// Replaces calls to model-local functions with their bodies (recursively, bounded depth),
    /// renaming internal values uniquely and binding attribute references.
    private mutating func inlineFunctions(_ functions: [FunctionProto]) throws {
        if functions.isEmpty { return }
        var table: [String: FunctionProto] = [:]
        for f in functions { table["\(f.domain)::\(f.name)"] = f }
        var counter = 0
        for _ in 0..<16 {
            var changed = false
            var out: [IRNode] = []
            for n in nodes {
                guard let f = table["\(n.domain)::\(n.opType)"] else { out.append(n); continue }
                changed = true
                counter += 1
                let prefix = "\(n.name)/\(f.name)#\(counter)/"
                var rename: [String: String] = ["": ""]
                for (i, name) in f.inputs.enumerated() { rename[name] = i < n.inputs.count ? n.inputs[i] : "" }
                for (i, name) in f.outputs.enumerated() where i < n.outputs.count { rename[name] = n.outputs[i] }
                var callerAttrs: [String: AttributeProto] = [:]
                for a in f.attributeDefaults { callerAttrs[a.name] = a }
                for a in n.attributes { callerAttrs[a.name] = a }
                for (j, inner) in f.nodes.enumerated() {
                    var m = IRNode(inner, index: j)
                    m.name = prefix + m.name
                    m.inputs = inner.inputs.map { rename[$0] ?? (prefix + $0) }
                    m.outputs = inner.outputs.map { rename[$0] ?? (prefix + $0) }
                    var attrs: [AttributeProto] = []
                    for a in inner.attributes {
                        if let ref = a.refAttrName {
                            if var bound = callerAttrs[ref] { bound.name = a.name; bound.refAttrName = nil; attrs.append(bound) }
                        } else { attrs.append(a) }
                    }
                    m.attributes = attrs
                    out.append(m)
                }
            }
            nodes = out
            if !changed { return }
        }
        throw ONNXError.invalidModel("model-local functions nest more than 16 levels")
    }

    /// ONNX requires topological order; we sort anyway (stable) and reject cycles or
    /// references to values nothing defines.
    mutating func sortTopologically() throws {
        var defined = Set(constants.keys).union(inputs.map(\.name))
        defined.insert("")
        var remaining = nodes
        var sorted: [IRNode] = []
        sorted.reserveCapacity(nodes.count)
        while !remaining.isEmpty {
            var next: [IRNode] = []
            var progressed = false
            for n in remaining {
                if n.inputs.allSatisfy({ defined.contains($0) }) {
                    sorted.append(n)
                    for o in n.outputs { defined.insert(o) }
                    progressed = true
                } else { next.append(n) }
            }
            if !progressed {
                let n = next[0]
                let missing = n.inputs.first { !defined.contains($0) } ?? "?"
                throw ONNXError.invalidModel("node '\(n.name)' (\(n.opType)) uses '\(missing)', which no node, input or initializer defines (or the graph has a cycle)")
            }
            remaining = next
        }
        nodes = sorted
        for o in outputs where !defined.contains(o.name) {
            throw ONNXError.invalidModel("graph output '\(o.name)' is never produced")
        }
    }

    /// How many nodes read each value, and whether it is a graph output.
    func consumers() -> [String: Int] {
        var c: [String: Int] = [:]
        for n in nodes { for i in n.inputs where !i.isEmpty { c[i, default: 0] += 1 } }
        for o in outputs { c[o.name, default: 0] += 1000 }
        return c
    }
}

import Foundation
