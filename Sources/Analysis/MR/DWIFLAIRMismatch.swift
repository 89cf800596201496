/// The DWI–FLAIR mismatch: an infarct bright on diffusion but not yet on FLAIR is likely under
/// 4.5 hours old (WAKE-UP trial; Thomalla et al., NEJM 2018). Readers judge "no marked FLAIR
/// hyperintensity"; studies quantify it as the FLAIR relative signal intensity (rSI) of the lesion
/// against the mirror region in the other hemisphere.
///
/// The rule (the same in the training recipe, `Training/models`, which fits the threshold):
/// - lesion = the model-grid voxels with infarct probability ≥ the card's pixel threshold;
/// - each lesion voxel at column c of a slice mirrors to column 2m − c (clamped to the image), where
///   m is that slice's midline: (first + last column whose maximum normalised FLAIR over the rows
///   exceeds 0.3) / 2, or the image centre when no column does;
/// - rSI = mean normalised FLAIR over the lesion / mean over the mirrored voxels;
/// - mismatch when rSI < the card's `flair_rsi_threshold`.
public enum DWIFLAIRMismatch {
    public struct Result: Sendable, Equatable {
        public var relativeSignal: Double
        public var mismatch: Bool
    }

    /// `flair` and `probability`: slice-major planes of `columns × rows` on the model grid. Nil when
    /// no voxel reaches the threshold or the mirror region reads no signal.
    public static func assess(flair: [Float], probability: [Float], columns: Int, rows: Int, slices: Int,
                              pixelThreshold: Float, rsiThreshold: Double) -> Result? {
        let plane = columns * rows
        guard columns > 0, rows > 0, flair.count == plane * slices, probability.count == plane * slices else { return nil }
        var lesionSum = 0.0, mirrorSum = 0.0, count = 0
        for z in 0 ..< slices {
            let base = z * plane
            guard (0 ..< plane).contains(where: { probability[base + $0] >= pixelThreshold }) else { continue }
            var first: Int?, last: Int?
            for x in 0 ..< columns where (0 ..< rows).contains(where: { flair[base + $0 * columns + x] > 0.3 }) {
                if first == nil { first = x }
                last = x
            }
            // No column reaches 0.3 (a slice above the head): mirror about the image centre.
            let twiceMidline = first.flatMap { f in last.map { f + $0 } } ?? columns - 1
            for y in 0 ..< rows {
                for x in 0 ..< columns where probability[base + y * columns + x] >= pixelThreshold {
                    let mirrored = min(max(twiceMidline - x, 0), columns - 1)
                    lesionSum += Double(flair[base + y * columns + x])
                    mirrorSum += Double(flair[base + y * columns + mirrored])
                    count += 1
                }
            }
        }
        guard count > 0, mirrorSum > 0 else { return nil }
        let rsi = lesionSum / mirrorSum
        return Result(relativeSignal: rsi, mismatch: rsi < rsiThreshold)
    }
}
