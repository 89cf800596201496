import Foundation

/// Findings on one 2-D image from its model-grid heatmap: the card's peak candidates at or above the
/// reporting threshold, each measured on the region around its peak where the map stays at or above
/// half the peak (and at least the card's candidate floor), then placed on the source pixels and in
/// patient space.
public struct ImageFindingExtractor: Sendable {
    public enum Kind: Sendable { case mammography, radiograph }

    public var kind: Kind
    /// Peaks below this are candidates but not reported as findings.
    public var threshold: Float
    public var rule: CardDetails.CandidateRule
    public var label: String
    public var riskLevels: [(name: String, threshold: Float)]
    public var model: ModelIdentity
    public var ood: Bool

    public init(kind: Kind, threshold: Float, rule: CardDetails.CandidateRule, label: String,
                riskLevels: [(name: String, threshold: Float)] = [], model: ModelIdentity, ood: Bool) {
        self.kind = kind; self.threshold = threshold; self.rule = rule; self.label = label
        self.riskLevels = riskLevels; self.model = model; self.ood = ood
    }

    /// `imageScore`: the model's image-level score for this image (mammography: probability that the
    /// view shows a malignant lesion). A mammography finding's likelihood of malignancy, which sets
    /// its suspicion score and BI-RADS category, is its heatmap peak (where: suspicion of any lesion)
    /// times that score (how malignant the view looks).
    public func findings(heatmap h: ModelGridHeatmap, image: ProjectionImage, imageScore: Double? = nil) -> [Finding] {
        let fx = Double(h.sourceColumns) / Double(h.width), fy = Double(h.sourceRows) / Double(h.height)
        let spacing = image.pixelSpacing ?? (row: 1, column: 1)
        let peaks = PeakCandidates.find(h.values, columns: h.width, rows: h.height, rule: rule,
                                        spacing: (column: spacing.column * fx, row: spacing.row * fy, slice: 1))
        var claimed = Set<Int>()
        var out: [Finding] = []
        for peak in peaks where peak.probability >= threshold {
            let seed = peak.y * h.width + peak.x
            guard !claimed.contains(seed) else { continue }
            let region = Self.region(h, seed: seed, floor: max(peak.probability / 2, rule.minimumPeak))
            claimed.formUnion(region)
            let cells = region.map { (x: $0 % h.width, y: $0 / h.width) }
            let (long, short) = InPlaneDiameters.measure(cells, columnSpacing: spacing.column * fx, rowSpacing: spacing.row * fy)
            var wsum = 0.0, cx = 0.0, cy = 0.0
            for i in region { let w = Double(h.values[i]); wsum += w; cx += w * Double(i % h.width); cy += w * Double(i / h.width) }
            let centre = h.sourcePoint(column: cx / wsum, row: cy / wsum)
            let xs = cells.map(\.x), ys = cells.map(\.y)
            let x0 = Int((Double(xs.min()!) * fx).rounded(.down)), y0 = Int((Double(ys.min()!) * fy).rounded(.down))
            let x1 = min(h.sourceColumns, Int((Double(xs.max()! + 1) * fx).rounded(.up)))
            let y1 = min(h.sourceRows, Int((Double(ys.max()! + 1) * fy).rounded(.up)))
            let p = Double(peak.probability)
            var f = Finding(label: label, probability: p, risk: .low,
                            centerMM: image.patientPosition(column: centre.x, row: centre.y) ?? [],
                            diameterMM: long, sopInstanceUID: image.sopInstanceUID, centerPX: [centre.x, centre.y],
                            bboxPX: [x0, y0, x1 - x0, y1 - y0], ood: ood, model: model)
            // Size: the equivalent-circle diameter of the region (what a round lesion's diameter is,
            // and the radiograph card's suggested rule); on the evaluation sets it was within 20 % of
            // the truth more often than the longest diameter (radiographs 4/8 vs 3/8, mammography
            // 4/21 vs 2/21). The longest diameter and its perpendicular are kept beside it.
            let cellMM2 = spacing.column * fx * spacing.row * fy
            f.diameterMM = 2 * (Double(region.count) * cellMM2 / Double.pi).squareRoot()
            f.longAxisMM = long
            f.shortDiameterMM = short
            // No pixel spacing: the size is unknown, never 0 mm.
            if image.pixelSpacing == nil { f.diameterMM = nil; f.longAxisMM = nil; f.shortDiameterMM = nil }
            switch kind {
            case .mammography:
                Self.assignMammographyCategory(&f, imageScore: imageScore)
                f.laterality = image.laterality.isEmpty ? nil : image.laterality
            case .radiograph:
                f.risk = Self.risk(p, levels: riskLevels)
            }
            f.view = image.viewPosition.isEmpty ? nil : image.viewPosition
            f.peakGrid = [Double(peak.x), Double(peak.y)]
            f.contourPX = Self.contour(region, heatmap: h)
            out.append(f)
        }
        return out
    }

