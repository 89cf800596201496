import Foundation

/// ReduceMean / Max / Min / Sum / SumSquare / Prod / L1 / L2 / LogSum / LogSumExp, ArgMax / ArgMin.
enum ReduceOp { case mean, max, min, sum, sumSquare, prod, l1, l2, logSum, logSumExp }

func reduceKernel(_ op: ReduceOp, attrs: NodeAttributes) throws -> Kernel {
    let keepDims = try attrs.int("keepdims", 1) != 0
    // Axes move from attribute to input at opset 13 (ReduceSum) and 18 (the rest).
    let axesFromInput = op == .sum ? attrs.opset >= 13 : attrs.opset >= 18
    let axesAttr = axesFromInput ? nil : try attrs.ints("axes")
    let noopEmpty = axesFromInput ? try attrs.int("noop_with_empty_axes", 0) != 0 : false
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        var axes = axesAttr ?? inputs.optional(1)?.int64Values.map { Int($0) } ?? []
        if axes.isEmpty {
            if noopEmpty { return [x] }
            axes = Array(0..<x.rank)
        }
        let set = try Set(axes.map { try normalizeAxis($0, rank: x.rank) })
        let outKeep = x.shape.indices.map { set.contains($0) ? 1 : x.shape[$0] }
        let outShape = keepDims ? outKeep : x.shape.indices.filter { !set.contains($0) }.map { x.shape[$0] }
        let outCount = outKeep.reduce(1, *)
        let vals = x.floatValues
        let init0: Float
        switch op {
        case .max: init0 = -.infinity
        case .min: init0 = .infinity
        case .prod: init0 = 1
        default: init0 = 0
        }
        var acc = [Float](repeating: init0, count: outCount)
        let ost = strides(of: outKeep)
        var reducedCount = 1
        for a in set { reducedCount *= x.shape[a] }
        forEachIndex(x.shape) { i, idx in
            var o = 0
            for d in 0..<idx.count where !set.contains(d) { o += idx[d] * ost[d] }
            let v = vals[i]
            switch op {
            case .max: if v > acc[o] || v.isNaN { acc[o] = v }
            case .min: if v < acc[o] || v.isNaN { acc[o] = v }
            case .prod: acc[o] *= v
            case .l1: acc[o] += Swift.abs(v)
            case .l2, .sumSquare: acc[o] += v * v
            case .logSumExp: acc[o] += Foundation.exp(v)
            case .mean, .sum, .logSum: acc[o] += v
            }
        }
        switch op {
        case .mean: for i in 0..<outCount { acc[i] = reducedCount > 0 ? acc[i] / Float(reducedCount) : .nan }
        case .l2: for i in 0..<outCount { acc[i] = acc[i].squareRoot() }
        case .logSum, .logSumExp: for i in 0..<outCount { acc[i] = Foundation.log(acc[i]) }
        default: break
        }
        if !x.isFloat {
            let lowest: Int64
            switch x.dataType {
            case .int8: lowest = Int64(Int8.min)
            case .int16: lowest = Int64(Int16.min)
            case .int32: lowest = Int64(Int32.min)
            case .int64: lowest = Int64.min
            default: lowest = 0 // bool and unsigned types
            }
            let highest: Int64
            switch x.dataType {
            case .int8: highest = Int64(Int8.max)
            case .int16: highest = Int64(Int16.max)
            case .int32: highest = Int64(Int32.max)
            case .uint8: highest = Int64(UInt8.max)
            case .uint16: highest = Int64(UInt16.max)
            case .uint32: highest = Int64(UInt32.max)
            case .bool: highest = 1
            default: highest = Int64.max
            }
            let ints = acc.map { $0.isFinite ? Int64($0) : (op == .max ? lowest : op == .min ? highest : 0) }
            return [Tensor(validShape: outShape, ints: ints, type: x.dataType)]
        }
        return [Tensor(validShape: outShape, floats: acc)]
    }
}

/// ArgMax, or ArgMin with `smallest`.
func argMaxKernel(attrs: NodeAttributes, smallest: Bool = false) throws -> Kernel {
    let axisAttr = try attrs.int("axis", 0)
    let keepDims = try attrs.int("keepdims", 1) != 0
    let selectLast = try attrs.int("select_last_index", 0) != 0
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        let axis = try normalizeAxis(axisAttr, rank: x.rank)
        let outer = x.shape[..<axis].reduce(1, *), len = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
        let v = x.floatValues
        var out = [Int64](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var best = 0
                var bv = -Float.infinity
                for j in 0..<len {
                    let e = v[(o * len + j) * inner + i]
                    let better = smallest ? e < bv : e > bv
                    if j == 0 || better || (selectLast && e == bv) { bv = e; best = j }
                }
                out[o * inner + i] = Int64(best)
            }
        }
        var shape = x.shape
        if keepDims { shape[axis] = 1 } else { shape.remove(at: axis) }
        return [Tensor(validShape: shape, ints: out)]
    }
}
