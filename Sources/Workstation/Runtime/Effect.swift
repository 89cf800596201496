import Imaging
import Review

/// Work `update` asks the runtime to do. Store writes run at once on the loop (each commits
/// before the next key is read); loads run on worker threads and answer with messages.
public enum Effect: Sendable, Equatable {
    case loadSeries(seriesUID: String)
    case loadReview(studyUID: String)
    case recordDecision(studyUID: String, finding: ReviewFinding, decision: DecisionKind, reason: String?, correction: Correction)
    case undoDecision(studyUID: String, recordID: Int64)
    /// The reader re-linked a finding to a prior nodule, or unlinked it (append-only, like a decision).
    case recordPriorLink(PriorLinkRecord)
    case addReaderFinding(ReaderFindingRecord)
    case removeReaderFinding(studyUID: String, key: String)
    /// Signs the study; with `report`, the text is saved with the sign-off in one transaction.
    case signOff(studyUID: String, assessment: String, undecided: Int, forced: Bool, report: ReportText? = nil)
    /// Keeps a report draft (a new row; the newest is in force).
    case saveReport(studyUID: String, ReportText)
    /// Key images: a mark with its view, an unmark (an appended removal row), and reading the
    /// study's KOS / GSPS files (off the loop; answered by `Message.keyObjectsLoaded`).
    case addKeyImage(KeyImageRecord)
    case removeKeyImage(studyUID: String, sopUID: String, frame: Int?)
    case loadKeyObjects(studyUID: String)
    case audit(action: String, studyUID: String, detail: String)
    case saveSession(SessionState)
    case loadTags(path: String)
    case setTheme(name: String)
    case screeningEvent(ScreeningEvent)
    /// The AI was revealed: the event and its discordance items, in one transaction.
    case reveal(studyUID: String, discordances: [DiscordanceRecord])
    case loadStats
    case teachingResult(TeachingResultRecord)
    case quit
}