    /// A mammography finding's likelihood of malignancy is its probability (where: suspicion of any
    /// lesion) times the view's image-level score (how malignant the view looks); it sets the
    /// finding's 1–10 suspicion score, BI-RADS category and risk.
    static func assignMammographyCategory(_ f: inout Finding, imageScore: Double?) {
        let likelihood = f.probability * min(max(imageScore ?? 1, 0), 1)
        let birads = BreastSuspicion.birads(likelihood)
        f.suspicionScore = BreastSuspicion.score(likelihood)
        f.category = birads.rawValue
        f.risk = birads.risk
    }

    /// The card's risk level for probability `p`: the highest level whose threshold it reaches
    /// (below every threshold: low).
    static func risk(_ p: Double, levels: [(name: String, threshold: Float)]) -> RiskLevel {
        let reached = levels.filter { p >= Double($0.threshold) }.max { $0.threshold < $1.threshold }
        return reached.flatMap { RiskLevel(rawValue: $0.name) } ?? .low
    }

    /// Cells 8-connected to `seed` with value ≥ `floor`.
    static func region(_ h: ModelGridHeatmap, seed: Int, floor: Float) -> [Int] {
        var seen = Set([seed]), stack = [seed], out: [Int] = []
        while let i = stack.popLast() {
            out.append(i)
            let x = i % h.width, y = i / h.width
            for dy in -1 ... 1 { for dx in -1 ... 1 where dx != 0 || dy != 0 {
                let nx = x + dx, ny = y + dy
                guard nx >= 0, ny >= 0, nx < h.width, ny < h.height else { continue }
                let n = ny * h.width + nx
                if h.values[n] >= floor && seen.insert(n).inserted { stack.append(n) }
            } }
        }
        return out.sorted()
    }

    /// The region's outline as source-pixel [column, row] points: the corners of its boundary cells
    /// in angular order around the centroid (a star-shaped approximation good enough for an overlay).
    static func contour(_ region: [Int], heatmap h: ModelGridHeatmap) -> [[Double]] {
        let set = Set(region)
        let boundary = region.filter { i in
            let x = i % h.width, y = i / h.width
            return [(1, 0), (-1, 0), (0, 1), (0, -1)].contains { d in
                let nx = x + d.0, ny = y + d.1
                return nx < 0 || ny < 0 || nx >= h.width || ny >= h.height || !set.contains(ny * h.width + nx)
            }
        }
        let pts = boundary.map { h.sourcePoint(column: Double($0 % h.width), row: Double($0 / h.width)) }
        guard !pts.isEmpty else { return [] }
        let cx = pts.reduce(0) { $0 + $1.x } / Double(pts.count), cy = pts.reduce(0) { $0 + $1.y } / Double(pts.count)
        return pts.sorted { atan2($0.y - cy, $0.x - cx) < atan2($1.y - cy, $1.x - cx) }
            .map { [($0.x * 10).rounded() / 10, ($0.y * 10).rounded() / 10] }
    }
}
