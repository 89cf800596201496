import Foundation
import Imaging
import Review

/// A teaching session in progress (`lightbox teach`): the cases in order, where the trainee is,
/// and what has been revealed and scored.
public struct TeachingSession: Sendable {
    /// `known`: answers visible from the start. `unknown`: a quiz; answers show on reveal.
    public enum Mode: String, Sendable { case known, unknown }
    public var key: String
    public var mode: Mode
    /// Presenter use: larger panel, every annotation labelled, de-identified display.
    public var presenter: Bool
    public var cases: [TeachingCase]
    public var index = 0
    /// Studies whose answers are showing (every case in known mode).
    public var revealed: Set<String> = []
    /// The trainee's assessment per study.
    public var assessments: [String: String] = [:]
    /// Scores of the revealed quiz cases.
    public var scores: [String: TeachingScore] = [:]

    public init(key: String, mode: Mode, presenter: Bool, cases: [TeachingCase]) {
        self.key = key; self.mode = mode; self.presenter = presenter; self.cases = cases
        if mode == .known { revealed = Set(cases.map(\.studyUID)) }
    }

    public var current: TeachingCase? { cases.indices.contains(index) ? cases[index] : nil }
    public func teachingCase(_ uid: String) -> TeachingCase? { cases.first { $0.studyUID == uid } }

    /// The end-of-session summary: one line per case, then the totals.
    public func summary(trainee: String) -> [String] {
        var lines = ["Trainee: \(trainee)   mode: \(mode == .known ? "known (answers shown)" : "quiz")   cases: \(cases.count)", ""]
        var hits = 0, misses = 0, fps = 0, lesions = 0, scored = 0
        for (i, c) in cases.enumerated() {
            let dx = c.diagnosis.isEmpty ? (c.normal ? "normal" : "abnormal") : c.diagnosis
            var line = "\(i + 1). \(dx)"
            if let s = scores[c.studyUID] {
                scored += 1
                hits += s.hits; misses += s.misses; fps += s.falsePositives; lesions += s.lesions
                line += " — \(s.hits)/\(s.lesions) found, \(s.falsePositives) false positive\(s.falsePositives == 1 ? "" : "s")"
            } else if mode == .unknown {
                line += " — not revealed"
            }
            if let a = assessments[c.studyUID] { line += " — you: \(a)" }
            lines.append(line)
        }
        if mode == .unknown {
            lines.append("")
            let sensitivity = lesions == 0 ? "-" : String(format: "%.0f%%", Double(hits) / Double(lesions) * 100)
            lines.append("Total over \(scored) revealed case\(scored == 1 ? "" : "s"): \(hits) hit\(hits == 1 ? "" : "s"), \(misses) missed, \(fps) false positive\(fps == 1 ? "" : "s") (lesions found: \(sensitivity))")
        }
        return lines
    }
}

/// How a trainee's marks compare with the ground truth of one case.
///
/// A lesion is hit when a mark lies within max(its radius, 5 mm) of it: on an image where the
/// sidecar places it (in-plane distance in mm from the pixel spacing), or — for CT/MR volumes — on
/// another slice of the same series, counting the distance between the slices too. A mark that
/// hits no lesion is a false positive; a lesion no mark hits is a miss.
public struct TeachingScore: Sendable, Equatable {
    public static let minimumRadiusMM = 5.0
    public var lesions: Int
    /// Indexes of the lesions hit.
    public var hitLesions: Set<Int>
    /// For each mark key, the lesion indexes it hit (empty: a false positive).
    public var markHits: [String: [Int]]

    public var hits: Int { hitLesions.count }
    public var misses: Int { lesions - hitLesions.count }
    public var falsePositives: Int { markHits.values.filter(\.isEmpty).count }

    public static func score(_ c: TeachingCase, marks: [ReaderFindingRecord], headers: [String: InstanceHeader]) -> TeachingScore {
        var result = TeachingScore(lesions: c.lesions.count, hitLesions: [], markHits: [:])
        for m in marks where !m.removed {
            var hit: [Int] = []
            for (i, lesion) in c.lesions.enumerated() {
                guard let d = distanceMM(mark: m, lesion: lesion, headers: headers) else { continue }
                if d <= max(lesion.radiusMM, minimumRadiusMM) { hit.append(i) }
            }
            result.markHits[m.key] = hit
            result.hitLesions.formUnion(hit)
        }
        return result
    }

    /// The smallest distance in mm from the mark to any appearance of the lesion, nil when none
    /// can be compared (different image and no volume geometry).
    static func distanceMM(mark m: ReaderFindingRecord, lesion: TeachingCase.Lesion, headers: [String: InstanceHeader]) -> Double? {
        func spacing(_ h: InstanceHeader?) -> (Double, Double) {
            guard let p = h?.pixelSpacing, p.count == 2, p[0] > 0, p[1] > 0, p[0].isFinite, p[1].isFinite else { return (1, 1) }
            return (p[0], p[1])
        }
        let mh = headers[m.sopUID]
        var best: Double?
        for a in lesion.appearances {
            let (rs, cs) = spacing(headers[a.sopUID] ?? mh)
            let inPlane = hypot((m.x - a.x) * cs, (m.y - a.y) * rs)
            var d: Double?
            if a.sopUID == m.sopUID {
                d = inPlane
            } else if let mh, let ah = headers[a.sopUID], ["CT", "MR", "PT"].contains(mh.modality.uppercased()),
                      mh.seriesInstanceUID == ah.seriesInstanceUID, mh.imagePosition.count == 3, ah.imagePosition.count == 3 {
                let dz = sqrt(zip(mh.imagePosition, ah.imagePosition).map { ($0 - $1) * ($0 - $1) }.reduce(0, +))
                if dz.isFinite { d = sqrt(inPlane * inPlane + dz * dz) }
            }
            if let d { best = min(best ?? d, d) }
        }
        return best
    }
}
