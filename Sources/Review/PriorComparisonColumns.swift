import Analysis

/// A `PriorComparison` as columns of a review table: the decisions (what the reader saw when
/// deciding) and the prior links (what the reader said the match is) store it the same way.
enum PriorComparisonColumns {
    /// Column definitions, in `values` order (migration 8).
    static let definitions = [
        "prior_study_uid TEXT", "prior_finding_id TEXT", "prior_status TEXT", "prior_center_mm TEXT",
        "prior_diameter_mm REAL", "prior_volume_ml REAL", "diameter_change_mm REAL", "mean_diameter_change_mm REAL",
        "volume_change_pct REAL", "volume_doubling_days REAL", "interval_days REAL", "prior_category TEXT",
    ]
    static var names: [String] { definitions.map { String($0.prefix { $0 != " " }) } }
    static var placeholders: String { Array(repeating: "?", count: definitions.count).joined(separator: ",") }

    static func values(_ p: PriorComparison?) -> [ReviewValue] {
        guard let p else { return Array(repeating: .null, count: definitions.count) }
        let centre = p.centerMM.map { $0.map { "\($0)" }.joined(separator: "\\") }
        return [.text(p.studyInstanceUID), .optional(p.findingID), .text(p.status.rawValue), .optional(centre),
                .optional(p.diameterMM), .optional(p.volumeML), .optional(p.diameterChangeMM), .optional(p.meanDiameterChangeMM),
                .optional(p.volumeChangePct), .optional(p.volumeDoublingDays), .optional(p.intervalDays), .optional(p.priorCategory)]
    }

    /// The comparison in `row` from column `start` on; nil when the row has none (no prior study).
    static func read(_ row: [ReviewValue], from start: Int) -> PriorComparison? {
        guard row.count >= start + definitions.count, let study = row[start].string, !study.isEmpty,
              let status = row[start + 2].string.flatMap(PriorComparison.Status.init(rawValue:)) else { return nil }
        var p = PriorComparison(studyInstanceUID: study, status: status)
        p.findingID = row[start + 1].string
        p.centerMM = row[start + 3].string.flatMap { text in
            let v = text.split(separator: "\\").compactMap { Double($0) }
            return v.count == 3 ? v : nil
        }
        p.diameterMM = row[start + 4].double; p.volumeML = row[start + 5].double
        p.diameterChangeMM = row[start + 6].double; p.meanDiameterChangeMM = row[start + 7].double
        p.volumeChangePct = row[start + 8].double; p.volumeDoublingDays = row[start + 9].double
        p.intervalDays = row[start + 10].double; p.priorCategory = row[start + 11].string
        return p
    }
}
