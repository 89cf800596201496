/// Mammography hanging: RCC | LCC over RMLO | LMLO, right breast on the screen's left, mirrored
/// so the chest walls meet in the middle.
enum HangingProtocol {
    enum Side { case left, right }
    struct View { let laterality: String; let position: String; let side: Side }
    static let mammography = [
        View(laterality: "R", position: "CC", side: .left), View(laterality: "L", position: "CC", side: .right),
        View(laterality: "R", position: "MLO", side: .left), View(laterality: "L", position: "MLO", side: .right),
    ]

    /// Whether `frame` must be flipped so its chest wall faces the centre: the chest wall is the
    /// side with more tissue, i.e. the brighter half (air is dark in MONOCHROME2 after the VOI).
    static func needsMirror(_ frame: StackFrame, side: Side) -> Bool {
        guard !frame.values.isEmpty, frame.width > 1 else { return false }
        var left = 0.0, right = 0.0
        let half = frame.width / 2
        for y in stride(from: 0, to: frame.height, by: 4) {
            for x in stride(from: 0, to: frame.width, by: 4) {
                let v = Double(frame.values[y * frame.width + x])
                if x < half { left += v } else { right += v }
            }
        }
        if frame.monochrome1 { swap(&left, &right) }
        let chestWallOnLeft = left > right
        // A right breast on the screen's left needs its chest wall on the right, and vice versa.
        return side == .left ? chestWallOnLeft : !chestWallOnLeft
    }
}
