/// Operators that move or reinterpret elements without arithmetic: Concat, Split, Slice,
/// Gather, Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Expand, Tile, Pad, Shape,
/// Identity, Dropout. All work on float and integer tensors alike.

/// Builds a tensor from `t` by picking source element `index[i]` for output element i
/// (-1 means the fill value). Used by the irregular movers (Gather, Slice, Pad, Transpose, Tile).
func remap(_ t: Tensor, shape: [Int], index: [Int], fill: Float = 0, fillInt: Int64 = 0) -> Tensor {
    if t.isFloat {
        var out = [Float](repeating: fill, count: index.count)
        t.floats.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<index.count where index[i] >= 0 { dst[i] = src[index[i]] }
            }
        }
        return Tensor(validShape: shape, floats: out)
    }
    var out = [Int64](repeating: fillInt, count: index.count)
    for i in 0..<index.count where index[i] >= 0 { out[i] = t.ints[index[i]] }
    return Tensor(validShape: shape, ints: out, type: t.dataType)
}

/// Calls body(outFlatIndex, multiIndex) over every element of `shape` in row-major order.
@inline(__always)
func forEachIndex(_ shape: [Int], _ body: (Int, [Int]) -> Void) {
    let n = shape.reduce(1, *)
    if n == 0 { return }
    var idx = [Int](repeating: 0, count: shape.count)
    for i in 0..<n {
        body(i, idx)
        var d = shape.count - 1
        while d >= 0 { idx[d] += 1; if idx[d] < shape[d] { break }; idx[d] = 0; d -= 1 }
    }
}

func concatKernel(attrs: NodeAttributes) throws -> Kernel {
    let axisAttr = try attrs.int("axis", attrs.opset < 4 ? 1 : Int.min)
    guard axisAttr != Int.min else { throw attrs.invalid("Concat requires an axis") }
    return ClosureKernel { inputs in
        let parts = inputs.compactMap { $0 }
        guard let first = parts.first else { throw ONNXError.badInput("Concat with no inputs") }
        let axis = try normalizeAxis(axisAttr, rank: first.rank)
        var outShape = first.shape
        outShape[axis] = 0
        for p in parts {
            guard p.rank == first.rank, p.dataType == first.dataType else { throw ONNXError.badInput("Concat inputs differ in rank or type") }
            for d in 0..<p.rank where d != axis && p.shape[d] != first.shape[d] {
                throw ONNXError.badInput("Concat inputs \(first.shape) and \(p.shape) differ off the axis")
            }
            outShape[axis] += p.shape[axis]
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let outRow = outShape[axis] * inner
        if first.isFloat {
            var out = uninitializedFloats(try checkedCount(outShape))
            out.withUnsafeMutableBufferPointer { dst in
                var colOff = 0
                for p in parts {
                    let row = p.shape[axis] * inner
                    p.floats.withUnsafeBufferPointer { src in
                        for o in 0..<outer where row > 0 {
                            (dst.baseAddress! + o * outRow + colOff).update(from: src.baseAddress! + o * row, count: row)
                        }
                    }
                    colOff += row
                }
            }
            return [Tensor(validShape: outShape, floats: out)]
        }
        var out = [Int64](repeating: 0, count: try checkedCount(outShape))
        var colOff = 0
        for p in parts {
            let row = p.shape[axis] * inner
            for o in 0..<outer { for j in 0..<row { out[o * outRow + colOff + j] = p.ints[o * row + j] } }
            colOff += row
        }
        return [Tensor(validShape: outShape, ints: out, type: first.dataType)]
    }
}

func splitKernel(attrs: NodeAttributes, outputCount: Int) throws -> Kernel {
    let axisAttr = try attrs.int("axis", 0)
    let splitAttr = try attrs.ints("split")
    let numOutputs = try attrs.int("num_outputs", 0)
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let axis = try normalizeAxis(axisAttr, rank: x.rank)
        let dim = x.shape[axis]
        var sizes: [Int]
        if let s = inputs.optional(1) { sizes = s.int64Values.map { Int($0) } }
        else if let s = splitAttr, !s.isEmpty { sizes = s }
        else {
            let parts = numOutputs > 0 ? numOutputs : outputCount
            let chunk = (dim + parts - 1) / parts
            sizes = (0..<parts).map { i in Swift.max(0, Swift.min(chunk, dim - i * chunk)) }
        }
        guard sizes.count == outputCount, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == dim else {
            throw ONNXError.badInput("Split sizes \(sizes) do not cover axis length \(dim) in \(outputCount) outputs")
        }
        let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
        var results: [Tensor] = []
        var start = 0
        for sz in sizes {
            var shape = x.shape; shape[axis] = sz
            var index = [Int](); index.reserveCapacity(outer * sz * inner)
            for o in 0..<outer { for j in 0..<(sz * inner) { index.append((o * dim + start) * inner + j) } }
            results.append(remap(x, shape: shape, index: index))
            start += sz
        }
        return results
    }
}

