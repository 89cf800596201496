import DICOM
import Foundation

/// The physical size of one image's pixels, and the millimetre arithmetic built on it.
///
/// This is the one place that turns image pixels into millimetres. Its rule for missing spacing:
/// **say so, never assume 1 mm per pixel.** When a file gives no usable Pixel Spacing (0028,0030)
/// or Imager Pixel Spacing (0018,1164), `spacing` is nil and every distance or size is nil too;
/// callers show `PixelGeometry.missingSpacingText` instead of a number. A 1-mm guess would be off
/// by a factor of five to ten on a mammogram (0.1–0.2 mm pixels) and would still look plausible.
///
/// Spacing from a file is validated: both values finite, > 0 and at most `maximumSpacingMM`.
/// Nothing here traps on file data.
public struct PixelGeometry: Sendable, Equatable, Hashable {
    /// Row spacing (the distance between the centres of adjacent rows, i.e. the vertical size of a
    /// pixel) and column spacing (the horizontal size), both in mm, in DICOM's order.
    public struct Spacing: Sendable, Equatable, Hashable {
        public let row: Double
        public let column: Double
    }

    /// Larger pixels than this are taken as a corrupt header: the coarsest clinical images (nuclear
    /// medicine, PET) have pixels of a few millimetres.
    public static let maximumSpacingMM = 50.0
    /// What a reader is told when a millimetre figure cannot be given.
    public static let missingSpacingText = "no pixel spacing"
    /// An image whose spacing is unknown.
    public static let unknown = PixelGeometry(validated: nil)

    /// nil when the file gives no usable spacing.
    public let spacing: Spacing?

    private init(validated: Spacing?) { spacing = validated }

    /// Row and column spacing in mm; unknown when either is missing or invalid.
    public init(rowSpacing: Double?, columnSpacing: Double?) {
        guard let r = rowSpacing, let c = columnSpacing, Self.isValid(r), Self.isValid(c) else {
            self.init(validated: nil)
            return
        }
        self.init(validated: Spacing(row: r, column: c))
    }

    /// A DICOM spacing value: `[row, column]` in mm. Any other shape is unknown spacing.
    public init(pixelSpacing value: [Double]) {
        guard value.count == 2 else { self.init(validated: nil); return }
        self.init(rowSpacing: value[0], columnSpacing: value[1])
    }

    /// From a data set: Pixel Spacing when it is valid, otherwise Imager Pixel Spacing (the
    /// detector plane, as projection radiography and mammography often give it).
    public init(dataSet ds: DataSet) {
        let own = PixelGeometry(pixelSpacing: ds.doubles(.pixelSpacing))
        self = own.isKnown ? own : PixelGeometry(pixelSpacing: ds.doubles(.imagerPixelSpacing))
    }

    public var isKnown: Bool { spacing != nil }
    public var rowSpacingMM: Double? { spacing?.row }
    public var columnSpacingMM: Double? { spacing?.column }

    /// Row spacing over column spacing: how much taller than wide a pixel is (1 when unknown, which
    /// only affects display shape, never a measurement).
    public var aspectRatio: Double { spacing.map { $0.row / $0.column } ?? 1 }

    /// The length in mm of an offset of `dx` columns and `dy` rows; nil when spacing is unknown or
    /// the offset is not finite.
    public func lengthMM(dx: Double, dy: Double) -> Double? {
        guard let s = spacing else { return nil }
        let d = ((dx * s.column) * (dx * s.column) + (dy * s.row) * (dy * s.row)).squareRoot()
        return d.isFinite ? d : nil
    }

    /// The distance in mm between two points of this image, in pixel coordinates (x = column,
    /// y = row); nil when spacing is unknown.
    public func distanceMM(from a: (x: Double, y: Double), to b: (x: Double, y: Double)) -> Double? {
        lengthMM(dx: a.x - b.x, dy: a.y - b.y)
    }

    /// A box `width` columns by `height` rows, in mm; nil when spacing is unknown.
    public func sizeMM(width: Double, height: Double) -> (width: Double, height: Double)? {
        guard let s = spacing else { return nil }
        let size = (width: width * s.column, height: height * s.row)
        return size.width.isFinite && size.height.isFinite ? size : nil
    }

    /// Half the larger side of a `width` × `height` pixel box, in mm: the radius the matchers give a
    /// finding that has no diameter of its own. nil when spacing is unknown.
    public func radiusMM(width: Double, height: Double) -> Double? {
        sizeMM(width: width, height: height).map { max($0.width, $0.height) / 2 }
    }

    /// A millimetre figure for people: "12.3 mm", or "n/a (no pixel spacing)" when there is none.
    public static func describe(_ mm: Double?, decimals: Int = 1) -> String {
        guard let mm, mm.isFinite else { return "n/a (\(missingSpacingText))" }
        return String(format: "%.\(max(0, min(decimals, 6)))f mm", mm)
    }

    static func isValid(_ v: Double) -> Bool { v.isFinite && v > 0 && v <= maximumSpacingMM }
}
