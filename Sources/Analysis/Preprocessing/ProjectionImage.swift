import DICOM
import Foundation
import Imaging

/// One 2-D projection image (mammography view, radiograph) as the models see it: the stored pixel
/// values of frame 0 (the models were trained on stored values; the percentile normalisation makes
/// any positive rescale irrelevant) with the geometry needed to place findings in patient space.
public struct ProjectionImage: Sendable {
    public let sopInstanceUID: String
    public let columns: Int
    public let rows: Int
    /// Stored values, row-major, MONOCHROME1 not yet inverted.
    public let values: [Float]
    public let photometricInterpretation: String
    public let bitsStored: Int
    /// (row spacing, column spacing) in mm: Pixel Spacing, else Imager Pixel Spacing; nil when absent.
    public let pixelSpacing: (row: Double, column: Double)?
    public let imagePosition: [Double]?
    public let imageOrientation: [Double]?
    /// "L", "R", "B" or "" (Image Laterality, else Laterality, else the first letter of a view
    /// position like "LCC").
    public let laterality: String
    public let viewPosition: String
    /// Presentation Intent Type ("FOR PRESENTATION" / "FOR PROCESSING"), "" when absent.
    public var presentationIntent: String = ""

    public struct Problem: Error, CustomStringConvertible { public let description: String }

    /// Reads and decodes `header`'s file. Multi-frame and colour images are refused.
    public static func load(_ header: InstanceHeader) throws -> ProjectionImage {
        let file = try DICOMFile.read(URL(fileURLWithPath: header.path), options: .init(memoryMapped: false))
        let reader = try PixelDataReader(file)
        let d = reader.description
        guard d.samplesPerPixel == 1 else { throw Problem(description: "colour image (\(d.photometricInterpretation)); the models take grey images") }
        guard d.rows > 0, d.columns > 0 else { throw Problem(description: "image has no pixels") }
        let frame = try reader.frame(0)
        let values = frame.floatValues()
        guard values.count == d.rows * d.columns else {
            throw Problem(description: "decoded \(values.count) samples for a \(d.columns)×\(d.rows) image")
        }
        let spacing = header.pixelGeometry.spacing.map { (row: $0.row, column: $0.column) }
        let laterality = ContralateralPairing.laterality(of: header)
        let view = header.viewPosition.uppercased()
        var image = ProjectionImage(sopInstanceUID: header.sopInstanceUID, columns: d.columns, rows: d.rows, values: values,
                               photometricInterpretation: d.photometricInterpretation.uppercased(), bitsStored: d.bitsStored,
                               pixelSpacing: spacing,
                               imagePosition: header.imagePosition.count == 3 ? header.imagePosition : nil,
                               imageOrientation: header.imageOrientation.count == 6 ? header.imageOrientation : nil,
                               laterality: laterality,
                               viewPosition: view)
        image.presentationIntent = (file.dataSet.string(Tag(0x0008, 0x0068)) ?? "").uppercased()
        return image
    }

    public init(sopInstanceUID: String, columns: Int, rows: Int, values: [Float], photometricInterpretation: String,
                bitsStored: Int, pixelSpacing: (row: Double, column: Double)?, imagePosition: [Double]?,
                imageOrientation: [Double]?, laterality: String, viewPosition: String) {
        precondition(values.count == columns * rows, "image size does not match its dimensions")
        self.sopInstanceUID = sopInstanceUID; self.columns = columns; self.rows = rows; self.values = values
        self.photometricInterpretation = photometricInterpretation; self.bitsStored = bitsStored
        self.pixelSpacing = pixelSpacing; self.imagePosition = imagePosition; self.imageOrientation = imageOrientation
        self.laterality = laterality; self.viewPosition = viewPosition
    }

    /// Patient position (LPS, mm) of pixel (column, row) on the image plane given by Image Position
    /// and Image Orientation (Patient) and the spacing; nil when the header lacks any of them.
    public func patientPosition(column: Double, row: Double) -> [Double]? {
        guard let p = imagePosition, let o = imageOrientation, let s = pixelSpacing else { return nil }
        return (0 ..< 3).map { k in p[k] + column * s.column * o[k] + row * s.row * o[3 + k] }
    }
}
