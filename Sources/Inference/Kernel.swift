/// One node's compiled computation. Built once at load from the node's attributes (which are
/// validated then), run many times. Inputs omitted in the model (empty names) arrive as nil.
protocol Kernel {
    func run(_ inputs: [Tensor?]) throws -> [Tensor]
}

/// A kernel from a closure, for the many operators whose state is a few attributes.
struct ClosureKernel: Kernel {
    let body: ([Tensor?]) throws -> [Tensor]
    func run(_ inputs: [Tensor?]) throws -> [Tensor] { try body(inputs) }
}

/// Helpers for reading kernel inputs.
extension Array where Element == Tensor? {
    func required(_ i: Int, _ what: String = "input") throws -> Tensor {
        guard i < count, let t = self[i] else { throw ONNXError.invalidModel("missing required \(what) #\(i)") }
        return t
    }
    func optional(_ i: Int) -> Tensor? { i < count ? self[i] : nil }
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
