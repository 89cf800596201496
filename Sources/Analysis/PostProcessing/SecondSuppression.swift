import Foundation

/// A second greedy suppression of a volume's marks (card `postprocessing.second_suppression`):
/// in descending probability, a mark within `radiusMM` (3-D, patient millimetres) of one already
/// kept is dropped. On the head CT model the false marks that survive high thresholds are
/// secondary peaks 10–18 mm from a found haemorrhage (parts of one extended lesion), which the
/// candidate rule's 10 mm suppression leaves. Marks are compared by their centres.
public enum SecondSuppression {
    public static func apply(_ findings: [Finding], radiusMM: Double) -> [Finding] {
        var kept: [Finding] = []
        for f in findings.sorted(by: { $0.probability > $1.probability }) {
            let near = kept.contains { k in
                guard k.centerMM.count == 3, f.centerMM.count == 3 else { return false }
                return zip(k.centerMM, f.centerMM).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() <= radiusMM
            }
            if !near { kept.append(f) }
        }
        return kept
    }
}
