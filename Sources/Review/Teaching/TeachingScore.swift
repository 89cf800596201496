import Foundation
import Imaging

/// How a trainee's marks compare with the ground truth of one teaching case.
///
/// A lesion is hit when a mark lies within max(its radius, 5 mm) of it: on an image where the
/// sidecar places it (in-plane distance in mm from `PixelGeometry`), or — for CT/MR/PET volumes —
/// on another slice of the same series, counting the distance between the slices too. A mark that
/// hits no lesion is a false positive; a lesion no mark hits is a miss.
///
/// **Without pixel spacing** no millimetre distance exists and 1 mm per pixel is never assumed. A
/// mark inside the lesion's sidecar box on that image is still a hit (no distance is needed); any
/// other comparison that needed spacing is *unmeasured*. A mark that hits nothing but was unmeasured
/// against some lesion is neither a hit nor a false positive, and a lesion that no mark hit but
/// some mark was unmeasured against is not a miss: both are reported as not scored, so a header
/// defect never turns into a grade.
public struct TeachingScore: Sendable, Equatable {
    public static let minimumRadiusMM = 5.0
    public var lesions: Int
    /// Indexes of the lesions hit.
    public var hitLesions: Set<Int>
    /// For each mark key, the lesion indexes it hit (empty: a false positive, unless unmeasured).
    public var markHits: [String: [Int]]
    /// Marks that hit nothing but could not be measured against some lesion (no pixel spacing).
    public var unmeasuredMarks: Set<String>
    /// Lesions no mark hit that some mark could not be measured against (no pixel spacing).
    public var unmeasuredLesions: Set<Int>

    public init(lesions: Int, hitLesions: Set<Int> = [], markHits: [String: [Int]] = [:],
                unmeasuredMarks: Set<String> = [], unmeasuredLesions: Set<Int> = []) {
        self.lesions = lesions; self.hitLesions = hitLesions; self.markHits = markHits
        self.unmeasuredMarks = unmeasuredMarks; self.unmeasuredLesions = unmeasuredLesions
    }

    public var hits: Int { hitLesions.count }
    public var misses: Int { max(0, lesions - hitLesions.count - unmeasuredLesions.subtracting(hitLesions).count) }
    public var falsePositives: Int { markHits.filter { $0.value.isEmpty && !unmeasuredMarks.contains($0.key) }.count }
    /// Marks and lesions left out of the score for want of pixel spacing.
    public var unscored: Int { unmeasuredMarks.count + unmeasuredLesions.subtracting(hitLesions).count }

    /// How one mark relates to one lesion.
    public enum Proximity: Sendable, Equatable {
        case hit
        case outside
        /// The comparison needed pixel spacing that the image does not have.
        case unmeasured
        /// Not on an image where the lesion shows, nor on a slice of the same volume.
        case notComparable
    }

    /// Scores the marks that are not removed against `lesions`.
    public static func score(lesions: [TeachingLesion], marks: [ReaderFindingRecord],
                             headers: [String: InstanceHeader]) -> TeachingScore {
        var result = TeachingScore(lesions: lesions.count)
        var unmeasuredPairs: [(mark: String, lesion: Int)] = []
        for m in marks where !m.removed {
            var hit: [Int] = []
            for (i, lesion) in lesions.enumerated() {
                switch proximity(mark: m, lesion: lesion, headers: headers) {
                case .hit: hit.append(i)
                case .unmeasured: unmeasuredPairs.append((m.key, i))
                case .outside, .notComparable: break
                }
            }
            result.markHits[m.key] = hit
            result.hitLesions.formUnion(hit)
        }
        for p in unmeasuredPairs {
            if result.markHits[p.mark]?.isEmpty ?? true { result.unmeasuredMarks.insert(p.mark) }
            if !result.hitLesions.contains(p.lesion) { result.unmeasuredLesions.insert(p.lesion) }
        }
        return result
    }

    /// The best relation of the mark to any appearance of the lesion (hit, then unmeasured, then
    /// outside, then not comparable).
    public static func proximity(mark m: ReaderFindingRecord, lesion: TeachingLesion,
                                 headers: [String: InstanceHeader]) -> Proximity {
        let limit = max(lesion.radiusMM.isFinite ? lesion.radiusMM : 0, minimumRadiusMM)
        let mh = headers[m.sopUID]
        var best = Proximity.notComparable
        func consider(_ p: Proximity) {
            let rank: [Proximity: Int] = [.hit: 3, .unmeasured: 2, .outside: 1, .notComparable: 0]
            if rank[p, default: 0] > rank[best, default: 0] { best = p }
        }
        for a in lesion.appearances {
            let geometry = (headers[a.sopUID] ?? mh)?.pixelGeometry ?? .unknown
            let inPlane = geometry.distanceMM(from: (m.x, m.y), to: (a.x, a.y))
            if a.sopUID == m.sopUID {
                if a.boxContains(x: m.x, y: m.y) && !geometry.isKnown { consider(.hit); continue }
                guard let d = inPlane else { consider(.unmeasured); continue }
                consider(d <= limit ? .hit : .outside)
            } else if let mh, let ah = headers[a.sopUID], ["CT", "MR", "PT"].contains(mh.modality.uppercased()),
                      mh.seriesInstanceUID == ah.seriesInstanceUID, mh.imagePosition.count == 3, ah.imagePosition.count == 3 {
                let dz = sqrt(zip(mh.imagePosition, ah.imagePosition).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
                guard dz.isFinite else { continue }
                guard let d = inPlane else { consider(.unmeasured); continue }
                consider(sqrt(d * d + dz * dz) <= limit ? .hit : .outside)
            }
        }
        return best
    }
}
