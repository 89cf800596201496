import Foundation

/// Binary arithmetic with broadcasting: Add, Sub, Mul, Div, Pow, PRelu, Max, Min (variadic ones
/// fold pairwise), Equal, Greater, Less, GreaterOrEqual, LessOrEqual.
enum BinaryOp: String {
    case add = "Add", sub = "Sub", mul = "Mul", div = "Div", pow = "Pow", prelu = "PRelu"
    case max = "Max", min = "Min"
    case equal = "Equal", greater = "Greater", less = "Less", greaterOrEqual = "GreaterOrEqual", lessOrEqual = "LessOrEqual"

    var isComparison: Bool { [.equal, .greater, .less, .greaterOrEqual, .lessOrEqual].contains(self) }

    @inline(__always) func apply(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .pow: return Foundation.pow(a, b)
        case .prelu: return a < 0 ? a * b : a
        case .max: return a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
        case .min: return a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
        case .equal: return a == b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .greaterOrEqual: return a >= b ? 1 : 0
        case .lessOrEqual: return a <= b ? 1 : 0
        }
    }

    @inline(__always) func apply(_ a: Int64, _ b: Int64) -> Int64 {
        switch self {
        case .add: return a &+ b
        case .sub: return a &- b
        case .mul: return a &* b
        case .div: return b == 0 ? 0 : (a == Int64.min && b == -1 ? a : a / b)
        case .pow:
            if b < 0 { return a == 1 ? 1 : 0 }
            var r: Int64 = 1, base = a, e = b
            while e > 0 { if e & 1 == 1 { r = r &* base }; base = base &* base; e >>= 1 }
            return r
        case .prelu: return a < 0 ? a &* b : a
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        case .equal: return a == b ? 1 : 0
        case .greater: return a > b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .greaterOrEqual: return a >= b ? 1 : 0
        case .lessOrEqual: return a <= b ? 1 : 0
        }
    }
}

/// Max / Min / Sum / Mean over one or more inputs, folded pairwise with broadcasting.
func variadicKernel(_ opType: String) -> Kernel {
    ClosureKernel { inputs in
        let parts = inputs.compactMap { $0 }
        guard var acc = parts.first else { throw ONNXError.badInput("\(opType) needs at least one input") }
        let op: BinaryOp = opType == "Max" ? .max : opType == "Min" ? .min : .add
        for p in parts.dropFirst() { acc = try binary(op, acc, p) }
        if opType == "Mean" {
            guard acc.isFloat else { throw ONNXError.badInput("Mean needs float inputs") }
            let n = Float(parts.count)
            acc.floats.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] /= n } }
        }
        return [acc]
    }
}

func binaryKernel(_ op: BinaryOp, attrs: NodeAttributes) throws -> Kernel {
    if attrs.opset < 7 {
        // Opsets before 7 had an explicit `broadcast`/`axis` scheme we do not implement.
        if attrs.has("broadcast") || attrs.has("axis") { throw attrs.unsupported("legacy broadcast attributes (opset < 7)") }
    }
    return ClosureKernel { inputs in
        let a = try inputs.required(0), b = try inputs.required(1)
        return [try binary(op, a, b)]
    }
}

/// True when `b`, right-aligned against `a`, is 1 on a leading run of axes and equal to `a` after it.
func isTrailingVector(_ b: [Int], of a: [Int]) -> Bool {
    guard b.count <= a.count else { return false }
    let pad = [Int](repeating: 1, count: a.count - b.count) + b
    guard let first = pad.firstIndex(where: { $0 != 1 }) else { return true }
    return (first..<a.count).allSatisfy { pad[$0] == a[$0] }
}

