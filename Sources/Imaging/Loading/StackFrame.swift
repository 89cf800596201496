import DICOM

/// One displayable frame of a series, in modality values (HU for CT) or already-RGB colour, as
/// `SeriesLoader.frames(of:)` decodes it.
public struct StackFrame: Sendable {
    public var width: Int
    public var height: Int
    /// Grey frames: modality values, row-major. Empty for colour frames.
    public var values: [Float]
    /// Colour frames: RGB bytes. Empty for grey frames.
    public var rgb: [UInt8]
    public var sopUID: String
    public var path: String
    public var frameIndex: Int
    /// Row and column spacing in mm (nil when the file gives none).
    public var rowSpacing: Double?
    public var columnSpacing: Double?
    public var position: [Double]
    public var fileWindow: VOITransform.Window?
    /// MONOCHROME1: displayed inverted.
    public var monochrome1: Bool
    public var laterality: String
    public var viewPosition: String
    /// Image Orientation (Patient): row then column direction (axial when the file gives none).
    public var orientation: [Double] = [1, 0, 0, 0, 1, 0]
    /// Set on a thick-slab projection made from the stack ("MIP 10 mm"), for the corner annotation.
    public var slabLabel: String? = nil

    public init(width: Int, height: Int, values: [Float], rgb: [UInt8], sopUID: String, path: String, frameIndex: Int,
                rowSpacing: Double?, columnSpacing: Double?, position: [Double], fileWindow: VOITransform.Window?,
                monochrome1: Bool, laterality: String, viewPosition: String,
                orientation: [Double] = [1, 0, 0, 0, 1, 0], slabLabel: String? = nil) {
        self.width = width; self.height = height; self.values = values; self.rgb = rgb; self.sopUID = sopUID
        self.path = path; self.frameIndex = frameIndex; self.rowSpacing = rowSpacing; self.columnSpacing = columnSpacing
        self.position = position; self.fileWindow = fileWindow; self.monochrome1 = monochrome1
        self.laterality = laterality; self.viewPosition = viewPosition; self.orientation = orientation; self.slabLabel = slabLabel
    }

    public var isColor: Bool { !rgb.isEmpty }
    /// The frame's pixel spacing as one value (unknown when either spacing is missing or invalid).
    public var geometry: PixelGeometry { PixelGeometry(rowSpacing: rowSpacing, columnSpacing: columnSpacing) }
    public var aspect: Double { geometry.aspectRatio }

    /// Modality value at (x, y), nil outside.
    public func value(x: Int, y: Int) -> Float? {
        guard x >= 0, y >= 0, x < width, y < height, !values.isEmpty else { return nil }
        return values[y * width + x]
    }
}
