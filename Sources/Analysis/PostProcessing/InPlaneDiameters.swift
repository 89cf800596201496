/// Longest in-plane diameter of a region and the longest diameter perpendicular to it, in mm, as
/// radiologists measure nodules (Lung-RADS, RECIST) and haemorrhage (ABC/2).
public enum InPlaneDiameters {
    /// `points` are (x, y) pixel coordinates of one slice's region; spacing converts them to mm.
    /// The long axis is the largest pairwise distance over boundary pixels (exact, O(b²) in the
    /// boundary length, which stays small for lesions); the short axis is the region's extent across it.
    public static func measure(_ points: [(x: Int, y: Int)], columnSpacing: Double, rowSpacing: Double) -> (long: Double, short: Double) {
        guard !points.isEmpty else { return (0, 0) }
        let set = Set(points.map { $0.y << 20 | $0.x })
        let boundary = points.filter { p in
            [(1, 0), (-1, 0), (0, 1), (0, -1)].contains { !set.contains((p.y + $0.1) << 20 | (p.x + $0.0)) }
        }
        // A pixel covers ±½ pixel: measure between pixel edges, not centres, so one pixel is 1 pixel wide.
        var best = 0.0, axis = (x: 1.0, y: 0.0)
        for i in boundary.indices {
            for j in i ..< boundary.count {
                let dx = Double(boundary[j].x - boundary[i].x) * columnSpacing
                let dy = Double(boundary[j].y - boundary[i].y) * rowSpacing
                let d = (dx * dx + dy * dy).squareRoot()
                if d > best { best = d; axis = d > 0 ? (dx / d, dy / d) : axis }
            }
        }
        // Extent across the long axis: project every pixel on the perpendicular.
        var lo = Double.infinity, hi = -Double.infinity
        for p in points {
            let t = -Double(p.x) * columnSpacing * axis.y + Double(p.y) * rowSpacing * axis.x
            lo = min(lo, t); hi = max(hi, t)
        }
        let pixel = (columnSpacing + rowSpacing) / 2
        return (best + pixel, (hi - lo) + pixel)
    }
}
