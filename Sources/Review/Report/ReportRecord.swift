/// One saved report, as the `reports` table holds it. Append-only: each save is a new row and the
/// newest row of a reader for a study is the report in force; a row saved with a sign-off names it.
public struct ReportRecord: Sendable, Equatable {
    public var id: Int64
    public var reader: String
    /// When it was saved (ISO 8601, UTC).
    public var at: String
    public var studyUID: String
    public var text: ReportText
    /// The sign-off this text was signed with; nil for a draft the reader kept without signing.
    public var signoffID: Int64?

    public init(id: Int64 = 0, reader: String, at: String = "", studyUID: String, text: ReportText, signoffID: Int64? = nil) {
        self.id = id; self.reader = reader; self.at = at; self.studyUID = studyUID; self.text = text; self.signoffID = signoffID
    }

    public var isSigned: Bool { signoffID != nil }
}
