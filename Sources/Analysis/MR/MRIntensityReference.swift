/// MR intensities have no unit: the same tissue reads 300 on one scanner and 3000 on another. A
/// model reads each sequence divided by a reference intensity of its own volume, the way it was
/// trained (card `preprocessing.normalisation`):
///
///     ref = median of the voxels greater than 0.1 × the volume's 99th percentile
///
/// The threshold drops air and noise (most of an MR volume), so the median is that of the head's
/// tissue. Percentiles interpolate linearly between order statistics, as numpy's default does, so
/// the training script and this code agree.
public enum MRIntensityReference {
    /// The reference intensity of `values`; nil when it is not positive (an empty or black volume).
    public static func reference(_ values: [Float]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.filter(\.isFinite).sorted()
        guard let p99 = percentile(sorted, 99) else { return nil }
        let floor = 0.1 * p99
        guard let start = sorted.firstIndex(where: { Double($0) > floor }) else { return nil }
        guard let median = percentile(Array(sorted[start...]), 50), median > 0 else { return nil }
        return median
    }

    /// The `q`-th percentile (0…100) of ascending `sorted` (`ImageResampling.percentile(sorted:)`).
    public static func percentile(_ sorted: [Float], _ q: Double) -> Double? {
        sorted.isEmpty ? nil : ImageResampling.percentile(sorted: sorted, q)
    }
}
