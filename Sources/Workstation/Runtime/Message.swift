import Imaging
import Review

/// Everything that can happen to the application: input, and results of work done elsewhere.
public enum Message: Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(columns: Int, rows: Int)
    /// Timer (cine, progress animation).
    case tick
    case studiesLoaded([StudyIndex.Study])
    /// The worklist as the study index store last saw it (`StudyIndex.stored`), shown at once while
    /// the scan that checks it against the disk runs; `studiesVerified` follows.
    case studiesFromStore([StudyIndex.Study])
    /// That scan's result: every study found, and those with files read afresh (new or changed
    /// since the store saw them). See `updateVerified`.
    case studiesVerified([StudyIndex.Study], changed: Set<String>)
    /// A later scan of watched folders: every study found, old and new (see `updateArrivals`).
    case studiesRescanned([StudyIndex.Study])
    case seriesProgress(seriesUID: String, fraction: Double)
    case seriesLoaded(ImageStack)
    case aiStatus(studyUID: String, AIStatus)
    /// The studies waiting for the AI, in the order they will run (each shows "queued N"). One
    /// message for the whole line: one per study meant 20,000 messages for the UI loop every
    /// time a study finished, on a worklist of 20,000.
    case aiQueued([String])
    case aiResult(studyUID: String, AIResult?)
    case reviewLoaded(studyUID: String, ReviewSnapshot)
    case statuses([String: ReviewStatus])
    case tagsLoaded([String])
    case resume(SessionState)
    case error(String)
    /// Studies this reader has already revealed (second reader), read from the store at start.
    case revealedStudies(Set<String>)
    case discordanceQueue(Set<String>)
    case report(title: String, lines: [String])
    /// The study's Key Object Selection and presentation state files, read off the loop.
    case keyObjectsLoaded(studyUID: String, StudyKeyObjects)
    /// Shared store: who else has which study open now (study UID → readers), from `ReadingPoller`.
    case readingElsewhere([String: [String]])
    /// Results not yet in their archive (study UID → what the worklist says), from the outbox worker.
    case resultsOutbox([String: String])
    /// The terminal went away (SIGHUP: the SSH connection dropped) or the process was asked to end
    /// (SIGTERM): close the open study and quit as `Q` would (`TerminationSignals`).
    case terminate(signal: Int32)
}

/// What the store holds for one study and reader, as the viewer needs it.
public struct ReviewSnapshot: Sendable, Equatable {
    public var decisions: [String: FindingDecision]
    public var readerFindings: [ReaderFindingRecord]
    public var signoff: SignoffRecord?
    /// This reader's actions still in force, oldest first (what undo walks back through).
    public var history: [UndoEntry]
    /// Second-reader rows for the study (nil outside the screening workflows).
    public var screening: ScreeningRead?
    /// This reader's key images in force (latest view per image).
    public var keyImages: [KeyImageRecord]
    /// This reader's report in force (the newest saved version).
    public var report: ReportRecord?
    /// This reader's re-links and unlinks of prior matches in force, by finding key.
    public var priorLinks: [String: PriorLinkRecord] = [:]
    public init(decisions: [String: FindingDecision], readerFindings: [ReaderFindingRecord], signoff: SignoffRecord?,
                history: [UndoEntry] = [], screening: ScreeningRead? = nil, keyImages: [KeyImageRecord] = [], report: ReportRecord? = nil) {
        self.decisions = decisions; self.readerFindings = readerFindings; self.signoff = signoff; self.history = history
        self.screening = screening; self.keyImages = keyImages; self.report = report
    }
}
