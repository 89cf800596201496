/// Why a thick slab cannot be made: each case says what to change.
public enum SlabError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The thickness is negative, NaN or infinite.
    case invalidThickness(Double)
    /// The series has one image: there is nothing to project along its normal.
    case singleImage
    /// Slab thickness is in mm, and this direction has no known spacing (no positions, no Pixel Spacing).
    case unknownSpacing(PlaneOrientation)

    public var description: String {
        switch self {
        case .invalidThickness(let t):
            return "slab thickness must be a finite number of millimetres ≥ 0 (got \(t))"
        case .singleImage:
            return "a slab needs a series of several slices; this one has a single image"
        case .unknownSpacing(let o):
            return "a \(o.rawValue) slab needs the spacing along its normal in mm, and the series gives none"
        }
    }
}
