import Review

/// The open study's report: what the store holds (the newest saved version) and what the reader
/// has in the editor, kept when they close it.
public struct ReaderReport: Sendable, Equatable {
    /// The report in force in the store (nil: never saved).
    public var saved: ReportRecord?
    /// The text the reader kept from the editor this session (nil: not opened yet).
    public var text: ReportText?

    public init() {}

    /// The text a sign-off signs: the reader's, else the saved one; nil when there is no report.
    public var current: ReportText? { text ?? saved?.text }

    /// The panel's line.
    var status: String {
        guard let current, !current.isEmpty else { return "Report: none — d drafts it" }
        if let saved, saved.isSigned, saved.text == current { return "Report: signed with the sign-off (d shows)" }
        return "Report: draft kept — S signs it with the study"
    }
}
