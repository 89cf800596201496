import Foundation
import Imaging

/// Which ground-truth lesion a proposed finding hits: the validation's own rule, written from the
/// sidecar's definitions and not shared with the training code (so `lightbox validate` checks the
/// card's figures independently).
///
/// - CT: the finding's centre lies within max(diameter / 2, 5 mm) of the lesion's centre, in
///   patient millimetres.
/// - Projection images (radiograph, mammography view): on the same image, the finding's centre
///   lies inside the lesion's box widened by 2 mm, or within max(diameter / 2, 5 mm) of its centre.
///   Each appearance of a mammography lesion is its own target, as in the cards' per-view FROC.
///   Without pixel spacing (`PixelGeometry`'s rule: never assume 1 mm per pixel) only the box
///   itself counts, unwidened; a lesion with no box on that image cannot be hit.
///
/// A target is one (lesion, image) pair for projection images and one lesion for CT.
public enum LesionMatching {
    public struct Target: Hashable, Sendable {
        public var lesion: Int
        /// The image for projection targets; nil for CT.
        public var sopInstanceUID: String?
    }

    /// Every target of `truth` on the images in `sops` (projection) or in the volume (CT).
    public static func targets(_ truth: GroundTruth, volumetric: Bool, sops: Set<String>) -> [Target] {
        truth.lesions.indices.flatMap { i -> [Target] in
            if volumetric { return truth.lesions[i].centerMM?.count == 3 ? [Target(lesion: i, sopInstanceUID: nil)] : [] }
            return truth.lesions[i].views.filter { sops.contains($0.sopInstanceUID) }
                .map { Target(lesion: i, sopInstanceUID: $0.sopInstanceUID) }
        }
    }

    /// The target `finding` hits, or nil (a false mark). `spacing`: the image's pixel spacing (mm,
    /// column then row), for projection images.
    public static func hit(_ finding: Finding, truth: GroundTruth, volumetric: Bool,
                           spacing: (column: Double, row: Double)?) -> Target? {
        if volumetric {
            guard finding.centerMM.count == 3 else { return nil }
            var best: (Target, Double)?
            for (i, l) in truth.lesions.enumerated() {
                guard let c = l.centerMM, c.count == 3 else { continue }
                let d = zip(c, finding.centerMM).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                if d <= radius(l), d < best?.1 ?? .infinity { best = (Target(lesion: i, sopInstanceUID: nil), d) }
            }
            return best?.0
        }
        guard finding.centerPX.count == 2 else { return nil }
        let geometry = PixelGeometry(rowSpacing: spacing?.row, columnSpacing: spacing?.column)
        let (fx, fy) = (finding.centerPX[0], finding.centerPX[1])
        var best: (Target, Double)?
        for (i, l) in truth.lesions.enumerated() {
            for a in l.views where a.sopInstanceUID == finding.sopInstanceUID {
                var d = Double.infinity
                if let c = a.centerPX, c.count == 2, let mm = geometry.distanceMM(from: (fx, fy), to: (c[0], c[1])) {
                    d = mm
                }
                var inside = false
                if let b = a.cornersPX, b.count == 4 {
                    let mx = geometry.columnSpacingMM.map { 2 / $0 } ?? 0, my = geometry.rowSpacingMM.map { 2 / $0 } ?? 0
                    inside = fx >= min(b[0], b[2]) - mx && fx <= max(b[0], b[2]) + mx && fy >= min(b[1], b[3]) - my && fy <= max(b[1], b[3]) + my
                }
                guard inside || d <= radius(l) else { continue }
                let rank = inside ? (d.isFinite ? d : 0) - 1e9 : d   // inside a box beats any distance
                if rank < best?.1 ?? .infinity { best = (Target(lesion: i, sopInstanceUID: a.sopInstanceUID), rank) }
            }
        }
        return best?.0
    }

    static func radius(_ l: GroundTruth.Lesion) -> Double { max((l.diameterMM ?? 0) / 2, 5) }
}
