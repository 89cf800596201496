import Foundation

/// Why a model scored an image as it did: a 2-D relevance map on the model's own grid (a rank-2
/// tensor, `height × width`, normalised to 0…1) and how it was made. Bringing it onto the source
/// image's pixels is Analysis's `ModelGridHeatmap`, the one heatmap type the other modules share.
public struct Explanation: Sendable, Equatable {
    public enum Method: String, Sendable {
        case modelOutput = "model-output"
        case classActivationMap = "class-activation-map"
        case occlusion
    }
    public let map: Tensor
    public let method: Method
    public var height: Int { map.shape[0] }
    public var width: Int { map.shape[1] }
}

extension Model {
    /// The classifier head found in the compiled graph: feature map name, Gemm weights and layout.
    struct CAMHead { let features: String; let weights: Tensor; let transB: Bool }

    /// Finds `features → GlobalAveragePool → (Flatten|Reshape|Identity)* → Gemm(constant W)`.
    var camHead: CAMHead? {
        let nodes = graph.nodes
        var producer: [String: IRNode] = [:]
        for n in nodes { for o in n.outputs { producer[o] = n } }
        for n in nodes.reversed() where n.opType == "Gemm" && n.inputs.count >= 2 {
            guard let w = graph.constants[n.inputs[1]], w.isFloat, w.rank == 2 else { continue }
            var src = n.inputs[0]
            while let p = producer[src], ["Flatten", "Reshape", "Identity", "Squeeze"].contains(p.opType) { src = p.inputs[0] }
            guard let gap = producer[src], gap.opType == "GlobalAveragePool" else { continue }
            let attrs = NodeAttributes(node: n, opset: graph.opset)
            let transB = ((try? attrs.int("transB", 0)) ?? 0) != 0
            return CAMHead(features: gap.inputs[0], weights: w, transB: transB)
        }
        return nil
    }

    /// True when class activation maps can be derived from the graph.
    public var supportsClassActivationMaps: Bool { camHead != nil }

    /// Class activation map (Zhou et al. 2016) for `classIndex`: the last feature map weighted by
    /// the linear layer's row for that class, ReLU'd and normalised to [0, 1], on the feature grid.
    public func classActivationMap(_ feeds: [String: Tensor], classIndex: Int) throws -> Explanation {
        guard let head = camHead else { throw ONNXError.invalidModel("no GlobalAveragePool → Gemm classifier head for class activation maps") }
        let kept = try runKeeping(feeds, keep: [head.features])
        guard let f = kept[head.features], f.isFloat, f.rank == 4 else { throw ONNXError.invalidModel("feature map is not N×C×H×W") }
        let c = f.shape[1], h = f.shape[2], w = f.shape[3]
        let classes = head.transB ? head.weights.shape[0] : head.weights.shape[1]
        guard classIndex >= 0, classIndex < classes else { throw ONNXError.badInput("class \(classIndex) out of range 0..<\(classes)") }
        guard (head.transB ? head.weights.shape[1] : head.weights.shape[0]) == c else { throw ONNXError.invalidModel("classifier width does not match feature channels") }
        var map = [Float](repeating: 0, count: h * w)
        for k in 0..<c {
            let wk = head.transB ? head.weights.floats[classIndex * c + k] : head.weights.floats[k * classes + classIndex]
            for i in 0..<(h * w) { map[i] += wk * f.floats[k * h * w + i] }
        }
        return Explanation(map: try Tensor(shape: [h, w], floats: normalise(map.map { Swift.max($0, 0) })), method: .classActivationMap)
    }

    /// Occlusion sensitivity (Zeiler & Fergus 2014), model-agnostic: slides a `patch`-sized
    /// square of `fill` over the image input (N×C×H×W) with `stride`, and records how much the
    /// score `output[classIndex]` drops. Cancellable; reports progress per row of patches.
    public func occlusionSensitivity(_ feeds: [String: Tensor], input: String, output: String, classIndex: Int,
                                     patch: Int = 16, stride: Int = 8, fill: Float = 0,
                                     progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> Explanation {
        guard let x = feeds[input], x.isFloat, x.rank == 4, patch > 0, stride > 0 else {
            throw ONNXError.badInput("occlusion needs a float N×C×H×W input '\(input)' and positive patch/stride")
        }
        func score(_ f: [String: Tensor]) async throws -> Float {
            guard let y = try await run(f)[output], classIndex < y.count else { throw ONNXError.badInput("output '\(output)' has no class \(classIndex)") }
            return y.floatValues[classIndex]
        }
        let base = try await score(feeds)
        let c = x.shape[1], h = x.shape[2], w = x.shape[3]
        var drop = [Float](repeating: 0, count: h * w), hits = [Float](repeating: 0, count: h * w)
        let ys = Array(Swift.stride(from: 0, to: Swift.max(h - patch, 0) + 1, by: stride))
        let xs = Array(Swift.stride(from: 0, to: Swift.max(w - patch, 0) + 1, by: stride))
        for (row, y0) in ys.enumerated() {
            for x0 in xs {
                try Task.checkCancellation()
                var occluded = x
                for b in 0..<x.shape[0] { for ch in 0..<c { for y in y0..<Swift.min(y0 + patch, h) { for xx in x0..<Swift.min(x0 + patch, w) {
                    occluded.floats[((b * c + ch) * h + y) * w + xx] = fill
                } } } }
                var f = feeds; f[input] = occluded
                let d = base - (try await score(f))
                for y in y0..<Swift.min(y0 + patch, h) { for xx in x0..<Swift.min(x0 + patch, w) { drop[y * w + xx] += d; hits[y * w + xx] += 1 } }
            }
            progress(Progress(completed: row + 1, total: ys.count))
        }
        let avg = zip(drop, hits).map { $1 > 0 ? Swift.max($0 / $1, 0) : 0 }
        return Explanation(map: try Tensor(shape: [h, w], floats: normalise(avg)), method: .occlusion)
    }

    /// The best available explanation for `classIndex`, on the model's grid: the card's heatmap
    /// output if it declares one, else a class activation map, else occlusion.
    public func explain(_ feeds: [String: Tensor], classIndex: Int) async throws -> Explanation {
        if let name = card?.outputs.heatmap {
            guard let t = try await run(feeds)[name], t.isFloat, t.rank >= 2 else { throw ONNXError.card("heatmap output '\(name)' missing or not 2-D") }
            let h = t.shape[t.rank - 2], w = t.shape[t.rank - 1]
            let plane = h * w
            guard plane > 0 else { throw ONNXError.card("heatmap output '\(name)' is empty") }
            let channel = t.count / plane > classIndex ? classIndex : 0
            return Explanation(map: try Tensor(shape: [h, w], floats: Array(t.floats[(channel * plane)..<((channel + 1) * plane)])), method: .modelOutput)
        }
        if supportsClassActivationMaps { return try classActivationMap(feeds, classIndex: classIndex) }
        guard let input = inputs.first?.name, let output = outputs.first?.name else { throw ONNXError.invalidModel("model has no inputs or outputs") }
        return try await occlusionSensitivity(feeds, input: input, output: output, classIndex: classIndex)
    }
}

private func normalise(_ v: [Float]) -> [Float] {
    let mx = v.max() ?? 0
    return mx > 0 ? v.map { $0 / mx } : v
}
