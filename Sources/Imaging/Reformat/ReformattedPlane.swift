/// One plane cut from an `AxialStack`: grey values row-major, superior at the top, with its
/// pixel spacing in mm (nil where the stack's spacing is unknown).
public struct ReformattedPlane: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var values: [Float]
    /// Spacing between rows (for coronal and sagittal planes: between slices).
    public var rowSpacing: Double?
    public var columnSpacing: Double?

    public init(width: Int, height: Int, values: [Float], rowSpacing: Double?, columnSpacing: Double?) {
        self.width = width; self.height = height; self.values = values
        self.rowSpacing = rowSpacing; self.columnSpacing = columnSpacing
    }
}