func sliceKernel(attrs: NodeAttributes) throws -> Kernel {
    let legacy = attrs.opset < 10
    let sA = legacy ? try attrs.ints("starts") : nil
    let eA = legacy ? try attrs.ints("ends") : nil
    let aA = legacy ? try attrs.ints("axes") : nil
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let starts: [Int64], ends: [Int64]
        var axes: [Int64]?, steps: [Int64]?
        if legacy {
            guard let sA, let eA else { throw ONNXError.invalidModel("Slice-1 needs starts and ends") }
            starts = sA.map(Int64.init); ends = eA.map(Int64.init); axes = aA.map { $0.map(Int64.init) }
        } else {
            starts = try inputs.required(1).int64Values; ends = try inputs.required(2).int64Values
            axes = inputs.optional(3)?.int64Values; steps = inputs.optional(4)?.int64Values
        }
        let axs = axes ?? (0..<Int64(starts.count)).map { $0 }
        let sts = steps ?? [Int64](repeating: 1, count: starts.count)
        guard ends.count == starts.count, axs.count == starts.count, sts.count == starts.count else {
            throw ONNXError.badInput("Slice starts/ends/axes/steps lengths differ")
        }
        var begin = [Int](repeating: 0, count: x.rank), step = [Int](repeating: 1, count: x.rank)
        var outShape = x.shape
        for i in 0..<starts.count {
            let ax = try normalizeAxis(Int(clamping: axs[i]), rank: x.rank)
            let dim = Int64(x.shape[ax])
            let st = sts[i]
            guard st != 0 else { throw ONNXError.badInput("Slice step 0") }
            var s = starts[i], e = ends[i]
            if s < 0 { s += dim }
            if e < 0 { e += dim }
            if st > 0 {
                s = Swift.min(Swift.max(s, 0), dim); e = Swift.min(Swift.max(e, 0), dim)
                outShape[ax] = e > s ? Int((e - s + st - 1) / st) : 0
            } else {
                s = Swift.min(Swift.max(s, 0), dim - 1); e = Swift.min(Swift.max(e, -1), dim - 1)
                outShape[ax] = s > e ? Int((s - e + (-st) - 1) / (-st)) : 0
            }
            begin[ax] = Int(s); step[ax] = Int(st)
        }
        let st = strides(of: x.shape)
        var index = [Int](); index.reserveCapacity(outShape.reduce(1, *))
        forEachIndex(outShape) { _, idx in
            var off = 0
            for d in 0..<idx.count { off += (begin[d] + idx[d] * step[d]) * st[d] }
            index.append(off)
        }
        return [remap(x, shape: outShape, index: index)]
    }
}

func gatherKernel(attrs: NodeAttributes) throws -> Kernel {
    let axisAttr = try attrs.int("axis", 0)
    return ClosureKernel { inputs in
        let x = try inputs.required(0), ind = try inputs.required(1)
        let axis = try normalizeAxis(axisAttr, rank: x.rank)
        let dim = x.shape[axis]
        let idx = try ind.int64Values.map { v -> Int in
            let i = v < 0 ? Int(v) + dim : Int(v)
            guard i >= 0, i < dim else { throw ONNXError.badInput("Gather index \(v) out of range for axis length \(dim)") }
            return i
        }
        let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
        let outShape = Array(x.shape[..<axis]) + ind.shape + Array(x.shape[(axis + 1)...])
        var index = [Int](); index.reserveCapacity(outer * idx.count * inner)
        for o in 0..<outer { for i in idx { for j in 0..<inner { index.append((o * dim + i) * inner + j) } } }
        return [remap(x, shape: outShape, index: index)]
    }
}

func reshapeKernel(attrs: NodeAttributes) throws -> Kernel {
    let allowZero = try attrs.int("allowzero", 0) != 0
    let legacyShape = attrs.opset < 5 ? try attrs.ints("shape") : nil
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let req = try legacyShape.map { $0.map(Int64.init) } ?? inputs.required(1).int64Values
        return [x.reshaped(try resolveReshape(x.shape, req, allowZero: allowZero))]
    }
}

