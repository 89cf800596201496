/// Which samples a thick slab takes: the one rule the viewer, `lightbox render` / `export-png`
/// and the conformance check (Tests/Conformance/slabs.py) share.
///
/// A slab centred on plane `N` of an orientation with thickness `T` mm takes every plane of that
/// orientation whose **centre lies within ±T/2 of plane N's centre** (inclusive, with a tolerance of
/// `toleranceMM` for rounding in the files), measured in physical space:
///
/// - **axial** (slices): along the slice normal, from each slice's Image Position (Patient)
///   projected on the normal — never from Slice Thickness — so uneven spacing is honoured;
/// - **coronal** (image rows): `|r − N| × row spacing ≤ T/2`, row spacing = Pixel Spacing[0];
/// - **sagittal** (image columns): `|c − N| × column spacing ≤ T/2`, column spacing = Pixel Spacing[1].
///
/// Plane N itself is always taken (so `T = 0`, or `T` below the spacing, is the plain plane).
/// **Gaps:** a step between neighbouring slices of more than `gapFactor` × the median step is a gap
/// (missing slices; the rule `SeriesLoader` uses). An axial slab stops at a gap: it takes only slices
/// reachable from N without crossing one, so it is thinner on that side rather than projecting
/// tissue that is not adjacent. Coronal and sagittal slabs project within each slice, so a gap in
/// the series only shows as it does in the plain reformat. **Edges:** at the first or last plane
/// the slab is cut by the volume (fewer planes, never a wrapped or repeated one).
public enum SlabRule {
    /// Positions closer to the ±T/2 boundary than this still count as inside (mm).
    public static let toleranceMM = 1e-3
    /// A neighbour step above this multiple of the median step is a gap.
    public static let gapFactor = 1.5

    /// The slices of the slab centred on slice `centre`, given every slice's position along the
    /// normal (ascending, as `SeriesLoader.sortedForVolume` gives them). O(slices) for the median.
    public static func sliceRange(positions: [Double], centre: Int, thickness: Double) -> ClosedRange<Int> {
        guard !positions.isEmpty else { return 0 ... 0 }
        let n = min(max(0, centre), positions.count - 1)
        let steps = zip(positions.dropFirst(), positions).map { $0 - $1 }
        let median = steps.isEmpty ? 0 : steps.sorted()[steps.count / 2]
        func isGap(_ after: Int) -> Bool { median > 1e-6 && steps[after] > gapFactor * median }
        let half = thickness / 2 + toleranceMM
        var lo = n, hi = n
        while lo > 0, !isGap(lo - 1), abs(positions[n] - positions[lo - 1]) <= half { lo -= 1 }
        while hi < positions.count - 1, !isGap(hi), abs(positions[hi + 1] - positions[n]) <= half { hi += 1 }
        return lo ... hi
    }

    /// The rows (or columns) of the slab centred on `centre` among `count` evenly spaced ones.
    public static func indexRange(count: Int, centre: Int, spacing: Double, thickness: Double) -> ClosedRange<Int> {
        guard count > 0 else { return 0 ... 0 }
        let n = min(max(0, centre), count - 1)
        guard spacing > 0, spacing.isFinite, thickness.isFinite else { return n ... n }
        // Capped before the conversion: a huge (finite) thickness must not trap in Int(_:).
        let reach = Int(max(0, min(Double(count), ((thickness / 2 + toleranceMM) / spacing).rounded(.down))))
        return max(0, n - reach) ... min(count - 1, n + reach)
    }
}
