/// A dense, row-major tensor.
///
/// Float tensors keep their elements in `floats`; integer and bool tensors keep theirs in
/// `ints` (64-bit, wrapped to the declared width). Exactly one of the two arrays is used.
/// Storage is copy-on-write Swift arrays; kernels write through
/// `withUnsafeMutableBufferPointer` into buffers they allocate once per call.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var dataType: DataType
    public var floats: [Float]
    public var ints: [Int64]

    /// A float32 tensor.
    /// - Throws: ``TensorShapeError`` unless `values.count` equals the product of `shape`.
    public init(shape: [Int], floats values: [Float]) throws(TensorShapeError) {
        let expected = try TensorShapeError.elementCount(of: shape)
        guard values.count == expected else { throw .elementCount(shape: shape, expected: expected, actual: values.count) }
        self.init(validShape: shape, floats: values)
    }

    /// An integer or bool tensor of the given type.
    /// - Throws: ``TensorShapeError`` unless `values.count` equals the product of `shape`.
    public init(shape: [Int], ints values: [Int64], type: DataType = .int64) throws(TensorShapeError) {
        let expected = try TensorShapeError.elementCount(of: shape)
        guard values.count == expected else { throw .elementCount(shape: shape, expected: expected, actual: values.count) }
        self.init(validShape: shape, ints: values, type: type)
    }

    /// A float tensor whose shape a kernel derived from tensors that were already checked, with
    /// storage sized from that shape. Not re-checked (this is the per-operator hot path); every
    /// element access still goes through Swift's array bounds checks.
    init(validShape shape: [Int], floats values: [Float]) {
        self.shape = shape; self.dataType = .float; self.floats = values; self.ints = []
    }

    /// The integer counterpart of ``init(validShape:floats:)``.
    init(validShape shape: [Int], ints values: [Int64], type: DataType = .int64) {
        self.shape = shape; self.dataType = type; self.floats = []; self.ints = values
    }

    /// A zero-filled float tensor.
    public init(zeros shape: [Int]) {
        self.init(validShape: shape, floats: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// A float scalar (rank 0).
    public init(scalar: Float) { self.init(validShape: [], floats: [scalar]) }

    public var count: Int { shape.reduce(1, *) }
    public var rank: Int { shape.count }
    public var isFloat: Bool { dataType == .float }

    /// Values as Int64 regardless of storage (float values truncated toward zero).
    public var int64Values: [Int64] {
        isFloat ? floats.map { $0.isFinite ? Int64(max(min($0, 9.2e18), -9.2e18)) : 0 } : ints
    }

    /// Values as Float regardless of storage.
    public var floatValues: [Float] { isFloat ? floats : ints.map { Float($0) } }

    /// Same values, new shape (element count must match).
    func reshaped(_ newShape: [Int]) -> Tensor {
        var t = self
        t.shape = newShape
        return t
    }

    /// An empty tensor of the same type and the given shape, storage preallocated and zeroed.
    static func like(_ type: DataType, shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        if type == .float { return Tensor(validShape: shape, floats: [Float](repeating: 0, count: n)) }
        return Tensor(validShape: shape, ints: [Int64](repeating: 0, count: n), type: type)
    }
}

/// A float array of `n` elements whose contents the caller will overwrite entirely
/// (skips the zero fill `Array(repeating:count:)` pays for).
@inline(__always) func uninitializedFloats(_ n: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
}

/// Row-major strides for a shape.
@inline(__always) func strides(of shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
    return s
}
