/// A scalar volume in modality units (HU for CT), in patient space.
///
/// Voxels are stored slice-major: index = (slice · rows + row) · columns + column. `origin` is the
/// patient-space (LPS, mm) position of voxel (0,0,0); `rowDirection`/`columnDirection` come from Image
/// Orientation (Patient) and `sliceDirection` points from slice 0 toward slice 1.
public struct Volume: Sendable {
    public let columns: Int
    public let rows: Int
    public let slices: Int
    /// `private(set)`: always `columns × rows × slices` values.
    public private(set) var voxels: [Float]
    /// Spacing in mm: between columns (x), between rows (y), between slices (z).
    public let spacing: (column: Double, row: Double, slice: Double)
    public let origin: [Double]
    public let rowDirection: [Double]
    public let columnDirection: [Double]
    public let sliceDirection: [Double]
    /// Slice indices after which the gap to the next slice exceeds 1.5× the typical spacing.
    public let gapsAfter: [Int]
    /// SOP Instance UID of each slice, in volume order.
    public let sopInstanceUIDs: [String]

    /// - Throws: ``ImageBufferError`` unless `voxels` holds `columns × rows × slices` values and
    ///   there is one SOP Instance UID per slice.
    public init(columns: Int, rows: Int, slices: Int, voxels: [Float], spacing: (column: Double, row: Double, slice: Double),
                origin: [Double] = [0, 0, 0], rowDirection: [Double] = [1, 0, 0], columnDirection: [Double] = [0, 1, 0],
                sliceDirection: [Double] = [0, 0, 1], gapsAfter: [Int] = [], sopInstanceUIDs: [String]) throws(ImageBufferError) {
        let expected = try ImageBufferError.elementCount(columns, rows, slices)
        guard voxels.count == expected else { throw .elementCount(expected: expected, actual: voxels.count) }
        guard sopInstanceUIDs.count == slices else { throw .sliceCount(expected: slices, actual: sopInstanceUIDs.count) }
        self.columns = columns; self.rows = rows; self.slices = slices; self.voxels = voxels; self.spacing = spacing
        self.origin = origin; self.rowDirection = rowDirection; self.columnDirection = columnDirection
        self.sliceDirection = sliceDirection; self.gapsAfter = gapsAfter; self.sopInstanceUIDs = sopInstanceUIDs
    }

    /// Patient-space position (mm) of voxel (column, row, slice), fractional indices allowed.
    public func patientPosition(column: Double, row: Double, slice: Double) -> [Double] {
        (0 ..< 3).map { k in
            origin[k] + column * spacing.column * rowDirection[k] + row * spacing.row * columnDirection[k]
                + slice * spacing.slice * sliceDirection[k]
        }
    }

    /// The voxels of one axial slice.
    public func slice(_ z: Int) -> ArraySlice<Float> {
        let n = rows * columns
        return voxels[z * n ..< (z + 1) * n]
    }
}
