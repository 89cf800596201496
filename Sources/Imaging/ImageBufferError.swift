/// A size read from a file does not describe the buffer built for it.
///
/// Thrown by the initialisers of ``DisplayImage`` and ``Volume`` instead of trapping: rows,
/// columns, frames and samples per pixel come from DICOM and PNG headers, and a broken or hostile
/// file must be a reported error, never a crash. Once built, the buffers are `private(set)`, so
/// every reader can trust them.
public enum ImageBufferError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The channel count is not one the type holds.
    case unsupportedChannels(Int)
    /// A dimension is negative, or their product does not fit in an `Int`.
    case invalidSize([Int])
    /// The buffer holds `actual` elements where the size needs `expected`.
    case elementCount(expected: Int, actual: Int)
    /// A volume has `actual` SOP Instance UIDs for `expected` slices.
    case sliceCount(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .unsupportedChannels(let n): "unsupported channel count \(n)"
        case .invalidSize(let dims): "invalid size \(dims.map(String.init).joined(separator: "x"))"
        case .elementCount(let expected, let actual): "buffer holds \(actual) elements, the size needs \(expected)"
        case .sliceCount(let expected, let actual): "\(actual) instance UIDs for \(expected) slices"
        }
    }

    /// The product of `dimensions`, or `.invalidSize` when one is negative or the product overflows.
    static func elementCount(_ dimensions: Int...) throws(ImageBufferError) -> Int {
        var product = 1
        for d in dimensions {
            guard d >= 0 else { throw .invalidSize(dimensions) }
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow else { throw .invalidSize(dimensions) }
            product = p
        }
        return product
    }
}
