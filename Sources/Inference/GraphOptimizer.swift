/// Load-time rewrites: constant folding, shape folding (using the shapes static shape
/// inference found), Conv+BatchNormalization folding, and activation fusion into the
/// epilogue of Conv / ConvTranspose / Gemm.
enum GraphOptimizer {
    /// Largest tensor constant folding may materialise (elements); bigger stays a runtime op.
    static let maxFoldedElements = 1 << 24

    /// Evaluates every node whose inputs are all constants and turns its outputs into constants.
    static func foldConstants(_ g: inout IRGraph) throws {
        var kept: [IRNode] = []
        let graphOutputs = Set(g.outputs.map(\.name))
        for n in g.nodes {
            let foldable = n.opType != "Dropout" && !n.outputs.contains(where: { graphOutputs.contains($0) }) &&
                n.inputs.allSatisfy { $0.isEmpty || g.constants[$0] != nil }
            guard foldable else { kept.append(n); continue }
            let k = try OperatorRegistry.makeKernel(n, opset: g.opset)
            let outs: [Tensor]
            var ins: [Tensor?] = n.inputs.map { $0.isEmpty ? nil : g.constants[$0] }
            do { outs = try k.run(&ins) }
            catch { kept.append(n); continue } // leave it for runtime to report in context
            if outs.contains(where: { $0.count > maxFoldedElements }) || outs.count < n.outputs.filter({ !$0.isEmpty }).count {
                kept.append(n); continue
            }
            for (i, name) in n.outputs.enumerated() where !name.isEmpty { g.constants[name] = outs[i] }
        }
        g.nodes = kept
        pruneConstants(&g)
    }

    /// Replaces Shape nodes whose input shape is known statically by constants.
    static func foldShapes(_ g: inout IRGraph, shapes: [String: [Int]]) throws {
        var kept: [IRNode] = []
        for n in g.nodes {
            guard n.opType == "Shape", let s = shapes[n.inputs[0]] else { kept.append(n); continue }
            let a = NodeAttributes(node: n, opset: g.opset)
            let r = s.count
            let start = try a.int("start", 0), end = a.has("end") ? try a.int("end", r) : r
            func clampAxis(_ x: Int) -> Int { Swift.min(Swift.max(x < 0 ? x + r : x, 0), r) }
            let lo = clampAxis(start), hi = clampAxis(end)
            g.constants[n.outputs[0]] = Tensor(validShape: [Swift.max(0, hi - lo)], ints: lo < hi ? s[lo..<hi].map { Int64($0) } : [])
        }
        g.nodes = kept
        try foldConstants(&g)
    }