extension BinaryOp {
    /// out[i] = op(a[i·sa], b[i·sb]) for i < n, with the operator chosen outside the loop so the
    /// common ones vectorise (the per-element switch cost 2–3× on PRelu and squeeze-excite Mul).
    @inline(__always)
    func apply(_ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ sa: Int,
               _ b: UnsafePointer<Float>, _ sb: Int, _ n: Int) {
        switch (self, sa, sb) {
        case (.add, 1, 1): for i in 0..<n { out[i] = a[i] + b[i] }
        case (.mul, 1, 1): for i in 0..<n { out[i] = a[i] * b[i] }
        case (.sub, 1, 1): for i in 0..<n { out[i] = a[i] - b[i] }
        case (.div, 1, 1): for i in 0..<n { out[i] = a[i] / b[i] }
        case (.add, 1, 0): let s = b[0]; for i in 0..<n { out[i] = a[i] + s }
        case (.mul, 1, 0): let s = b[0]; for i in 0..<n { out[i] = a[i] * s }
        case (.sub, 1, 0): let s = b[0]; for i in 0..<n { out[i] = a[i] - s }
        case (.div, 1, 0): let s = b[0]; for i in 0..<n { out[i] = a[i] / s }
        case (.prelu, 1, 0): let s = b[0]; for i in 0..<n { let v = a[i]; out[i] = v < 0 ? v * s : v }
        case (.prelu, 1, 1): for i in 0..<n { let v = a[i]; out[i] = v < 0 ? v * b[i] : v }
        default: for i in 0..<n { out[i] = apply(a[i * sa], b[i * sb]) }
        }
    }
}

/// Computes `op(a, b)` with broadcasting. Mixed types: Pow keeps the base's type; other ops
/// require matching types (ONNX type constraints), and comparisons return BOOL.
func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let plan = try BroadcastPlan([a.shape, b.shape])
    let outType: DataType = op.isComparison ? .bool : a.dataType
    // Fast path: float, same shape or scalar operand.
    if a.isFloat && (b.isFloat || op == .pow) {
        let bf = b.isFloat ? b.floats : b.floatValues
        var out = [Float](repeating: 0, count: plan.count)
        a.floats.withUnsafeBufferPointer { pa in
            bf.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    guard let a0 = pa.baseAddress, let b0 = pb.baseAddress, let o0 = po.baseAddress else { return }
                    if a.shape == b.shape {
                        op.apply(o0, a0, 1, b0, 1, plan.count)
                    } else if b.count == 1 && plan.count == a.count {
                        op.apply(o0, a0, 1, b0, 0, plan.count)
                    } else if plan.count == a.count, b.count > 0, isTrailingVector(b.shape, of: a.shape) {
                        // b repeats along a's leading axes (a bias or a squeeze-excite scale in NHWC).
                        var o = 0
                        while o < plan.count { op.apply(o0 + o, a0 + o, 1, b0, 1, b.count); o += b.count }
                    } else if op == .add || op == .mul, plan.count == b.count, a.count > 0, isTrailingVector(a.shape, of: b.shape) {
                        var o = 0   // commutative, vector first: Mul(scale, x)
                        while o < plan.count { op.apply(o0 + o, b0 + o, 1, a0, 1, a.count); o += a.count }
                    } else {
                        plan.forEachRow { o, offs, n, st in
                            let oa = offs[0], ob = offs[1], sa = st[0], sb = st[1]
                            if sa == 1 && sb == 0 {
                                let s = pb[ob]
                                for i in 0..<n { po[o + i] = op.apply(pa[oa + i], s) }
                            } else {
                                for i in 0..<n { po[o + i] = op.apply(pa[oa + i * sa], pb[ob + i * sb]) }
                            }
                        }
                    }
                }
            }
        }
        if op.isComparison { return Tensor(validShape: plan.shape, ints: out.map { Int64($0) }, type: .bool) }
        return Tensor(validShape: plan.shape, floats: out)
    }
    if a.isFloat != b.isFloat && op != .pow {
        throw ONNXError.badInput("\(op.rawValue): operand types \(a.dataType) and \(b.dataType) differ")
    }
    // Integer path (also Pow with an integer base and float exponent).
    if op == .pow && !b.isFloat {
        let af = a.ints, bf = b.ints
        var out = [Int64](repeating: 0, count: plan.count)
        plan.forEachRow { o, offs, n, st in
            for i in 0..<n { out[o + i] = a.dataType.wrap(op.apply(af[offs[0] + i * st[0]], bf[offs[1] + i * st[1]])) }
        }
        return Tensor(validShape: plan.shape, ints: out, type: outType)
    }
    if op == .pow {
        let af = a.ints, bf = b.floats
        var out = [Int64](repeating: 0, count: plan.count)
        plan.forEachRow { o, offs, n, st in
            for i in 0..<n { out[o + i] = a.dataType.wrap(Int64(Foundation.pow(Double(af[offs[0] + i * st[0]]), Double(bf[offs[1] + i * st[1]])))) }
        }
        return Tensor(validShape: plan.shape, ints: out, type: outType)
    }
    var out = [Int64](repeating: 0, count: plan.count)
    let unsigned = a.dataType == .uint64
    a.ints.withUnsafeBufferPointer { pa in
        b.ints.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
                plan.forEachRow { o, offs, n, st in
                    for i in 0..<n {
                        let x = pa[offs[0] + i * st[0]], y = pb[offs[1] + i * st[1]]
                        if unsigned && (op == .div || op == .greater || op == .less) {
                            let ux = UInt64(bitPattern: x), uy = UInt64(bitPattern: y)
                            switch op {
                            case .div: po[o + i] = uy == 0 ? 0 : Int64(bitPattern: ux / uy)
                            case .greater: po[o + i] = ux > uy ? 1 : 0
                            default: po[o + i] = ux < uy ? 1 : 0
                            }
                        } else {
                            po[o + i] = outType.wrap(op.apply(x, y))
                        }
                    }
                }
            }
        }
    }
    return Tensor(validShape: plan.shape, ints: out, type: outType)
}

