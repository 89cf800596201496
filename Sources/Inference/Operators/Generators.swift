/// Operators that create or convert values: Constant, ConstantOfShape, Range, Cast, Identity.
func constantKernel(attrs: NodeAttributes) throws -> Kernel {
    let value: Tensor
    if let t = try attrs.tensor("value") { value = t }
    else if attrs.has("value_float") { value = Tensor(scalar: try attrs.float("value_float", 0)) }
    else if let f = try attrs.floats("value_floats") { value = Tensor(validShape: [f.count], floats: f) }
    else if attrs.has("value_int") { value = Tensor(validShape: [], ints: [Int64(try attrs.int("value_int", 0))]) }
    else if let i = try attrs.ints("value_ints") { value = Tensor(validShape: [i.count], ints: i.map(Int64.init)) }
    else if attrs.has("sparse_value") { throw attrs.unsupported("sparse_value") }
    else if attrs.has("value_string") || attrs.has("value_strings") { throw attrs.unsupported("string constants") }
    else { throw attrs.invalid("Constant without a value") }
    return ClosureKernel { _ in [value] }
}

func constantOfShapeKernel(attrs: NodeAttributes) throws -> Kernel {
    let v = try attrs.tensor("value") ?? Tensor(validShape: [1], floats: [0])
    guard v.count == 1 else { throw attrs.invalid("ConstantOfShape value must have one element") }
    return ClosureKernel { inputs in
        let shape = try inputs.required(0).int64Values.map { Int(clamping: $0) }
        let n = try checkedCount(shape)
        if v.isFloat { return [Tensor(validShape: shape, floats: [Float](repeating: v.floats[0], count: n))] }
        return [Tensor(validShape: shape, ints: [Int64](repeating: v.ints[0], count: n), type: v.dataType)]
    }
}

func rangeKernel() -> Kernel {
    ClosureKernel { inputs in
        let s = try inputs.required(0), l = try inputs.required(1), d = try inputs.required(2)
        if s.isFloat {
            let a = s.floats[0], b = l.floatValues[0], st = d.floatValues[0]
            guard st != 0 else { throw ONNXError.badInput("Range delta 0") }
            let n = Swift.max(0, Int((Double(b - a) / Double(st)).rounded(.up)))
            guard n <= maxTensorElements else { throw ONNXError.badInput("Range too long") }
            return [Tensor(validShape: [n], floats: (0..<n).map { a + Float($0) * st })]
        }
        let a = s.ints[0], b = l.int64Values[0], st = d.int64Values[0]
        guard st != 0 else { throw ONNXError.badInput("Range delta 0") }
        let span = Double(b) - Double(a)
        let n = Swift.max(0, Int((span / Double(st)).rounded(.up)))
        guard n <= maxTensorElements else { throw ONNXError.badInput("Range too long") }
        return [Tensor(validShape: [n], ints: (0..<n).map { a + Int64($0) * st }, type: s.dataType)]
    }
}

func castKernel(attrs: NodeAttributes) throws -> Kernel {
    let to = try attrs.int("to", 0)
    attrs.ignore("saturate") // only affects float8 targets, which are rejected below
    if attrs.has("round_mode") { _ = try attrs.string("round_mode", "up") }
    guard let target = DataType(rawValue: to), target.isSupported else {
        throw attrs.unsupported("cast to \(DataType.name(ofCode: to)) is not supported")
    }
    return ClosureKernel { inputs in
        let x = try inputs.required(0)
        return [cast(x, to: target)]
    }
}

func cast(_ x: Tensor, to target: DataType) -> Tensor {
    if target == .float { return Tensor(validShape: x.shape, floats: x.floatValues) }
    if x.isFloat {
        let ints = x.floats.map { v -> Int64 in
            if target == .bool { return v != 0 ? 1 : 0 }
            guard v.isFinite else { return v.isNaN ? 0 : (v > 0 ? Int64.max : Int64.min) }
            return target.wrap(Int64(Swift.max(Swift.min(v, 9.2e18), -9.2e18)))
        }
        return Tensor(validShape: x.shape, ints: ints, type: target)
    }
    return Tensor(validShape: x.shape, ints: x.ints.map { target.wrap($0) }, type: target)
}

func identityKernel() -> Kernel { ClosureKernel { inputs in [try inputs.required(0)] } }
