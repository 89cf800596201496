import Analysis
import Foundation

/// The queries exports need: each finding with its geometry and the decision in force. They read the
/// `decisions` and `reader_findings` tables through the store's `ReviewDatabase`, so an export reads
/// a shared PostgreSQL store the same way as a local SQLite file.
extension ReviewStore {
    /// Readers who decided on or marked findings or key images in the study, sorted.
    public func readers(studyUID: String) throws -> [String] {
        try locked { try connection.query("""
            SELECT reader FROM decisions WHERE study_uid = ?1 UNION SELECT reader FROM reader_findings
            WHERE study_uid = ?1 AND removed_at IS NULL UNION SELECT reader FROM key_images k WHERE study_uid = ?1
              AND removes IS NULL AND NOT EXISTS (SELECT 1 FROM key_images r WHERE r.removes = k.id) ORDER BY 1
            """, [.text(studyUID)]).compactMap { $0.first?.string } }
    }

    /// Every finding of `studyUID` that `reader` decided on (AI findings) or marked (reader findings,
    /// unless removed), in the order they were first decided or marked. Undone decisions do not count.
    public func reviewedFindings(studyUID: String, reader: String) throws -> [ReviewedFinding] {
        let inForce = Self.effective(try decisions(studyUID: studyUID, reader: reader))
        var rows: [Int64: [ReviewValue]] = [:]
        for r in try locked({ try connection.query("""
            SELECT id, at, series_uid, sop_uid, finding_key, source, label, probability, risk, center_x, center_y,
                   width, height, diameter_mm, model_id, model_version, model_sha256, decision, reason,
                   corrected_label, corrected_risk, corrected_diameter_mm, volume_ml, territory, dwi_flair_mismatch, flair_rsi,
                   \(PriorComparisonColumns.names.joined(separator: ", "))
            FROM decisions WHERE study_uid = ? AND reader = ? AND decision != 'undo'
            """, [.text(studyUID), .text(reader)]) }) {
            if let id = r[0].int { rows[id] = r }
        }
        let links = try effectivePriorLinks(studyUID: studyUID, reader: reader)
        var out: [(order: Int64, finding: ReviewedFinding)] = []
        var decidedReaderMarks: [String: [ReviewValue]] = [:]
        for (key, d) in inForce {
            guard let r = rows[d.id] else { continue }
            let origin = FindingOrigin(rawValue: r[5].string ?? "") ?? .ai
            if origin == .reader { decidedReaderMarks[key] = r; continue }
            let decision = r[17].string ?? ""
            let outcome: ReviewedFinding.Outcome = decision == "reject" ? .rejected : decision == "correct" ? .corrected : .accepted
            let model = r[14].string.map { ModelIdentity(id: $0, version: r[15].string ?? "", sha256: r[16].string ?? "") }
            var finding = ReviewFinding(key: key, origin: .ai, label: r[6].string ?? "", probability: r[7].double,
                                        risk: r[8].string.flatMap(RiskLevel.init(rawValue:)), seriesUID: r[2].string ?? "",
                                        sopUID: r[3].string ?? "", centerX: r[9].double, centerY: r[10].double,
                                        width: r[11].double ?? 0, height: r[12].double ?? 0, diameterMM: r[13].double,
                                        volumeML: r[22].double, model: model)
            finding.territory = r[23].string
            finding.dwiFlairMismatch = r[24].int.map { $0 != 0 }
            finding.flairRelativeSignal = r[25].double
            // The comparison the reader saw when deciding, unless they re-linked or unlinked it since.
            finding.prior = links[key]?.comparison ?? PriorComparisonColumns.read(r, from: 26)
            var f = ReviewedFinding(finding, outcome: outcome, reason: r[18].string, reader: reader, decidedAt: r[1].string ?? "")
            if outcome == .corrected { Self.apply(correction: r, to: &f) }
            out.append((d.id, f))
        }
        for m in try readerFindings(studyUID: studyUID, reader: reader) {
            let mark = ReviewFinding(key: m.key, origin: .reader, label: m.label, seriesUID: m.seriesUID, sopUID: m.sopUID,
                                     centerX: m.x, centerY: m.y, width: m.width, height: m.height)
            var f = ReviewedFinding(mark, outcome: .addedByReader, reader: reader, decidedAt: m.at)
            // A reader may correct their own mark; the mark stays "added by reader" with the corrected values.
            if let r = decidedReaderMarks[m.key], r[17].string == "correct" {
                Self.apply(correction: r, to: &f)
                f.proposedLabel = nil; f.proposedRisk = nil; f.proposedDiameterMM = nil
            }
            if decidedReaderMarks[m.key]?[17].string == "reject" { continue }
            out.append((Int64.max / 2 + Int64(out.count), f))
        }
        return out.sorted { $0.order < $1.order }.map(\.finding)
    }

    private static func apply(correction r: [ReviewValue], to f: inout ReviewedFinding) {
        if let l = r[19].string, l != f.label { f.proposedLabel = f.label; f.label = l }
        if let k = r[20].string.flatMap(RiskLevel.init(rawValue:)), k != f.risk { f.proposedRisk = f.risk; f.risk = k }
        if let d = r[21].double, d != f.diameterMM { f.proposedDiameterMM = f.diameterMM; f.diameterMM = d }
    }
}
