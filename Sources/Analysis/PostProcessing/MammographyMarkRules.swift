import Foundation

/// The mammography card's two post-processing rules (card `postprocessing.mirror_suppression` and
/// `two_view_support`), on a run's raw marks, positions taken on the model grid:
///
/// 1. Mirror suppression. A model that reads each view beside the other breast's also marks the
///    mirror image of a lesion in the other breast. A mark is dropped when the same view of the
///    other breast has a strictly stronger mark within `radius` grid pixels of its mirrored
///    position. All marks of both views are considered before any is dropped, so two marks never
///    remove each other.
/// 2. Two-view support. A lesion shows in both views of its breast (CC and MLO) at about the same
///    distance from the chest wall; a false mark rarely has such a partner. A mark below the
///    standalone threshold stays only when the breast's other view has a mark (itself kept by
///    rule 1) at or above the support threshold whose chest-wall distance differs by at most the
///    tolerance. Without the other view, only standalone marks stay.
///
/// The chest wall is found on the image itself: the grid edge (first or last column) where the
/// model's normalised input is brighter, i.e. where the breast is attached, so the rule does not
/// depend on how a vendor stores left and right views.
public enum MammographyMarkRules {
    /// One view as the model read it.
    public struct View: Sendable {
        public var sopInstanceUID: String
        /// "L" or "R".
        public var laterality: String
        /// "CC", "MLO", … (no laterality prefix).
        public var view: String
        public var columns: Int
        public var rows: Int
        public var gridWidth: Int
        public var gridHeight: Int
        /// The same view of the other breast, and whether it is stored mirrored against this one.
        public var contralateral: String?
        public var contralateralMirrored: Bool
        /// The breast is attached at the last grid column (else the first).
        public var chestWallAtLastColumn: Bool

        public init(sopInstanceUID: String, laterality: String, view: String, columns: Int, rows: Int, gridWidth: Int,
                    gridHeight: Int, contralateral: String?, contralateralMirrored: Bool, chestWallAtLastColumn: Bool) {
            self.sopInstanceUID = sopInstanceUID; self.laterality = laterality; self.view = view
            self.columns = columns; self.rows = rows; self.gridWidth = gridWidth; self.gridHeight = gridHeight
            self.contralateral = contralateral; self.contralateralMirrored = contralateralMirrored
            self.chestWallAtLastColumn = chestWallAtLastColumn
        }

        /// The model-grid position (column, row) of a finding on this view: its heatmap peak (what
        /// the card's rule was tuned on), else its centre.
        func grid(_ f: Finding) -> (c: Double, r: Double)? {
            if let p = f.peakGrid, p.count == 2 { return (p[0], p[1]) }
            guard f.centerPX.count == 2, columns > 0, rows > 0 else { return nil }
            return (f.centerPX[0] * Double(gridWidth) / Double(columns), f.centerPX[1] * Double(gridHeight) / Double(rows))
        }

        /// Grid columns from the chest wall.
        func depth(_ f: Finding) -> Double? {
            grid(f).map { chestWallAtLastColumn ? Double(gridWidth - 1) - $0.c : $0.c }
        }
    }

    /// Which edge the breast is attached to, from the model's input for the view (row-major,
    /// `width` wide): the brighter of the outermost eighth of columns on each side.
    public static func chestWallAtLastColumn(input: [Float], width: Int) -> Bool {
        guard width >= 8, input.count >= width, input.count % width == 0 else { return false }
        let band = max(1, width / 8)
        var first: Float = 0, last: Float = 0
        for r in 0 ..< input.count / width {
            for c in 0 ..< band { first += input[r * width + c]; last += input[r * width + width - 1 - c] }
        }
        return last > first
    }

    /// Rule 1: `findings` (raw probabilities) without mirror-image marks.
    public static func mirrorSuppression(_ findings: [Finding], views: [View], radius: Double) -> [Finding] {
        let bySOP = Dictionary(views.map { ($0.sopInstanceUID, $0) }, uniquingKeysWith: { a, _ in a })
        return findings.filter { f in
            guard let v = bySOP[f.sopInstanceUID], let otherSOP = v.contralateral, let other = bySOP[otherSOP],
                  let p = v.grid(f) else { return true }
            let mc = v.contralateralMirrored ? Double(other.gridWidth - 1) - p.c * Double(other.gridWidth) / Double(v.gridWidth)
                : p.c * Double(other.gridWidth) / Double(v.gridWidth)
            let mr = p.r * Double(other.gridHeight) / Double(v.gridHeight)
            return !findings.contains { g in
                guard g.sopInstanceUID == otherSOP, g.probability > f.probability, let q = other.grid(g) else { return false }
                return ((q.c - mc) * (q.c - mc) + (q.r - mr) * (q.r - mr)).squareRoot() <= radius
            }
        }
    }

    /// Rule 2: `findings` (after rule 1, raw probabilities) that stand alone or are seen in the
    /// breast's other view.
    public static func twoViewSupport(_ findings: [Finding], views: [View], rule: CardPostProcessing.TwoViewSupport) -> [Finding] {
        let bySOP = Dictionary(views.map { ($0.sopInstanceUID, $0) }, uniquingKeysWith: { a, _ in a })
        return findings.filter { f in
            if f.probability >= rule.standaloneThreshold { return true }
            guard let v = bySOP[f.sopInstanceUID], let d = v.depth(f) else { return true }
            let others = views.filter { $0.laterality == v.laterality && $0.sopInstanceUID != v.sopInstanceUID && $0.view != v.view }
            return findings.contains { g in
                guard g.probability >= rule.supportThreshold, let o = others.first(where: { $0.sopInstanceUID == g.sopInstanceUID }),
                      let dg = o.depth(g) else { return false }
                return abs(dg * Double(v.gridWidth) / Double(o.gridWidth) - d) <= rule.depthTolerancePX
            }
        }
    }
}