func resolveReshape(_ shape: [Int], _ req: [Int64], allowZero: Bool) throws -> [Int] {
    var out = [Int](), infer = -1
    for (i, r) in req.enumerated() {
        if r == -1 { guard infer < 0 else { throw ONNXError.badInput("Reshape with two -1 dims") }; infer = i; out.append(1) }
        else if r == 0 && !allowZero { guard i < shape.count else { throw ONNXError.badInput("Reshape 0 past input rank") }; out.append(shape[i]) }
        else { guard r >= 0 else { throw ONNXError.badInput("Reshape dim \(r)") }; out.append(Int(clamping: r)) }
    }
    let total = try checkedCount(shape)
    if infer >= 0 {
        let known = try checkedCount(out)
        guard known > 0, total % known == 0 else { throw ONNXError.badInput("cannot reshape \(shape) to \(req)") }
        out[infer] = total / known
    }
    guard try checkedCount(out) == total else { throw ONNXError.badInput("cannot reshape \(shape) to \(req)") }
    return out
}

func flattenKernel(attrs: NodeAttributes) throws -> Kernel {
    let axisAttr = try attrs.int("axis", 1)
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let axis = axisAttr < 0 ? axisAttr + x.rank : axisAttr
        guard axis >= 0, axis <= x.rank else { throw ONNXError.badInput("Flatten axis \(axisAttr) out of range") }
        return [x.reshaped([x.shape[..<axis].reduce(1, *), x.shape[axis...].reduce(1, *)])]
    }
}

func transposeKernel(attrs: NodeAttributes) throws -> Kernel {
    let permAttr = try attrs.ints("perm")
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let perm = permAttr ?? Array((0..<x.rank).reversed())
        guard perm.count == x.rank, Set(perm) == Set(0..<x.rank) else { throw ONNXError.badInput("Transpose perm \(perm) invalid for rank \(x.rank)") }
        let outShape = perm.map { x.shape[$0] }
        let st = strides(of: x.shape)
        let pst = perm.map { st[$0] }
        var index = [Int](); index.reserveCapacity(x.count)
        forEachIndex(outShape) { _, idx in
            var off = 0
            for d in 0..<idx.count { off += idx[d] * pst[d] }
            index.append(off)
        }
        return [remap(x, shape: outShape, index: index)]
    }
}

func squeezeKernel(attrs: NodeAttributes, unsqueeze: Bool) throws -> Kernel {
    let axesAttr = attrs.opset < 13 ? try attrs.ints("axes") : nil
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let axes = axesAttr ?? inputs.optional(1)?.int64Values.map { Int($0) }
        if unsqueeze {
            guard let axes else { throw ONNXError.badInput("Unsqueeze needs axes") }
            let r = x.rank + axes.count
            let norm = try Set(axes.map { try normalizeAxis($0, rank: r) })
            guard norm.count == axes.count else { throw ONNXError.badInput("Unsqueeze repeated axes") }
            var shape = [Int](), k = 0
            for d in 0..<r { if norm.contains(d) { shape.append(1) } else { shape.append(x.shape[k]); k += 1 } }
            return [x.reshaped(shape)]
        }
        let norm: Set<Int>
        if let axes, !axes.isEmpty {
            norm = try Set(axes.map { try normalizeAxis($0, rank: x.rank) })
            for a in norm where x.shape[a] != 1 { throw ONNXError.badInput("Squeeze axis \(a) has size \(x.shape[a])") }
        } else { norm = Set(x.shape.indices.filter { x.shape[$0] == 1 }) }
        return [x.reshaped(x.shape.indices.filter { !norm.contains($0) }.map { x.shape[$0] })]
    }
}

func expandKernel() -> Kernel {
    ClosureKernel { inputs in
        let x = try inputs.required(0)
        let req = try inputs.required(1).int64Values.map { Int(clamping: $0) }
        let plan = try BroadcastPlan([x.shape, req])
        return [try broadcast(x, to: plan.shape)]
    }
}

