/// A compiled graph: kernels in order, values in numbered slots, and a liveness-based memory
/// plan — each intermediate slot is released right after its last reader runs, so peak memory
/// is the largest live set rather than the sum of all activations, and the allocator hands the
/// freed blocks to the next layers.
final class ExecutionPlan {
    struct Step {
        let kernel: Kernel
        let inputs: [Int]      // -1 for omitted optional inputs
        let outputs: [Int]     // -1 for omitted optional outputs
        let release: [Int]
        let name: String
        let opType: String
    }

    let steps: [Step]
    let slotCount: Int
    let constants: [(Int, Tensor)]
    let inputSlots: [(String, Int)]
    let outputSlots: [(String, Int)]
    let slotNames: [String]

    init(graph: IRGraph) throws {
        var slot: [String: Int] = [:]
        var names: [String] = []
        func id(_ name: String) -> Int {
            if name.isEmpty { return -1 }
            if let s = slot[name] { return s }
            slot[name] = names.count; names.append(name)
            return names.count - 1
        }
        var consts: [(Int, Tensor)] = []
        for (k, v) in graph.constants.sorted(by: { $0.key < $1.key }) { consts.append((id(k), v)) }
        // A graph input or output without a name has no slot (id −1): refuse the model rather than
        // index with −1 later (found by the byte-flip test).
        if let bad = (graph.inputs + graph.outputs).first(where: { $0.name.isEmpty }) {
            throw ONNXError.invalidModel("graph input or output with an empty name (\(bad))")
        }
        inputSlots = graph.inputs.map { ($0.name, id($0.name)) }
        var built: [(Kernel, [Int], [Int], String, String)] = []
        for n in graph.nodes {
            var k = n.domain == NHWCLowering.domain
                ? try NHWCKernels.make(n, opset: graph.opset, constants: graph.constants)
                : try OperatorRegistry.makeKernel(n, opset: graph.opset)
            if let act = n.fused, n.domain != NHWCLowering.domain {
                if let c = k as? ConvKernel { c.activation = act }
                else if let c = k as? ConvTransposeKernel { c.activation = act }
                else if let g = k as? GemmKernel { g.activation = act }
                else { k = FusedActivationKernel(inner: k, activation: act) }
            }
            if n.planarDNNL, let c = k as? ConvKernel { c.planarDNNL = true }
            if n.planarDNNL, let c = k as? ConvTransposeKernel { c.planarDNNL = true }
            built.append((k, n.inputs.map(id), n.outputs.map(id), n.name, n.opType))
        }
        outputSlots = graph.outputs.map { ($0.name, id($0.name)) }
        // Liveness: last step reading each slot; graph outputs and constants are never released.
        var lastUse = [Int](repeating: -1, count: names.count)
        for (i, b) in built.enumerated() { for s in b.1 where s >= 0 { lastUse[s] = i } }
        let pinned = Set(outputSlots.map(\.1)).union(consts.map(\.0))
        var releaseAt = [[Int]](repeating: [], count: built.count)
        for (s, last) in lastUse.enumerated() where last >= 0 && !pinned.contains(s) { releaseAt[last].append(s) }
        // Outputs nobody reads are released right after they are made.
        for (i, b) in built.enumerated() { for s in b.2 where s >= 0 && lastUse[s] < 0 && !pinned.contains(s) { releaseAt[i].append(s) } }
        steps = built.enumerated().map { i, b in Step(kernel: b.0, inputs: b.1, outputs: b.2, release: releaseAt[i], name: b.3, opType: b.4) }
        slotCount = names.count
        constants = consts
        slotNames = names
    }

    /// Runs the plan. `observe` sees each step's inputs and outputs (used by shape inference,
    /// FLOP counting and class-activation maps); `isCancelled` is polled between steps.
    func execute(_ feeds: [String: Tensor],
                 observe: ((Step, [Tensor?], [Tensor]) -> Void)? = nil,
                 keep: Set<String> = [],
                 isCancelled: () -> Bool = { false }) throws -> [String: Tensor] {
        var values = [Tensor?](repeating: nil, count: slotCount)
        for (s, t) in constants { values[s] = t }
        for (name, s) in inputSlots {
            guard let t = feeds[name] else { throw ONNXError.badInput("missing input '\(name)'") }
            values[s] = t
        }
        let keepSlots = Set(keep.compactMap { k in slotNames.firstIndex(of: k) })
        var kept: [String: Tensor] = [:]
        for step in steps {
            if isCancelled() { throw ONNXError.cancelled }
            var ins: [Tensor?] = step.inputs.map { $0 >= 0 ? values[$0] : nil }
            // Release dead values before the kernel runs so it may reuse their storage in place.
            let observing = observe != nil
            if !observing { for s in step.release { values[s] = nil } }
            let outs: [Tensor]
            do { outs = try step.kernel.run(&ins) }
            catch let e as ONNXError {
                switch e {
                case .badInput(let m): throw ONNXError.badInput("node '\(step.name)' (\(step.opType)): \(m)")
                case .invalidModel(let m): throw ONNXError.invalidModel("node '\(step.name)' (\(step.opType)): \(m)")
                default: throw e
                }
            }
            if observing { observe?(step, step.inputs.map { $0 >= 0 ? values[$0] : nil }, outs) }
            for (i, s) in step.outputs.enumerated() where s >= 0 {
                guard i < outs.count else { throw ONNXError.invalidModel("node '\(step.name)' (\(step.opType)) produced \(outs.count) outputs, model expects \(step.outputs.count)") }
                values[s] = outs[i]
                if keepSlots.contains(s) {
                    // Callers see NCHW: a kept value the oneDNN backend holds channels-last is changed back.
                    kept[slotNames[s]] = slotNames[s].hasSuffix(NHWCLowering.suffix) && outs[i].rank == 4
                        ? try LayoutTranspose.toNCHW(outs[i]) : outs[i]
                }
            }
            for s in step.release { values[s] = nil }
        }
        var result = kept
        for (name, s) in outputSlots {
            guard s >= 0, s < values.count, let t = values[s] else { throw ONNXError.invalidModel("output '\(name)' was not computed") }
            result[name] = t
        }
        return result
    }
}
