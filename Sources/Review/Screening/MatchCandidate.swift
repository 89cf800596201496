/// One AI finding or reader mark as discordance matching sees it: where it is, on which image,
/// and how big. The Workstation builds these from its panel findings, so Review needs no UI type.
public struct MatchCandidate: Sendable, Equatable {
    public var key: String
    public var label: String
    public var seriesUID: String
    public var sopUID: String
    /// Centre in image pixels (x = column, y = row) on the instance `sopUID`.
    public var x: Double
    public var y: Double
    /// Box size in pixels (0 × 0 for a point).
    public var width: Double
    public var height: Double
    /// The finding's own diameter in mm, when the model measured one.
    public var diameterMM: Double?
    public var probability: Double?

    public init(key: String, label: String, seriesUID: String = "", sopUID: String, x: Double, y: Double,
                width: Double = 0, height: Double = 0, diameterMM: Double? = nil, probability: Double? = nil) {
        self.key = key; self.label = label; self.seriesUID = seriesUID; self.sopUID = sopUID; self.x = x; self.y = y
        self.width = width; self.height = height; self.diameterMM = diameterMM; self.probability = probability
    }

    /// Half the larger side of the box, in pixels (0 for a point).
    var radiusPixels: Double {
        let r = max(abs(width), abs(height)) / 2
        return r.isFinite ? r : 0
    }

    /// The diameter the model gave, when it is a usable number.
    var validDiameterMM: Double? {
        guard let d = diameterMM, d.isFinite, d > 0 else { return nil }
        return d
    }
}