func tileKernel() -> Kernel {
    ClosureKernel { inputs in
        let x = try inputs.required(0)
        let reps = try inputs.required(1).int64Values.map { Int(clamping: $0) }
        guard reps.count == x.rank, reps.allSatisfy({ $0 >= 0 }) else { throw ONNXError.badInput("Tile repeats \(reps) invalid for rank \(x.rank)") }
        let outShape = zip(x.shape, reps).map { $0 * $1 }
        _ = try checkedCount(outShape)
        let st = strides(of: x.shape)
        var index = [Int](); index.reserveCapacity(outShape.reduce(1, *))
        forEachIndex(outShape) { _, idx in
            var off = 0
            for d in 0..<idx.count { off += (idx[d] % x.shape[d]) * st[d] }
            index.append(off)
        }
        return [remap(x, shape: outShape, index: index)]
    }
}

func padKernel(attrs: NodeAttributes) throws -> Kernel {
    let mode = try attrs.string("mode", "constant")
    guard ["constant", "reflect", "edge", "wrap"].contains(mode) else { throw attrs.unsupported("mode '\(mode)'") }
    let legacyPads = attrs.opset < 11 ? try attrs.ints("pads") : nil
    let legacyValue = attrs.opset < 11 ? try attrs.float("value", 0) : 0
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let r = x.rank
        var pads = [Int](repeating: 0, count: 2 * r)
        let given = try legacyPads ?? inputs.required(1).int64Values.map { Int(clamping: $0) }
        if let axesT = inputs.optional(3) {
            let axes = try axesT.int64Values.map { try normalizeAxis(Int($0), rank: r) }
            guard given.count == 2 * axes.count else { throw ONNXError.badInput("Pad pads/axes lengths differ") }
            for (i, a) in axes.enumerated() { pads[a] = given[i]; pads[a + r] = given[i + axes.count] }
        } else {
            guard given.count == 2 * r else { throw ONNXError.badInput("Pad needs \(2 * r) pads, got \(given.count)") }
            pads = given
        }
        let cv = inputs.optional(2)
        let fill = legacyPads != nil ? legacyValue : (cv?.floatValues.first ?? 0)
        let fillInt = cv?.int64Values.first ?? 0
        let outShape = (0..<r).map { x.shape[$0] + pads[$0] + pads[$0 + r] }
        guard outShape.allSatisfy({ $0 >= 0 }) else { throw ONNXError.badInput("Pad produces a negative size") }
        if mode != "constant" {
            for d in 0..<r where x.shape[d] == 0 && outShape[d] > 0 { throw ONNXError.badInput("Pad \(mode) on an empty axis") }
        }
        let st = strides(of: x.shape)
        var index = [Int](); index.reserveCapacity(try checkedCount(outShape))
        forEachIndex(outShape) { _, idx in
            var off = 0
            for d in 0..<r {
                var i = idx[d] - pads[d]
                let n = x.shape[d]
                if i < 0 || i >= n {
                    switch mode {
                    case "edge": i = i < 0 ? 0 : n - 1
                    case "wrap": i = ((i % n) + n) % n
                    case "reflect":
                        if n == 1 { i = 0 } else {
                            let period = 2 * (n - 1)
                            i = ((i % period) + period) % period
                            if i >= n { i = period - i }
                        }
                    default: off = -1
                    }
                    if off < 0 { break }
                }
                off += i * st[d]
            }
            index.append(off)
        }
        return [remap(x, shape: outShape, index: index, fill: fill, fillInt: fillInt)]
    }
}

func shapeKernel(attrs: NodeAttributes) throws -> Kernel {
    let start = try attrs.int("start", 0)
    let endAttr = attrs.has("end") ? try attrs.int("end", 0) : nil
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let r = x.rank
        func clampAxis(_ a: Int) -> Int { Swift.min(Swift.max(a < 0 ? a + r : a, 0), r) }
        let s = clampAxis(start), e = endAttr.map(clampAxis) ?? r
        let dims = s < e ? x.shape[s..<e].map { Int64($0) } : []
        return [Tensor(validShape: [dims.count], ints: dims)]
    }
}

func dropoutKernel(attrs: NodeAttributes, outputCount: Int) throws -> Kernel {
    attrs.ignore("is_test", "ratio", "seed")
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        if let training = inputs.optional(2), training.int64Values.first ?? 0 != 0 {
            let ratio = inputs.optional(1)?.floatValues.first ?? 0.5
            if ratio != 0 {
                throw ONNXError.unsupported(node: "Dropout", op: "Dropout", opset: 0,
                                            detail: "training_mode=true with a non-zero ratio draws random masks; only inference is supported")
            }
        }
        var out = [x]
        if outputCount > 1 { out.append(Tensor(validShape: x.shape, ints: [Int64](repeating: 1, count: x.count), type: .bool)) }
        return out
    }
}
