extension GraphOptimizer {
    /// Zero `Pad` (constant mode, spatial axes only) read only by a Conv becomes that Conv's
    /// own padding. MONAI and TF-style "same" convolutions export an explicit Pad before every
    /// strided or depthwise Conv; as a separate operator it copied the whole tensor, and on the
    /// oneDNN backend it also forced a round trip out of NHWC. Runs after constant folding, so
    /// the pads input is a constant when the exporter computed it from static shapes.
    static func foldPadIntoConv(_ g: inout IRGraph) throws {
        removeNoOpPads(&g)
        let uses = g.consumers()
        var consumer: [String: Int] = [:]
        for (i, n) in g.nodes.enumerated() { for s in n.inputs where !s.isEmpty { consumer[s] = i } }
        var removed = Set<Int>()
        for (pi, pad) in g.nodes.enumerated() where pad.opType == "Pad" && (pad.domain.isEmpty || pad.domain == "ai.onnx") {
            guard pad.outputs.count == 1, let out = pad.outputs.first, uses[out] == 1, let ci = consumer[out],
                  g.nodes[ci].opType == "Conv", g.nodes[ci].inputs.first == out, g.nodes[ci].fused == nil,
                  let spatialPads = try zeroSpatialPads(pad, g) else { continue }
            let conv = NodeAttributes(node: g.nodes[ci], opset: g.opset)
            guard try conv.string("auto_pad", "NOTSET") == "NOTSET" else { continue }
            let nd = spatialPads.count / 2
            let old = try conv.ints("pads") ?? [Int](repeating: 0, count: 2 * nd)
            guard old.count == 2 * nd else { continue }
            var attr = AttributeProto()
            attr.name = "pads"
            attr.type = 7
            attr.ints = zip(old, spatialPads).map { Int64($0 + $1) }
            g.nodes[ci].attributes.removeAll { $0.name == "pads" }
            g.nodes[ci].attributes.append(attr)
            g.nodes[ci].inputs[0] = pad.inputs[0]
            removed.insert(pi)
        }
        g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        pruneConstants(&g)
    }

    /// A Pad whose pads are all zero (any mode) is dropped and its readers read its input.
    /// MONAI's BasicUNet pads every skip connection by a size difference that folds to zero
    /// for even input sizes.
    static func removeNoOpPads(_ g: inout IRGraph) {
        let graphOutputs = Set(g.outputs.map(\.name))
        var alias: [String: String] = [:]
        g.nodes.removeAll { n in
            guard n.opType == "Pad", n.domain.isEmpty || n.domain == "ai.onnx", n.outputs.count == 1,
                  !graphOutputs.contains(n.outputs[0]), let x = n.inputs.first, !x.isEmpty else { return false }
            let given: [Int64]
            if g.opset < 11 {
                guard let p = try? NodeAttributes(node: n, opset: g.opset).ints("pads") else { return false }
                given = p.map { Int64($0) }
            } else {
                guard n.inputs.count >= 2, let p = g.constants[n.inputs[1]] else { return false }
                given = p.int64Values
            }
            guard !given.isEmpty, given.allSatisfy({ $0 == 0 }) else { return false }
            alias[n.outputs[0]] = alias[x] ?? x
            return true
        }
        guard !alias.isEmpty else { return }
        for i in g.nodes.indices { g.nodes[i].inputs = g.nodes[i].inputs.map { alias[$0] ?? $0 } }
        pruneConstants(&g)
    }

    /// The spatial pads (begins…, ends…) of a constant-mode, zero-value Pad of a float N×C×… tensor
    /// that pads no batch or channel, when all of that is known from constants; else nil.
    private static func zeroSpatialPads(_ pad: IRNode, _ g: IRGraph) throws -> [Int]? {
        let a = NodeAttributes(node: pad, opset: g.opset)
        guard try a.string("mode", "constant") == "constant" else { return nil }
        var given: [Int]
        var value: Float = 0
        if g.opset < 11 {
            guard let p = try a.ints("pads") else { return nil }
            given = p
            value = try a.float("value", 0)
        } else {
            guard pad.inputs.count >= 2, let p = g.constants[pad.inputs[1]] else { return nil }
            given = p.int64Values.map { Int(clamping: $0) }
            if pad.inputs.count >= 3, !pad.inputs[2].isEmpty {
                guard let v = g.constants[pad.inputs[2]], v.count == 1 else { return nil }
                value = v.floatValues[0]
            }
            if pad.inputs.count >= 4, !pad.inputs[3].isEmpty { return nil } // axes form: leave it
        }
        let r = given.count / 2
        guard value == 0, r >= 3, given.count == 2 * r, given.allSatisfy({ $0 >= 0 }),
              given[0] == 0, given[1] == 0, given[r] == 0, given[r + 1] == 0 else { return nil }
        return Array(given[2..<r]) + Array(given[(r + 2)...])
    }
}

extension GraphOptimizer {
    /// `Mul(x, Sigmoid(x))` (SiLU / swish, as PyTorch exports it) after a Conv becomes the Conv's
    /// fused `swish` epilogue (oneDNN's eltwise_swish on that backend). EfficientNet spends half
    /// its time in these two elementwise passes otherwise.
    static func fuseSwish(_ g: inout IRGraph) throws {
        let uses = g.consumers()
        var producer: [String: Int] = [:]
        for (i, n) in g.nodes.enumerated() { for o in n.outputs { producer[o] = i } }
        var removed = Set<Int>()
        for (mi, mul) in g.nodes.enumerated() where mul.opType == "Mul" && mul.inputs.count == 2 {
            for (xi, si) in [(0, 1), (1, 0)] {
                let x = mul.inputs[xi], s = mul.inputs[si]
                guard let sp = producer[s], g.nodes[sp].opType == "Sigmoid", g.nodes[sp].inputs.first == x,
                      uses[s] == 1, uses[x] == 2, let cp = producer[x], g.nodes[cp].opType == "Conv",
                      g.nodes[cp].fused == nil, g.nodes[cp].outputs.count == 1,
                      !removed.contains(sp), !removed.contains(cp) else { continue }
                g.nodes[cp].fused = .swish
                g.nodes[cp].outputs[0] = mul.outputs[0]
                removed.insert(sp); removed.insert(mi)
                break
            }
        }
        g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}
