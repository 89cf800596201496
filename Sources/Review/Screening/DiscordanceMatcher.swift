import Foundation
import Imaging

/// Where the reader's marks and the AI's findings disagree, decided when the AI is revealed in a
/// second-reader (screening) read.
///
/// A reader mark and an AI finding agree when they are on the same image and their centres are
/// within max(the AI finding's radius, the mark's radius, 10 mm) — a point click on a lesion the AI
/// outlined counts as the same lesion. A radius is the finding's own diameter / 2 when it has one,
/// else half the larger side of its box. (A lesion marked only on the CC view and flagged only on
/// the MLO view is discordant both ways: each view is checked on its own.) Distances come from
/// `PixelGeometry`: on a 0.2 mm mammogram the 10 mm minimum is 50 pixels.
///
/// **Without pixel spacing** the 10 mm minimum and any diameter in mm cannot be placed on the image,
/// and 1 mm per pixel is never assumed. The two then agree only when their centres are within the
/// larger of their pixel radii (half the larger box side) and that radius is > 0: a point inside an
/// outlined box, or two overlapping boxes. Two points never agree there. Erring towards discordance
/// is the safe side: a discordance is shown to the reader and decided by a person, while a wrong
/// agreement would hide a disagreement. Such images are listed in the outcome, whose `note` says so.
public enum DiscordanceMatcher {
    public static let minimumMatchMM = 10.0

    /// How one comparison of a finding with a mark came out.
    public struct Agreement: Sendable, Equatable {
        public var sameLesion: Bool
        /// false when the image has no pixel spacing and the pixel rule decided.
        public var measuredInMM: Bool
    }

    /// The discordant findings (`aiOnly`) and marks (`readerOnly`) of one read.
    /// Findings and marks without a place on an image (an SR finding without coordinates) take no
    /// part: nothing can be matched against them.
    public static func match(ai: [ReviewFinding], marks: [ReviewFinding], headers: [String: InstanceHeader],
                             reader: String, studyUID: String) -> DiscordanceOutcome {
        let ai = ai.filter(\.isPlaced), marks = marks.filter(\.isPlaced)
        var withoutSpacing = Set<String>()
        func agree(_ a: ReviewFinding, _ m: ReviewFinding) -> Bool {
            guard let r = agreement(a, m, geometry: headers[a.sopUID]?.pixelGeometry ?? .unknown) else { return false }
            if !r.measuredInMM { withoutSpacing.insert(a.sopUID) }
            return r.sameLesion
        }
        func record(_ f: ReviewFinding, _ kind: DiscordanceRecord.Kind) -> DiscordanceRecord {
            DiscordanceRecord(reader: reader, studyUID: studyUID, findingKey: f.key, kind: kind, label: f.label, seriesUID: f.seriesUID,
                              sopUID: f.sopUID, x: f.centerX ?? 0, y: f.centerY ?? 0, width: f.width, height: f.height,
                              laterality: headers[f.sopUID]?.laterality.uppercased() ?? "", probability: f.probability)
        }
        let aiOnly = ai.filter { a in !marks.contains { agree(a, $0) } }.map { record($0, .aiOnly) }
        let readerOnly = marks.filter { m in !ai.contains { agree($0, m) } }.map { record($0, .readerOnly) }
        return DiscordanceOutcome(records: aiOnly + readerOnly, imagesWithoutSpacing: withoutSpacing)
    }

    /// Whether AI finding `a` and reader mark `m` are the same lesion on an image of `geometry`;
    /// nil when they are on different images (never the same lesion).
    public static func agreement(_ a: ReviewFinding, _ m: ReviewFinding, geometry: PixelGeometry) -> Agreement? {
        guard !a.sopUID.isEmpty, a.sopUID == m.sopUID, let ax = a.centerX, let ay = a.centerY,
              let mx = m.centerX, let my = m.centerY else { return nil }
        guard geometry.isKnown, let d = geometry.distanceMM(from: (ax, ay), to: (mx, my)) else {
            let r = max(a.radiusPixels, m.radiusPixels)
            let d = hypot(ax - mx, ay - my)
            return Agreement(sameLesion: r > 0 && d <= r, measuredInMM: false)
        }
        func radiusMM(_ f: ReviewFinding) -> Double {
            f.validDiameterMM.map { $0 / 2 } ?? geometry.radiusMM(width: abs(f.width), height: abs(f.height)) ?? 0
        }
        return Agreement(sameLesion: d <= max(radiusMM(a), radiusMM(m), minimumMatchMM), measuredInMM: true)
    }
}

extension ReviewFinding {
    /// Whether the finding has a centre on an image.
    var isPlaced: Bool { centerX != nil && centerY != nil && !sopUID.isEmpty }

    /// Half the larger side of the box, in pixels (0 for a point).
    var radiusPixels: Double {
        let r = max(abs(width), abs(height)) / 2
        return r.isFinite ? r : 0
    }

    /// The diameter the model gave, when it is a usable number.
    var validDiameterMM: Double? {
        guard let d = diameterMM, d.isFinite, d > 0 else { return nil }
        return d
    }
}
