/// A model's probability map for one image, kept at the model's resolution (small enough to cache)
/// with the source image's size, so it can be brought back onto the source pixels for the overlay.
/// The model grid spans the whole source image (the preprocessing resamples the whole image), so
/// model cell (i, j) covers source pixels [j·C/w, (j+1)·C/w) × [i·R/h, (i+1)·R/h).
public struct ModelGridHeatmap: Sendable, Equatable, Codable {
    public var sopInstanceUID: String
    public var width: Int
    public var height: Int
    public var values: [Float]
    public var sourceColumns: Int
    public var sourceRows: Int
    /// The 1-based frame of a multi-frame (Enhanced) image the map belongs to; nil for single-frame.
    public var frameNumber: Int?

    enum CodingKeys: String, CodingKey {
        case width, height, values
        case frameNumber = "frame_number"
        case sopInstanceUID = "sop_instance_uid"
        case sourceColumns = "source_columns"
        case sourceRows = "source_rows"
    }

    public init(sopInstanceUID: String, width: Int, height: Int, values: [Float], sourceColumns: Int, sourceRows: Int,
                frameNumber: Int? = nil) {
        precondition(values.count == width * height, "heatmap size does not match its dimensions")
        self.sopInstanceUID = sopInstanceUID; self.width = width; self.height = height; self.values = values
        self.sourceColumns = sourceColumns; self.sourceRows = sourceRows; self.frameNumber = frameNumber
    }

    /// What the map is keyed by in a viewer: the SOP Instance UID, with "#frame" for a frame of a
    /// multi-frame image (`imageKey(sop:frame:)`).
    public var imageKey: String { Self.imageKey(sop: sopInstanceUID, frame: frameNumber) }

    public static func imageKey(sop: String, frame: Int?) -> String { frame.map { "\(sop)#\($0)" } ?? sop }

    /// Sizes from a file are checked here, so nothing later traps on them: both grids 1…16384 on a
    /// side, exactly `width × height` values (non-finite ones read as 0).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let width = try c.decode(Int.self, forKey: .width), height = try c.decode(Int.self, forKey: .height)
        let columns = try c.decode(Int.self, forKey: .sourceColumns), rows = try c.decode(Int.self, forKey: .sourceRows)
        let side = 1 ... Self.maximumSide
        guard side.contains(width), side.contains(height), side.contains(columns), side.contains(rows) else {
            throw DecodingError.dataCorruptedError(forKey: .width, in: c, debugDescription: "heatmap size out of range")
        }
        let values = try c.decode([Float].self, forKey: .values)
        guard values.count == width * height else {
            throw DecodingError.dataCorruptedError(forKey: .values, in: c,
                                                   debugDescription: "\(values.count) values for a \(width)×\(height) heatmap")
        }
        self.init(sopInstanceUID: try c.decode(String.self, forKey: .sopInstanceUID), width: width, height: height,
                  values: values.map { $0.isFinite ? $0 : 0 }, sourceColumns: columns, sourceRows: rows,
                  frameNumber: (try? c.decodeIfPresent(Int.self, forKey: .frameNumber)).flatMap { $0.flatMap { $0 >= 1 ? $0 : nil } })
    }

    /// The largest side a heatmap read from a file may have (either grid).
    public static let maximumSide = 16384

    /// The map on the source image's pixel grid (bilinear, pixel centres aligned): registered to
    /// the image, `sourceColumns × sourceRows` values, row-major.
    public func onSourceGrid() -> [Float] {
        ImageResampling.bilinear(values, width: width, height: height, toWidth: sourceColumns, toHeight: sourceRows)
    }

    /// The map at one source pixel (column `x`, row `y`; centres at integers), bilinear between
    /// model cells with edges clamped: the value `onSourceGrid()` holds there, computed for one
    /// pixel, so a view can sample only what it shows instead of a full-resolution copy.
    public func sourceValue(x: Double, y: Double) -> Float {
        let sx = Double(width) / Double(max(1, sourceColumns)), sy = Double(height) / Double(max(1, sourceRows))
        let fx = max(0, min(Double(width - 1), (x + 0.5) * sx - 0.5))
        let fy = max(0, min(Double(height - 1), (y + 0.5) * sy - 0.5))
        let x0 = Int(fx), x1 = min(x0 + 1, width - 1), wx = Float(fx - Double(x0))
        let y0 = Int(fy), y1 = min(y0 + 1, height - 1), wy = Float(fy - Double(y0))
        let top = values[y0 * width + x0] * (1 - wx) + values[y0 * width + x1] * wx
        let bottom = values[y1 * width + x0] * (1 - wx) + values[y1 * width + x1] * wx
        return top * (1 - wy) + bottom * wy
    }

    public var maximum: Float { values.max() ?? 0 }

    /// Source-pixel position of the centre of model cell (column, row).
    public func sourcePoint(column: Double, row: Double) -> (x: Double, y: Double) {
        ((column + 0.5) * Double(sourceColumns) / Double(width) - 0.5, (row + 0.5) * Double(sourceRows) / Double(height) - 0.5)
    }
}
