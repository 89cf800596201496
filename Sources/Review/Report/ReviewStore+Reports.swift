/// Reports in the review store (migration 6). Saving appends a row; the newest row is in force.
/// Signing with a report writes the sign-off and the report that names it in one transaction, so a
/// sign-off never exists without the text it signed (or the text without its sign-off).
extension ReviewStore {
    /// Keeps a draft (no sign-off); returns the new row id.
    @discardableResult
    public func saveReport(_ text: ReportText, reader: String, studyUID: String) throws -> Int64 {
        try locked { try insertReport(text, reader: reader, studyUID: studyUID, signoffID: nil) }
    }

    /// Signs off a study with its report; returns the sign-off's id. See `signOff` for `undecided`.
    @discardableResult
    public func signOff(reader: String, studyUID: String, assessment: String, undecided: Int, forced: Bool,
                        report: ReportText) throws -> Int64 {
        try locked {
            try connection.transaction {
                let id = try connection.insert(
                    "INSERT INTO signoffs (reader, at, study_uid, assessment, undecided, forced) VALUES (?,?,?,?,?,?)",
                    [.text(reader), .text(Self.now()), .text(studyUID), .text(assessment), .int(Int64(undecided)), .int(forced ? 1 : 0)])
                _ = try insertReport(report, reader: reader, studyUID: studyUID, signoffID: id)
                return id
            }
        }
    }

    /// Every saved version of `reader`'s report on a study, oldest first.
    public func reports(studyUID: String, reader: String) throws -> [ReportRecord] {
        try locked {
            try connection.query("""
                SELECT id, reader, at, study_uid, findings, impression, signoff_id FROM reports
                WHERE study_uid = ?1 AND reader = ?2 ORDER BY id
                """, [.text(studyUID), .text(reader)]).map { r in
                ReportRecord(id: r[0].int ?? 0, reader: r[1].string ?? "", at: r[2].string ?? "", studyUID: r[3].string ?? "",
                             text: ReportText(findings: r[4].string ?? "", impression: r[5].string ?? ""), signoffID: r[6].int)
            }
        }
    }

    /// The report in force: the newest saved version.
    public func report(studyUID: String, reader: String) throws -> ReportRecord? {
        try reports(studyUID: studyUID, reader: reader).last
    }

    private func insertReport(_ text: ReportText, reader: String, studyUID: String, signoffID: Int64?) throws -> Int64 {
        try connection.insert("""
            INSERT INTO reports (reader, at, study_uid, findings, impression, signoff_id) VALUES (?,?,?,?,?,?)
            """, [.text(reader), .text(Self.now()), .text(studyUID), .text(text.findings), .text(text.impression),
                  signoffID.map { .int($0) } ?? .null])
    }
}