/// Elementwise activations and math functions. Also the fused-epilogue activations of Conv.
enum UnaryOp {
    case relu, leakyRelu(Float), sigmoid, tanh, hardSigmoid(Float, Float), hardSwish
    case sqrt, exp, log, erf, neg, abs, clip(Float, Float), identity
    /// x · sigmoid(x) (SiLU): only made by fusing `Mul(x, Sigmoid(x))`, never parsed from a node.
    case swish
    /// Activations found in torchvision / MONAI exports (ELU, SELU, CELU, Softplus, Softsign, Mish,
    /// GELU exact or tanh-approximated) and simple maths.
    case elu(Float), selu(Float, Float), celu(Float), softplus, softsign, mish, gelu(tanhApproximation: Bool)
    case reciprocal, floor, ceil

    @inline(__always) func apply(_ x: Float) -> Float {
        switch self {
        case .relu: return x > 0 ? x : 0
        case .leakyRelu(let a): return x < 0 ? a * x : x
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return Foundation.tanh(x)
        case let .hardSigmoid(a, b): return Swift.max(0, Swift.min(1, a * x + b))
        case .hardSwish: return x * Swift.max(0, Swift.min(1, x / 6 + 0.5))
        case .sqrt: return x.squareRoot()
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .erf: return Foundation.erf(x)
        case .neg: return -x
        case .abs: return Swift.abs(x)
        case let .clip(lo, hi): return x.isNaN ? x : Swift.min(Swift.max(x, lo), hi)
        case .identity: return x
        case .swish: return x / (1 + Foundation.exp(-x))
        case .elu(let a): return x < 0 ? a * (Foundation.exp(x) - 1) : x
        case let .selu(a, g): return x <= 0 ? g * (a * Foundation.exp(x) - a) : g * x
        case .celu(let a): return Swift.max(0, x) + Swift.min(0, a * (Foundation.exp(x / a) - 1))
        case .softplus: return x > 20 ? x : Foundation.log1p(Foundation.exp(x))
        case .softsign: return x / (1 + Swift.abs(x))
        case .mish: return x * Foundation.tanh(x > 20 ? x : Foundation.log1p(Foundation.exp(x)))
        case .gelu(let approx):
            if approx { return 0.5 * x * (1 + Foundation.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))) }
            return 0.5 * x * (1 + Foundation.erf(x * 0.7071067811865476))
        case .reciprocal: return 1 / x
        case .floor: return x.rounded(.down)
        case .ceil: return x.rounded(.up)
        }
    }

    /// Applies in place over a buffer.
    /// Applies in place over a buffer; the switch is outside the loops so each loop vectorises.
    @inline(__always) func apply(to p: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .identity: return
        case .relu: for i in p.indices { let v = p[i]; p[i] = v < 0 ? 0 : v }
        case .leakyRelu(let a): for i in p.indices { let v = p[i]; p[i] = v < 0 ? v * a : v }
        case let .clip(lo, hi): for i in p.indices { let v = p[i]; p[i] = v.isNaN ? v : Swift.min(Swift.max(v, lo), hi) }
        case .hardSwish: for i in p.indices { let v = p[i]; p[i] = v * Swift.max(0, Swift.min(1, v / 6 + 0.5)) }
        case let .hardSigmoid(a, b): for i in p.indices { p[i] = Swift.max(0, Swift.min(1, a * p[i] + b)) }
        case .neg: for i in p.indices { p[i] = -p[i] }
        case .abs: for i in p.indices { p[i] = Swift.abs(p[i]) }
        case .sqrt: for i in p.indices { p[i] = p[i].squareRoot() }
        case .sigmoid: VectorMath.sigmoid(p)
        case .swish: VectorMath.swish(p)
        default: for i in p.indices { p[i] = apply(p[i]) }
        }
    }

    func applyInt(_ x: Int64) -> Int64? {
        switch self {
        case .relu: return Swift.max(x, 0)
        case .neg: return 0 &- x
        case .abs: return x < 0 ? 0 &- x : x
        case .identity: return x
        default: return nil
        }
    }
}

