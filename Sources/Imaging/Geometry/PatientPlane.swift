/// Where an image lies in patient space (LPS, mm): the geometry of Image Position (Patient),
/// Image Orientation (Patient) and Pixel Spacing, for any plane an image shows — an acquired
/// slice, a reformat or a slab's centre plane.
///
/// (Review's `ImagePlane` is the SR exporter's view of one stored image, with its Frame of
/// Reference; this one carries the image size so lines can be clipped to it, and lives in Imaging
/// so reformats can describe themselves.)
///
/// Pixel (x, y) — x the column, y the row, integers at pixel centres — lies at
/// `origin + x · columnSpacing · rowDirection + y · rowSpacing · columnDirection`.
public struct PatientPlane: Sendable, Equatable {
    /// Centre of pixel (0, 0), in mm.
    public var origin: [Double]
    /// Unit vector along a row (the direction of increasing column), IOP's first triplet.
    public var rowDirection: [Double]
    /// Unit vector down a column (the direction of increasing row), IOP's second triplet.
    public var columnDirection: [Double]
    /// Distance between rows and between columns in mm (Pixel Spacing [0] and [1]).
    public var rowSpacing: Double
    public var columnSpacing: Double
    public var width: Int
    public var height: Int

    /// Nil unless the vectors have three finite components, the directions are not parallel, and
    /// spacing and size are positive. Directions are normalised.
    public init?(origin: [Double], rowDirection: [Double], columnDirection: [Double],
                 rowSpacing: Double, columnSpacing: Double, width: Int, height: Int) {
        guard origin.count == 3, rowDirection.count == 3, columnDirection.count == 3,
              (origin + rowDirection + columnDirection).allSatisfy(\.isFinite),
              rowSpacing > 0, columnSpacing > 0, rowSpacing.isFinite, columnSpacing.isFinite, width > 0, height > 0,
              let r = Vector3.unit(rowDirection), let c = Vector3.unit(columnDirection),
              Vector3.length(Vector3.cross(r, c)) > 1e-6 else { return nil }
        self.origin = origin; self.rowDirection = r; self.columnDirection = c
        self.rowSpacing = rowSpacing; self.columnSpacing = columnSpacing; self.width = width; self.height = height
    }

    /// The unit normal, row direction × column direction.
    public var normal: [Double] { Vector3.unit(Vector3.cross(rowDirection, columnDirection)) ?? [0, 0, 1] }

    /// Patient position of pixel (x, y) (fractional allowed).
    public func position(x: Double, y: Double) -> [Double] {
        (0 ..< 3).map { origin[$0] + x * columnSpacing * rowDirection[$0] + y * rowSpacing * columnDirection[$0] }
    }

    /// The pixel coordinates of a patient position's projection onto this plane.
    public func pixel(of p: [Double]) -> (x: Double, y: Double) {
        let d = Vector3.subtract(p, origin)
        return (Vector3.dot(d, rowDirection) / columnSpacing, Vector3.dot(d, columnDirection) / rowSpacing)
    }
}

/// Small 3-vector helpers on `[Double]` (the form DICOM's decimal strings arrive in).
enum Vector3 {
    static func dot(_ a: [Double], _ b: [Double]) -> Double { a[0] * b[0] + a[1] * b[1] + a[2] * b[2] }
    static func cross(_ a: [Double], _ b: [Double]) -> [Double] {
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    }
    static func subtract(_ a: [Double], _ b: [Double]) -> [Double] { [a[0] - b[0], a[1] - b[1], a[2] - b[2]] }
    static func length(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
    static func unit(_ a: [Double]) -> [Double]? {
        let l = length(a)
        return l > 1e-12 && l.isFinite ? a.map { $0 / l } : nil
    }
}
