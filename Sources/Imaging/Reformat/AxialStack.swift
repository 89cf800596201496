/// Equally sized grey axial slices, sorted inferior → superior along the slice normal, and what
/// an orthogonal reformat needs of their geometry: multi-planar reformat (MPR) without
/// interpolation, so every reformatted pixel is an acquired value.
///
/// Coronal plane `k` is image row `k` of every slice; sagittal plane `k` is image column `k`.
/// Superior is drawn at the top, so the last slice becomes the first row. Building a plane costs
/// O(slices × width) (coronal) or O(slices × height) (sagittal); nothing is cached.
public struct AxialStack: Sendable {
    /// Each slice's values, row-major, `width × height` each.
    public let slices: [[Float]]
    public let width: Int
    public let height: Int
    /// In-plane spacing of the slices in mm, and the distance between slices (nil: unknown).
    public let rowSpacing: Double?
    public let columnSpacing: Double?
    public let sliceSpacing: Double?
    /// Each slice's position along the slice normal in mm (ascending), from Image Position
    /// (Patient); nil when the files give none. Thick axial slabs measure with these (`SlabRule`).
    public let slicePositions: [Double]?

    /// Nil unless there is at least one slice and every slice holds exactly `width × height`
    /// values, so a plane can never index outside a slice. Positions that are not one finite value
    /// per slice are dropped (nil).
    public init?(slices: [[Float]], width: Int, height: Int,
                 rowSpacing: Double?, columnSpacing: Double?, sliceSpacing: Double?, slicePositions: [Double]? = nil) {
        guard !slices.isEmpty, width > 0, height > 0,
              slices.allSatisfy({ $0.count == width * height }) else { return nil }
        self.slices = slices; self.width = width; self.height = height
        self.rowSpacing = rowSpacing; self.columnSpacing = columnSpacing; self.sliceSpacing = sliceSpacing
        self.slicePositions = slicePositions.flatMap { $0.count == slices.count && $0.allSatisfy(\.isFinite) ? $0 : nil }
    }

    /// Number of planes in `orientation`.
    public func planeCount(_ orientation: PlaneOrientation) -> Int {
        switch orientation {
        case .axial: return slices.count
        case .coronal: return height
        case .sagittal: return width
        }
    }

    /// Plane `index` (clamped to the planes there are) in `orientation`.
    public func plane(_ orientation: PlaneOrientation, _ index: Int) -> ReformattedPlane {
        let k = min(max(0, index), planeCount(orientation) - 1)
        if orientation == .axial {
            return ReformattedPlane(width: width, height: height, values: slices[k],
                                    rowSpacing: rowSpacing, columnSpacing: columnSpacing)
        }
        let n = slices.count
        let outWidth = orientation == .coronal ? width : height
        var values = [Float](repeating: 0, count: outWidth * n)
        for z in 0 ..< n {
            let src = slices[z]
            let row = n - 1 - z
            if orientation == .coronal {
                for x in 0 ..< width { values[row * outWidth + x] = src[k * width + x] }
            } else {
                for y in 0 ..< height { values[row * outWidth + y] = src[y * width + k] }
            }
        }
        // A missing slice spacing falls back to the in-plane spacing, as the viewer always did.
        return ReformattedPlane(width: outWidth, height: n, values: values,
                                rowSpacing: sliceSpacing ?? columnSpacing,
                                columnSpacing: orientation == .coronal ? columnSpacing : rowSpacing)
    }
}
