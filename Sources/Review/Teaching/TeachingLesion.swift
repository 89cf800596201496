/// One ground-truth lesion of a teaching case, as scoring needs it: its size and where it shows.
public struct TeachingLesion: Sendable, Equatable {
    /// Where a lesion shows on one image, in that image's pixels.
    public struct Appearance: Sendable, Equatable {
        public var sopUID: String
        public var x: Double
        public var y: Double
        /// [column, row, column, row] corners, when the sidecar gives them.
        public var box: [Double]?

        public init(sopUID: String, x: Double, y: Double, box: [Double]? = nil) {
            self.sopUID = sopUID; self.x = x; self.y = y; self.box = box
        }

        /// Whether (x, y) lies inside the box (false when there is none).
        func boxContains(x px: Double, y py: Double) -> Bool {
            guard let b = box, b.count == 4, b.allSatisfy(\.isFinite) else { return false }
            return px >= min(b[0], b[2]) && px <= max(b[0], b[2]) && py >= min(b[1], b[3]) && py <= max(b[1], b[3])
        }
    }

    public var label: String
    public var diameterMM: Double
    public var appearances: [Appearance]
    /// "malignant", "benign", or the severity the sidecar gives.
    public var nature: String?

    public init(label: String, diameterMM: Double, appearances: [Appearance], nature: String? = nil) {
        self.label = label; self.diameterMM = diameterMM; self.appearances = appearances; self.nature = nature
    }

    public var radiusMM: Double { diameterMM / 2 }
}
