import Foundation

/// Research exports of reviewed findings: one JSON document, or CSV with one row per finding.
public enum ReviewedFindingTable {
    public static let columns = [
        "study_instance_uid", "series_instance_uid", "sop_instance_uid", "finding_key", "origin", "label", "probability",
        "risk", "center_x", "center_y", "width", "height", "diameter_mm", "volume_ml", "model_id", "model_version",
        "model_sha256", "decision", "reason", "ai_label", "ai_risk", "ai_diameter_mm", "reader", "decided_at",
        "long_axis_mm", "short_axis_mm", "category", "malignancy_probability", "volume_abc2_ml",
    ]

    /// Field values in `columns` order; nil for missing values.
    static func fields(_ f: ReviewedFinding, studyUID: String) -> [Any?] {
        [studyUID, f.seriesUID, f.sopUID, f.key, f.origin.rawValue, f.label, f.probability, f.risk?.rawValue, f.centerX, f.centerY,
         f.width, f.height, f.diameterMM, f.volumeML, f.model?.id, f.model?.version, f.model?.sha256, f.outcome.rawValue,
         f.reason, f.proposedLabel, f.proposedRisk?.rawValue, f.proposedDiameterMM, f.reader, f.decidedAt,
         f.longAxisMM, f.shortAxisMM, f.category, f.malignancyProbability, f.volumeABC2ML]
    }

    /// RFC 4180 CSV. Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
    /// are prefixed with `'`.
    public static func csv(_ findings: [ReviewedFinding], studyUID: String) -> String {
        var out = columns.joined(separator: ",") + "\r\n"
        for f in findings {
            out += fields(f, studyUID: studyUID).map(cell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func cell(_ v: Any?) -> String {
        switch v {
        case nil: return ""
        case let d as Double: return d.isFinite ? "\(d)" : ""
        case let s as String:
            var t = s
            if let c = t.first, "=+-@\t\r".contains(c) { t = "'" + t }
            if t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                t = "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return t
        case let other?: return "\(other)"
        }
    }

    /// `{"study_instance_uid", "reader", "findings": [{column: value, …}]}`, with nulls for missing values.
    public static func json(_ findings: [ReviewedFinding], studyUID: String, reader: String) throws -> Data {
        let rows: [[String: Any]] = findings.map { f in
            var row: [String: Any] = [:]
            for (k, v) in zip(columns, fields(f, studyUID: studyUID)) where k != "study_instance_uid" {
                if let d = v as? Double { row[k] = d.isFinite ? d : NSNull() } else { row[k] = v ?? NSNull() }
            }
            return row
        }
        let doc: [String: Any] = ["study_instance_uid": studyUID, "reader": reader, "findings": rows]
        return try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
    }
}
