import DICOM

/// An image a segmentation is drawn on: its identity (for the SEG's references), its pixel grid, and
/// where it lies in patient space when it has a plane (CT, MR: the SEG's frames then carry Plane
/// Position and share Plane Orientation and Pixel Measures). Single-frame images only.
public struct SegmentationSourceImage: Sendable, Equatable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var seriesInstanceUID: String
    public var rows: Int
    public var columns: Int
    /// Image Position and Orientation (Patient), Pixel Spacing and Frame of Reference; nil for
    /// projection images without them.
    public var plane: ImagePlane?
    public var sliceThickness: Double?
    /// Instance Number, to order images without a plane.
    public var instanceNumber: Int
    /// Patient Orientation (0020,0020) of a projection image ("A\\R"), which a SEG without a plane repeats.
    public var patientOrientation: [String] = []

    public init(sopClassUID: String, sopInstanceUID: String, seriesInstanceUID: String, rows: Int, columns: Int,
                plane: ImagePlane? = nil, sliceThickness: Double? = nil, instanceNumber: Int = 0) {
        self.sopClassUID = sopClassUID; self.sopInstanceUID = sopInstanceUID; self.seriesInstanceUID = seriesInstanceUID
        self.rows = rows; self.columns = columns; self.plane = plane; self.sliceThickness = sliceThickness
        self.instanceNumber = instanceNumber
    }

    /// Reads a parsed image header; nil without SOP identity or a pixel grid, or for a multi-frame image.
    public init?(dataSet ds: DataSet) {
        guard let cls = ds.string(.sopClassUID), let inst = ds.string(.sopInstanceUID),
              let rows = ds.int(.rows), let columns = ds.int(.columns), rows > 0, columns > 0,
              (ds.int(.numberOfFrames) ?? 1) <= 1 else { return nil }
        var plane = ImagePlane(dataSet: ds)
        if plane?.frameOfReferenceUID.isEmpty ?? true { plane = nil }
        self.init(sopClassUID: cls, sopInstanceUID: inst, seriesInstanceUID: ds.string(.seriesInstanceUID) ?? "",
                  rows: rows, columns: columns, plane: plane,
                  sliceThickness: ds.doubles(.sliceThickness).first.flatMap { $0 > 0 ? $0 : nil },
                  instanceNumber: ds.int(.instanceNumber) ?? 0)
        patientOrientation = ds.strings(Tag(0x0020, 0x0020))
    }

    /// Distance along the plane's normal (mm), the order of a volume's slices; nil without a plane.
    public var normalPosition: Double? {
        plane.map { ImagePlane.dot($0.origin, $0.normal) }
    }
}
