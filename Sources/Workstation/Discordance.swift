import Foundation
import Imaging
import Review

/// Where the reader's marks and the AI's findings disagree, decided when the AI is revealed.
///
/// A reader mark and an AI finding agree when they are on the same image and their centres are
/// within max(the AI finding's radius, the mark's radius, 10 mm) — a point click on a lesion the AI
/// outlined counts as the same lesion. (A lesion marked only on the CC view and flagged only on
/// the MLO view is discordant both ways: each view is checked on its own.)
enum Discordance {
    static let minimumMatchMM = 10.0

    static func items(ai: [Finding], marks: [Finding], headers: [String: InstanceHeader], reader: String,
                      studyUID: String) -> [DiscordanceRecord] {
        func spacing(_ sop: String) -> (row: Double, column: Double) {
            let p = headers[sop]?.pixelSpacing ?? []
            guard p.count == 2, p[0] > 0, p[1] > 0, p[0].isFinite, p[1].isFinite else { return (1, 1) }
            return (p[0], p[1])
        }
        func radiusMM(_ f: Finding) -> Double {
            if let d = f.diameterMM, d.isFinite, d > 0 { return d / 2 }
            let s = spacing(f.sopUID)
            return max(f.width * s.column, f.height * s.row) / 2
        }
        func matches(_ a: Finding, _ m: Finding) -> Bool {
            guard !a.sopUID.isEmpty, a.sopUID == m.sopUID else { return false }
            let s = spacing(a.sopUID)
            let d = hypot((a.centerX - m.centerX) * s.column, (a.centerY - m.centerY) * s.row)
            return d <= max(radiusMM(a), radiusMM(m), minimumMatchMM)
        }
        func record(_ f: Finding, _ kind: DiscordanceRecord.Kind) -> DiscordanceRecord {
            DiscordanceRecord(reader: reader, studyUID: studyUID, findingKey: f.key, kind: kind, label: f.label, seriesUID: f.seriesUID,
                              sopUID: f.sopUID, x: f.centerX, y: f.centerY, width: f.width, height: f.height,
                              laterality: headers[f.sopUID]?.laterality.uppercased() ?? "", probability: f.probability)
        }
        let aiOnly = ai.filter { a in !marks.contains { matches(a, $0) } }.map { record($0, .aiOnly) }
        let readerOnly = marks.filter { m in !ai.contains { matches($0, m) } }.map { record($0, .readerOnly) }
        return aiOnly + readerOnly
    }
}
