import Analysis

/// Re-linking and unlinking a finding's prior match: a decision like any other, kept for good
/// (append-only `prior_links`, migration 8), attributed to the reader, the newest row in force.
extension ReviewStore {
    /// Records `reader`'s link of `record.findingKey` (re-link or unlink); returns the new row id.
    @discardableResult
    public func recordPriorLink(_ record: PriorLinkRecord, reader: String) throws -> Int64 {
        try locked {
            try connection.insert("""
                INSERT INTO prior_links (reader, at, study_uid, finding_key, analysis_finding_id, \(PriorComparisonColumns.names.joined(separator: ", ")))
                VALUES (?,?,?,?,?,\(PriorComparisonColumns.placeholders))
                """, [.text(reader), .text(Self.now()), .text(record.studyUID), .text(record.findingKey), .optional(record.analysisFindingID)]
                    + PriorComparisonColumns.values(record.comparison))
        }
    }

    /// Every link row for a study (all readers unless `reader` is given), oldest first.
    public func priorLinks(studyUID: String, reader: String? = nil) throws -> [PriorLinkRecord] {
        try locked {
            try connection.query("""
                SELECT id, reader, at, study_uid, finding_key, analysis_finding_id, \(PriorComparisonColumns.names.joined(separator: ", "))
                FROM prior_links WHERE study_uid = ?1 AND (?2 IS NULL OR reader = ?2) ORDER BY id
                """, [.text(studyUID), .optional(reader)]).compactMap { r in
                guard let comparison = PriorComparisonColumns.read(r, from: 6) else { return nil }
                return PriorLinkRecord(id: r[0].int ?? 0, reader: r[1].string ?? "", at: r[2].string ?? "", studyUID: r[3].string ?? "",
                                       findingKey: r[4].string ?? "", analysisFindingID: r[5].string, comparison: comparison)
            }
        }
    }

    /// The link in force per finding key: the reader's newest row.
    public func effectivePriorLinks(studyUID: String, reader: String) throws -> [String: PriorLinkRecord] {
        var out: [String: PriorLinkRecord] = [:]
        for r in try priorLinks(studyUID: studyUID, reader: reader) { out[r.findingKey] = r }
        return out
    }
}
