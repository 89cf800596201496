/// Errors raised while loading or running a model. Each says what went wrong and where,
/// in words a user of `lightbox onnx` can act on.
public enum ONNXError: Error, CustomStringConvertible, Equatable {
    /// The file is not a well-formed ONNX protobuf.
    case malformed(String)
    /// The model uses an operator, attribute or data type this runtime lacks.
    case unsupported(node: String, op: String, opset: Int, detail: String)
    /// The model is well-formed protobuf but violates the ONNX spec (bad shapes, missing inputs).
    case invalidModel(String)
    /// A caller-supplied input does not match what the model declares.
    case badInput(String)
    /// An output contains NaN or infinity.
    case nonFinite(output: String)
    /// The model card is missing, unreadable, or does not match the model.
    case card(String)
    /// Work was cancelled by the caller.
    case cancelled

    public var description: String {
        switch self {
        case .malformed(let s): return "corrupt ONNX file: \(s)"
        case let .unsupported(node, op, opset, detail):
            return "unsupported: node '\(node)' operator \(op) (opset \(opset)): \(detail)"
        case .invalidModel(let s): return "invalid model: \(s)"
        case .badInput(let s): return "bad input: \(s)"
        case .nonFinite(let o): return "output '\(o)' contains NaN or infinite values"
        case .card(let s): return "model card: \(s)"
        case .cancelled: return "cancelled"
        }
    }

    /// True for errors that mean "we lack this feature", as opposed to a broken model.
    public var isUnsupported: Bool { if case .unsupported = self { return true } else { return false } }
}
