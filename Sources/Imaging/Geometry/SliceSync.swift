/// Linked scrolling between two series shown side by side: which slice of a target series shows
/// the same anatomy as the active viewport's slice.
///
/// Positions are measured along the **target's own normal** (from Image Position (Patient)), never
/// by slice index, so series of different slice counts, spacings or slice order (head-first versus
/// feet-first stacks) stay at the same anatomy. When both series share a Frame of Reference UID the
/// offset is zero; otherwise the reader aligns them on one slice and the difference is kept as an
/// offset (`offset(aligning:with:)`) that is added to every later lookup.
public enum SliceSync {
    /// The slice position of a plane along `normal`, in mm: its origin projected on the normal.
    /// (Every pixel of a plane perpendicular to `normal` projects to the same value.)
    public static func position(of plane: PatientPlane, along normal: [Double]) -> Double {
        Vector3.dot(plane.origin, normal)
    }

    /// The slice positions of a stack along its own normal (the first plane's), in stack order.
    public static func positions(of stack: [PatientPlane]) -> [Double] {
        guard let n = stack.first?.normal else { return [] }
        return stack.map { position(of: $0, along: n) }
    }

    /// The index in `positions` nearest to `position`; ties go to the lower index; nil when empty.
    /// O(n) — stacks are a few hundred slices and this runs once per key press.
    public static func nearestIndex(to position: Double, in positions: [Double]) -> Int? {
        var best: Int?, bestDistance = Double.infinity
        for (i, p) in positions.enumerated() where p.isFinite {
            let d = abs(p - position)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    /// The slice of `target` nearest to the active slice `source`, measured along the target's
    /// normal, after adding `offset` mm (the reader's alignment; 0 for a shared frame of reference).
    public static func nearestSlice(to source: PatientPlane, in target: [PatientPlane], offset: Double = 0) -> Int? {
        guard let n = target.first?.normal else { return nil }
        return nearestIndex(to: position(of: source, along: n) + offset, in: positions(of: target))
    }

    /// The offset that makes `target` slice correspond to `source` slice ("link here"): the
    /// target's position minus the source's, both along the target's normal.
    public static func offset(aligning source: PatientPlane, with target: PatientPlane) -> Double {
        let n = target.normal
        return position(of: target, along: n) - position(of: source, along: n)
    }
}