func unaryKernel(_ op: UnaryOp, attrs: NodeAttributes) -> Kernel {
    ClosureKernel { inputs in
        var x = try inputs.take(0)
        if x.isFloat {
            x.floats.withUnsafeMutableBufferPointer { op.apply(to: $0) }
        } else {
            for i in x.ints.indices {
                guard let v = op.applyInt(x.ints[i]) else {
                    throw ONNXError.badInput("\(attrs.opType) is not defined for \(x.dataType)")
                }
                x.ints[i] = x.dataType.wrap(v)
            }
        }
        return [x]
    }
}

/// Clip: bounds from attributes (opset < 11) or optional inputs (opset ≥ 11).
func clipKernel(attrs: NodeAttributes) throws -> Kernel {
    let attrMin = try attrs.float("min", -Float.infinity)
    let attrMax = try attrs.float("max", Float.infinity)
    let fromInputs = attrs.opset >= 11
    return ClosureKernel { inputs in
        var x = try inputs.take(0)
        let lo = inputs.optional(1), hi = inputs.optional(2)
        if x.isFloat {
            let l = fromInputs ? (lo?.floatValues.first ?? -.infinity) : attrMin
            let h = fromInputs ? (hi?.floatValues.first ?? .infinity) : attrMax
            x.floats.withUnsafeMutableBufferPointer { UnaryOp.clip(l, h).apply(to: $0) }
        } else {
            let l = lo?.ints.first ?? Int64.min, h = hi?.ints.first ?? Int64.max
            for i in x.ints.indices { x.ints[i] = Swift.min(Swift.max(x.ints[i], l), h) }
        }
        return [x]
    }
}

/// Where(condition, X, Y) with three-way broadcasting.
func whereKernel() -> Kernel {
    ClosureKernel { inputs in
        let c = try inputs.required(0), x = try inputs.required(1), y = try inputs.required(2)
        let plan = try BroadcastPlan([c.shape, x.shape, y.shape])
        let cv = c.int64Values
        if x.isFloat {
            var out = [Float](repeating: 0, count: plan.count)
            let xf = x.floats, yf = y.floatValues
            plan.forEachRow { o, offs, n, st in
                for i in 0..<n { out[o + i] = cv[offs[0] + i * st[0]] != 0 ? xf[offs[1] + i * st[1]] : yf[offs[2] + i * st[2]] }
            }
            return [Tensor(validShape: plan.shape, floats: out)]
        }
        var out = [Int64](repeating: 0, count: plan.count)
        let xi = x.ints, yi = y.int64Values
        plan.forEachRow { o, offs, n, st in
            for i in 0..<n { out[o + i] = cv[offs[0] + i * st[0]] != 0 ? xi[offs[1] + i * st[1]] : yi[offs[2] + i * st[2]] }
        }
        return [Tensor(validShape: plan.shape, ints: out, type: x.dataType)]
    }
}
