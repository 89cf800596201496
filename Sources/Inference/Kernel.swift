/// One node's compiled computation. Built once at load from the node's attributes (which are
/// validated then), run many times. Inputs omitted in the model (empty names) arrive as nil.
///
/// Inputs are passed `inout` so a kernel can `take` an input it may overwrite: when the executor
/// has released that value (this node is its last reader) the taken tensor's storage is
/// uniquely referenced and elementwise kernels update it in place instead of copying.
protocol Kernel {
    func run(_ inputs: inout [Tensor?]) throws -> [Tensor]
}

/// A kernel from a closure, for the many operators whose state is a few attributes.
struct ClosureKernel: Kernel {
    let body: (inout [Tensor?]) throws -> [Tensor]
    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] { try body(&inputs) }
}

/// Runs a kernel, then an activation over its (freshly made, uniquely owned) first output.
/// Used to fuse activations after BatchNormalization, InstanceNormalization and Add.
struct FusedActivationKernel: Kernel {
    let inner: Kernel
    let activation: UnaryOp
    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        var outs = try inner.run(&inputs)
        if !outs.isEmpty && outs[0].isFloat {
            outs[0].floats.withUnsafeMutableBufferPointer { activation.apply(to: $0) }
        }
        return outs
    }
}

/// Helpers for reading kernel inputs.
extension Array where Element == Tensor? {
    func required(_ i: Int, _ what: String = "input") throws -> Tensor {
        guard i < count, let t = self[i] else { throw ONNXError.invalidModel("missing required \(what) #\(i)") }
        return t
    }
    func optional(_ i: Int) -> Tensor? { i < count ? self[i] : nil }

    /// Moves input `i` out of the array (so its storage may be uniquely owned by the caller).
    mutating func take(_ i: Int, _ what: String = "input") throws -> Tensor {
        guard i < count, let t = self[i] else { throw ONNXError.invalidModel("missing required \(what) #\(i)") }
        self[i] = nil
        return t
    }
}

/// Resolves a possibly negative axis against a rank.
func normalizeAxis(_ axis: Int, rank: Int, _ what: String = "axis") throws -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < Swift.max(rank, 1) else { throw ONNXError.badInput("\(what) \(axis) out of range for rank \(rank)") }
    return a
}

/// Checked product of dimension sizes from runtime values.
func checkedCount(_ shape: [Int]) throws -> Int {
    var n = 1
    for d in shape {
        guard d >= 0 else { throw ONNXError.badInput("negative dimension \(d) in shape \(shape)") }
        let (p, o) = n.multipliedReportingOverflow(by: d)
        guard !o, p <= maxTensorElements else { throw ONNXError.badInput("shape \(shape) is too large") }
        n = p
    }
    return n
}
