/// A tensor's element count does not match its shape.
///
/// Thrown by ``Tensor/init(shape:floats:)`` and ``Tensor/init(shape:ints:type:)`` instead of
/// trapping: shapes reach them from model files (ONNX initialisers), `.npy` files and callers'
/// inputs, and a broken file must be a reported error, not a crash of the analysis.
public enum TensorShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A dimension is negative, or the product of the dimensions does not fit in an `Int`.
    case invalidShape([Int])
    /// The shape needs `expected` elements; `actual` were given.
    case elementCount(shape: [Int], expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .invalidShape(let shape): "invalid tensor shape \(shape)"
        case .elementCount(let shape, let expected, let actual):
            "tensor of shape \(shape) needs \(expected) elements, \(actual) given"
        }
    }

    /// The product of `shape`, or `.invalidShape` when a dimension is negative or it overflows.
    static func elementCount(of shape: [Int]) throws(TensorShapeError) -> Int {
        var product = 1
        for d in shape {
            guard d >= 0 else { throw .invalidShape(shape) }
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow else { throw .invalidShape(shape) }
            product = p
        }
        return product
    }
}
