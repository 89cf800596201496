/// A window for images whose values have no physical unit (MR), computed from the series itself.
///
/// MR intensities differ by scanner, coil and sequence, so CT-style fixed presets do not apply and
/// a min–max window is ruined by a few bright voxels (vessels, fat, artefacts) while the air around
/// the head fills half the histogram. The rule: take the voxels above 5 % of the series' 99.9th
/// percentile as foreground, then window from the foreground's `low` to `high` percentile
/// (default 0.5 % to 99.5 %). Sequence-specific choices sit in `percentiles(for:)`: DWI widens the
/// top so a bright infarct is not clipped flat, ADC starts at zero so dark restriction stays dark.
///
/// The file's own window, when it has one, wins over this (`VOITransform(dataSet)` is tried first).
public enum RobustWindow {
    /// The (low, high) foreground percentiles used for a sequence.
    public static func percentiles(for kind: MRSequenceKind) -> (low: Double, high: Double) {
        switch kind {
        case .dwi: return (0.5, 99.9)
        case .adc: return (0, 99.5)
        default: return (0.5, 99.5)
        }
    }

    /// The window over `values` (modality values of a whole series), or nil when there are none
    /// or they are all equal.
    public static func window(_ values: [Float], low: Double = 0.5, high: Double = 99.5) -> VOITransform.Window? {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let sample = Self.subsample(finite, limit: 1 << 20).sorted()
        let top = Self.percentile(sample, 99.9)
        let foreground = sample.filter { $0 > 0.05 * top }
        let basis = foreground.count >= 16 ? foreground : sample
        let lo = Self.percentile(basis, low), hi = Self.percentile(basis, high)
        guard hi > lo else { return nil }
        return VOITransform.Window(center: (Double(lo) + Double(hi)) / 2, width: Double(hi) - Double(lo))
    }

    public static func window(_ values: [Float], kind: MRSequenceKind) -> VOITransform.Window? {
        let p = percentiles(for: kind)
        return window(values, low: p.low, high: p.high)
    }

    /// Linear-interpolated percentile of sorted values (numpy's default method).
    static func percentile(_ sorted: [Float], _ p: Double) -> Float {
        guard sorted.count > 1 else { return sorted.first ?? 0 }
        let x = min(max(p, 0), 100) / 100 * Double(sorted.count - 1)
        let i = Int(x), f = Float(x - Double(i))
        return i + 1 < sorted.count ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i]
    }

    /// Every k-th value, so a 300-slice series is windowed from about a million voxels.
    static func subsample(_ values: [Float], limit: Int) -> [Float] {
        guard values.count > limit else { return values }
        let step = (values.count + limit - 1) / limit
        return stride(from: 0, to: values.count, by: step).map { values[$0] }
    }
}
