import Analysis

/// One finding's mask: the pixels of each source image that belong to it (one byte per pixel, 0 or
/// 1, row-major on the image's own grid). What a DICOM Segmentation carries as one segment.
public struct FindingMask: Sendable, Equatable {
    /// One source image's share of the mask.
    public struct Plane: Sendable, Equatable {
        public var sopInstanceUID: String
        public var pixels: [UInt8]
        /// The AI's probability at each pixel of the mask (0 outside it), for a FRACTIONAL segmentation.
        public var probabilities: [Float]?
        public init(sopInstanceUID: String, pixels: [UInt8], probabilities: [Float]? = nil) {
            self.sopInstanceUID = sopInstanceUID; self.pixels = pixels; self.probabilities = probabilities
        }
        public var count: Int { pixels.reduce(0) { $0 + Int($1) } }
    }

    /// The finding's key in the analysis and in the review store.
    public var findingKey: String
    public var label: String
    public var probability: Double
    public var model: ModelIdentity
    /// Non-empty planes only, in the order of their images (a volume's slices by position).
    public var planes: [Plane]
    /// The lesion's Tracking UID (`TrackingUID`): the same as in the SR's measurement group, and the
    /// prior nodule's when the finding was matched to one. Nil: one is derived from the key.
    public var trackingUID: String?

    public init(findingKey: String, label: String, probability: Double, model: ModelIdentity, planes: [Plane]) {
        self.findingKey = findingKey; self.label = label; self.probability = probability; self.model = model; self.planes = planes
    }

    public var pixelCount: Int { planes.reduce(0) { $0 + $1.count } }
}
