/// Reference lines: where one image's plane cuts another image, for a multi-viewport layout
/// (across series and across MPR planes alike, since only patient-space geometry is used).
public enum ReferenceLine {
    /// A segment in an image's pixel coordinates (x column, y row; integers at pixel centres).
    public struct Segment: Sendable, Equatable {
        public var from: (x: Double, y: Double)
        public var to: (x: Double, y: Double)
        public static func == (a: Segment, b: Segment) -> Bool {
            a.from == b.from && a.to == b.to
        }
    }

    /// Planes closer to parallel than this (|sin| of the angle between them) have no line.
    public static let parallelTolerance = 1e-6

    /// Where plane `a` cuts image `b`, in `b`'s pixel coordinates; nil when the planes are
    /// parallel or the line misses either image.
    ///
    /// The line of points of `b` on `a`'s plane is clipped to both images (pixel edges, i.e.
    /// −0.5 … width − 0.5): to `b` so it stays on the image drawn, and to `a` so it shows only
    /// where `a` has pixels (a small field of view cuts a shorter line).
    public static func segment(of a: PatientPlane, on b: PatientPlane) -> Segment? {
        let n = a.normal
        // Signed distance of b's pixel (x, y) from a's plane: f = c0 + cx·x + cy·y.
        let c0 = Vector3.dot(n, Vector3.subtract(b.origin, a.origin))
        let cx = b.columnSpacing * Vector3.dot(n, b.rowDirection)
        let cy = b.rowSpacing * Vector3.dot(n, b.columnDirection)
        let g = (cx * cx + cy * cy).squareRoot()
        // |n · b's normal| near 1 means parallel planes: no line.
        guard Vector3.length(Vector3.cross(n, b.normal)) > parallelTolerance, g > 1e-12 else { return nil }
        // A point on the line and its direction, in b's pixels.
        let p0 = (x: -c0 * cx / (g * g), y: -c0 * cy / (g * g))
        let d = (x: -cy / g, y: cx / g)
        var lo = -Double.infinity, hi = Double.infinity
        // Keep t where lower ≤ v0 + t·dv ≤ upper.
        func clip(_ v0: Double, _ dv: Double, _ lower: Double, _ upper: Double) -> Bool {
            if abs(dv) < 1e-12 { return v0 >= lower && v0 <= upper }
            var t0 = (lower - v0) / dv, t1 = (upper - v0) / dv
            if t0 > t1 { swap(&t0, &t1) }
            lo = max(lo, t0); hi = min(hi, t1)
            return lo <= hi
        }
        guard clip(p0.x, d.x, -0.5, Double(b.width) - 0.5), clip(p0.y, d.y, -0.5, Double(b.height) - 0.5) else { return nil }
        // The same line in a's pixels: affine in t.
        let q0 = a.pixel(of: b.position(x: p0.x, y: p0.y))
        let q1 = a.pixel(of: b.position(x: p0.x + d.x, y: p0.y + d.y))
        guard clip(q0.x, q1.x - q0.x, -0.5, Double(a.width) - 0.5), clip(q0.y, q1.y - q0.y, -0.5, Double(a.height) - 0.5),
              hi - lo > 1e-9 else { return nil }
        return Segment(from: (p0.x + lo * d.x, p0.y + lo * d.y), to: (p0.x + hi * d.x, p0.y + hi * d.y))
    }
}