    /// Conv (constant W, optional constant B) followed only by an inference BatchNormalization
    /// with constant parameters becomes one Conv with rescaled weights and a new bias.
    static func foldBatchNorm(_ g: inout IRGraph) throws {
        var uses = g.consumers()
        var producer: [String: Int] = [:]
        for (i, n) in g.nodes.enumerated() { for o in n.outputs { producer[o] = i } }
        var removed = Set<Int>()
        for (bi, bn) in g.nodes.enumerated() where bn.opType == "BatchNormalization" && bn.outputs.filter({ !$0.isEmpty }).count == 1 {
            guard bn.inputs.count == 5, let ci = producer[bn.inputs[0]], g.nodes[ci].opType == "Conv",
                  uses[bn.inputs[0]] == 1, g.nodes[ci].fused == nil else { continue }
            let attrs = NodeAttributes(node: bn, opset: g.opset)
            guard try attrs.int("training_mode", 0) == 0 else { continue }
            let eps = try attrs.float("epsilon", 1e-5)
            let conv = g.nodes[ci]
            guard conv.inputs.count >= 2, let w = g.constants[conv.inputs[1]], w.isFloat, w.rank >= 3,
                  let scale = g.constants[bn.inputs[1]], let beta = g.constants[bn.inputs[2]],
                  let mean = g.constants[bn.inputs[3]], let variance = g.constants[bn.inputs[4]] else { continue }
            let m = w.shape[0]
            guard scale.count == m, beta.count == m, mean.count == m, variance.count == m else { continue }
            var bias = [Float](repeating: 0, count: m)
            if conv.inputs.count >= 3, !conv.inputs[2].isEmpty {
                guard let b = g.constants[conv.inputs[2]], b.count == m else { continue }
                bias = b.floatValues
            }
            let per = w.count / m
            var nw = w.floats
            let sc = scale.floatValues, bt = beta.floatValues, mu = mean.floatValues, va = variance.floatValues
            for o in 0..<m {
                let k = sc[o] / (va[o] + eps).squareRoot()
                for j in 0..<per { nw[o * per + j] *= k }
                bias[o] = (bias[o] - mu[o]) * k + bt[o]
            }
            let wName = conv.outputs[0] + "#bn_folded_W", bName = conv.outputs[0] + "#bn_folded_B"
            g.constants[wName] = Tensor(validShape: w.shape, floats: nw)
            g.constants[bName] = Tensor(validShape: [m], floats: bias)
            g.nodes[ci].inputs = [conv.inputs[0], wName, bName]
            g.nodes[ci].outputs = [bn.outputs[0]]
            removed.insert(bi)
            uses[bn.inputs[0]] = 0
        }
        g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        pruneConstants(&g)
    }

    /// Conv/ConvTranspose/Gemm → single-reader activation becomes a fused epilogue; after
    /// BatchNormalization, InstanceNormalization and Add it runs in place on the fresh output.
    static func fuseActivations(_ g: inout IRGraph) throws {
        let uses = g.consumers()
        var producer: [String: Int] = [:]
        for (i, n) in g.nodes.enumerated() { for o in n.outputs { producer[o] = i } }
        var removed = Set<Int>()
        for (ai, act) in g.nodes.enumerated() {
            guard let src = act.inputs.first, let pi = producer[src], uses[src] == 1,
                  ["Conv", "ConvTranspose", "Gemm", "BatchNormalization", "InstanceNormalization", "Add"].contains(g.nodes[pi].opType),
                  g.nodes[pi].outputs.count == 1, g.nodes[pi].fused == nil else { continue }
            let a = NodeAttributes(node: act, opset: g.opset)
            let op: UnaryOp
            switch act.opType {
            case "Relu": op = .relu
            case "Sigmoid": op = .sigmoid
            case "Tanh": op = .tanh
            case "HardSwish": op = .hardSwish
            case "Elu": op = .elu(try a.float("alpha", 1))
            case "LeakyRelu": op = .leakyRelu(try a.float("alpha", 0.01))
            case "HardSigmoid": op = .hardSigmoid(try a.float("alpha", 0.2), try a.float("beta", 0.5))
            case "Clip":
                if g.opset < 11 { op = .clip(try a.float("min", -.infinity), try a.float("max", .infinity)) }
                else {
                    let lo = act.inputs.count > 1 && !act.inputs[1].isEmpty ? g.constants[act.inputs[1]] : Tensor(scalar: -.infinity)
                    let hi = act.inputs.count > 2 && !act.inputs[2].isEmpty ? g.constants[act.inputs[2]] : Tensor(scalar: .infinity)
                    guard let lo, let hi, lo.count == 1, hi.count == 1 else { continue }
                    op = .clip(lo.floatValues[0], hi.floatValues[0])
                }
            default: continue
            }
            try a.finish()
            g.nodes[pi].fused = op
            g.nodes[pi].outputs[0] = act.outputs[0]
            removed.insert(ai)
        }
        g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }

    /// Drops constants nothing reads any more (e.g. unfolded BN parameters).
    static func pruneConstants(_ g: inout IRGraph) {
        var used = Set(g.outputs.map(\.name))
        for n in g.nodes { for i in n.inputs { used.insert(i) } }
        g.constants = g.constants.filter { used.contains($0.key) }
    }
}
