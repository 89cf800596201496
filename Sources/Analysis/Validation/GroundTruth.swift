import Foundation

/// A study's ground-truth sidecar (`ground_truth.json`, Training/ground_truth.schema.json): the
/// lesions a site's own validation cases hold. Only what `SiteValidation` reads is modelled, and
/// every field is optional, so a sidecar written by another tool still loads.
public struct GroundTruth: Decodable, Sendable {
    public struct Appearance: Decodable, Sendable {
        public var view: String?
        public var sopInstanceUID: String
        public var centerPX: [Double]?
        /// `box_px`: [column0, row0, column1, row1], the corners (inclusive). A finding's `bbox_px`
        /// is [column, row, width, height]; the two names keep the two shapes apart.
        public var cornersPX: [Double]?
        enum CodingKeys: String, CodingKey {
            case view
            case sopInstanceUID = "sop_instance_uid"
            case centerPX = "center_px"
            case cornersPX = "box_px"
            /// What sidecars written before the rename called the corners.
            case legacyCornersPX = "bbox_px"
        }

        public init(view: String?, sopInstanceUID: String, centerPX: [Double]?, cornersPX: [Double]?) {
            self.view = view; self.sopInstanceUID = sopInstanceUID; self.centerPX = centerPX; self.cornersPX = cornersPX
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(view: try c.decodeIfPresent(String.self, forKey: .view),
                      sopInstanceUID: try c.decode(String.self, forKey: .sopInstanceUID),
                      centerPX: try c.decodeIfPresent([Double].self, forKey: .centerPX),
                      cornersPX: try GroundTruth.corners(c, .cornersPX, legacy: .legacyCornersPX))
        }
    }

    /// The corners under `key`, or under the name older sidecars used.
    static func corners<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K, legacy: K) throws -> [Double]? {
        try c.decodeIfPresent([Double].self, forKey: key) ?? c.decodeIfPresent([Double].self, forKey: legacy)
    }

    public struct Lesion: Decodable, Sendable {
        public var id: Int?
        public var type: String?
        public var centerMM: [Double]?
        public var diameterMM: Double?
        public var sopInstanceUID: String?
        public var centerPX: [Double]?
        /// [column0, row0, column1, row1], as in `Appearance`.
        public var cornersPX: [Double]?
        public var malignant: Bool?
        public var appearances: [Appearance]?
        enum CodingKeys: String, CodingKey {
            case id, type, malignant, appearances
            case centerMM = "center_mm"
            case diameterMM = "diameter_mm"
            case sopInstanceUID = "sop_instance_uid"
            case centerPX = "center_px"
            case cornersPX = "box_px"
            case legacyCornersPX = "bbox_px"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(Int.self, forKey: .id)
            type = try c.decodeIfPresent(String.self, forKey: .type)
            centerMM = try c.decodeIfPresent([Double].self, forKey: .centerMM)
            diameterMM = try c.decodeIfPresent(Double.self, forKey: .diameterMM)
            sopInstanceUID = try c.decodeIfPresent(String.self, forKey: .sopInstanceUID)
            centerPX = try c.decodeIfPresent([Double].self, forKey: .centerPX)
            cornersPX = try GroundTruth.corners(c, .cornersPX, legacy: .legacyCornersPX)
            malignant = try c.decodeIfPresent(Bool.self, forKey: .malignant)
            appearances = try c.decodeIfPresent([Appearance].self, forKey: .appearances)
        }

        /// Where the lesion is seen on projection images: its appearances, or the lesion itself.
        public var views: [Appearance] {
            if let appearances, !appearances.isEmpty { return appearances }
            guard let sop = sopInstanceUID else { return [] }
            return [Appearance(view: nil, sopInstanceUID: sop, centerPX: centerPX, cornersPX: cornersPX)]
        }
    }

    public var studyInstanceUID: String?
    public var kind: String?
    public var normal: Bool?
    public var lesions: [Lesion]

    enum CodingKeys: String, CodingKey {
        case kind, normal, lesions
        case studyInstanceUID = "study_instance_uid"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        studyInstanceUID = try c.decodeIfPresent(String.self, forKey: .studyInstanceUID)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        normal = try c.decodeIfPresent(Bool.self, forKey: .normal)
        lesions = try c.decodeIfPresent([Lesion].self, forKey: .lesions) ?? []
    }

    /// The sidecar at `url`; a clear error naming the file when it is not valid JSON of this shape.
    public static func load(_ url: URL) throws -> GroundTruth {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Problem(description: "\(url.lastPathComponent): cannot be read")
        }
        do { return try JSONDecoder().decode(GroundTruth.self, from: data) } catch {
            throw Problem(description: "\(url.lastPathComponent): not a ground-truth sidecar (\(error))")
        }
    }

    public struct Problem: Error, CustomStringConvertible { public var description: String }
}
