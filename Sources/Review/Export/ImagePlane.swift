import DICOM

/// Where an image lies in patient space (PS3.3 C.7.6.2): the centre of its first pixel, the directions
/// of its rows and columns, and its pixel spacing. Converts the image coordinates findings are kept in
/// (column, row; integer values at pixel centres) to patient coordinates (mm, LPS) and back.
public struct ImagePlane: Sendable, Equatable {
    public var origin: [Double]
    /// Direction cosines of a row (increasing column) and of a column (increasing row).
    public var rowDirection: [Double]
    public var columnDirection: [Double]
    /// Distance between rows and between columns, mm ((0028,0030) order).
    public var rowSpacing: Double
    public var columnSpacing: Double
    public var frameOfReferenceUID: String

    public init?(origin: [Double], orientation: [Double], pixelSpacing: [Double], frameOfReferenceUID: String) {
        guard origin.count == 3, orientation.count == 6, pixelSpacing.count == 2,
              pixelSpacing.allSatisfy({ $0 > 0 && $0.isFinite }), (origin + orientation).allSatisfy(\.isFinite) else { return nil }
        self.origin = origin
        rowDirection = Array(orientation[0 ..< 3]); columnDirection = Array(orientation[3 ..< 6])
        guard Self.norm(rowDirection) > 0.5, Self.norm(columnDirection) > 0.5 else { return nil }
        rowSpacing = pixelSpacing[0]; columnSpacing = pixelSpacing[1]
        self.frameOfReferenceUID = frameOfReferenceUID
    }

    /// The plane of a parsed image header; nil when it lacks position, orientation or spacing.
    public init?(dataSet ds: DataSet) {
        self.init(origin: ds.doubles(.imagePositionPatient), orientation: ds.doubles(.imageOrientationPatient),
                  pixelSpacing: ds.doubles(.pixelSpacing), frameOfReferenceUID: ds.string(.frameOfReferenceUID) ?? "")
    }

    public var normal: [Double] {
        let r = rowDirection, c = columnDirection
        return [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]]
    }

    /// Patient coordinates of image point (x = column, y = row).
    public func patient(x: Double, y: Double) -> [Double] {
        (0 ..< 3).map { origin[$0] + x * columnSpacing * rowDirection[$0] + y * rowSpacing * columnDirection[$0] }
    }

    /// Image coordinates of patient point `p` projected onto the plane, and its distance from the plane (mm).
    public func image(_ p: [Double]) -> (x: Double, y: Double, distance: Double) {
        let d = (0 ..< 3).map { p[$0] - origin[$0] }
        return (Self.dot(d, rowDirection) / columnSpacing, Self.dot(d, columnDirection) / rowSpacing, abs(Self.dot(d, normal)))
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
}
