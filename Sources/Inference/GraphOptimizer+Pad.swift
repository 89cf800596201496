extension GraphOptimizer {
    /// Zero `Pad` (constant mode, spatial axes only) read only by a Conv becomes that Conv's
    /// own padding. MONAI and TF-style "same" convolutions export an explicit Pad before every
    /// strided or depthwise Conv; as a separate operator it copied the whole tensor, and on the
    /// oneDNN backend it also forced a round trip out of NHWC. Runs after constant folding, so
    /// the pads input is a constant when the exporter computed it from static shapes.
    static func foldPadIntoConv(_ g: inout IRGraph) throws {
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
