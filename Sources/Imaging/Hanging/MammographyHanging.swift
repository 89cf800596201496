/// The mammography hanging protocol: RCC | LCC over RMLO | LMLO, right breast on the screen's
/// left, each view mirrored as needed so the chest walls meet in the middle.
public enum MammographyHanging {
    /// The half of the screen a view hangs on.
    public enum Side: Sendable, Equatable { case left, right }

    /// One viewport of the layout: which image goes there.
    public struct View: Sendable, Equatable {
        /// Image Laterality ("R" / "L").
        public let laterality: String
        /// View Position ("CC" / "MLO").
        public let position: String
        public let side: Side
    }

    /// The four views in viewport order (left to right, top to bottom).
    public static let views = [
        View(laterality: "R", position: "CC", side: .left), View(laterality: "L", position: "CC", side: .right),
        View(laterality: "R", position: "MLO", side: .left), View(laterality: "L", position: "MLO", side: .right),
    ]

    /// Whether an image must be flipped left-right so its chest wall faces the centre of the
    /// screen when hung on `side`.
    ///
    /// The chest wall is the side with more tissue, i.e. the brighter half once air is dark:
    /// `values` are display-ordered grey values (MONOCHROME2 sense unless `monochrome1`). Sampled
    /// on every fourth row and column, O(width × height / 16). False for an empty image or one
    /// whose `values` do not hold `width × height` samples.
    public static func needsMirror(values: [Float], width: Int, height: Int, monochrome1: Bool, side: Side) -> Bool {
        guard width > 1, height > 0, values.count == width * height else { return false }
        var left = 0.0, right = 0.0
        let half = width / 2
        for y in stride(from: 0, to: height, by: 4) {
            for x in stride(from: 0, to: width, by: 4) {
                let v = Double(values[y * width + x])
                if x < half { left += v } else { right += v }
            }
        }
        if monochrome1 { swap(&left, &right) }
        let chestWallOnLeft = left > right
        // A right breast on the screen's left needs its chest wall on the right, and vice versa.
        return side == .left ? chestWallOnLeft : !chestWallOnLeft
    }
}
