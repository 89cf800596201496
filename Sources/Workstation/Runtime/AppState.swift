import Analysis
import DICOM
import Foundation
import Imaging
import Review
import TerminalGraphics

/// One study in the worklist, with what the AI and this reader have done with it.
public struct StudyEntry: Sendable {
    public var study: StudyIndex.Study { didSet { patientText = PatientText(study); studyDate = study.first.studyDate } }
    /// 1-based position in scan order; the de-identified label uses it ("Patient 3").
    public var ordinal: Int
    public var ai: AIStatus
    public var aiResult: AIResult? { didSet { highestRisk = Self.highestRisk(aiResult) } }
    public var review: ReviewStatus
    /// The patient as shown and as searched, worked out once per study: the worklist sorts and
    /// searches every entry on each key, and a name's parsing and sanitising is the costly part.
    private(set) var patientText: PatientText
    /// The first image's Study Date (YYYYMMDD), kept for the same reason: reading it through
    /// `study.first` copies a whole instance header.
    private(set) var studyDate: String
    /// The highest risk among findings the AI stands behind: an abstained (out-of-distribution)
    /// finding never raises priority. Kept up to date with `aiResult`.
    public private(set) var highestRisk: RiskLevel?

    public init(study: StudyIndex.Study, ordinal: Int, ai: AIStatus, aiResult: AIResult?, review: ReviewStatus) {
        self.study = study; self.ordinal = ordinal; self.ai = ai; self.aiResult = aiResult; self.review = review
        patientText = PatientText(study)
        studyDate = study.first.studyDate
        highestRisk = Self.highestRisk(aiResult)
    }

    private static func highestRisk(_ result: AIResult?) -> RiskLevel? { result?.trustedFindings.compactMap(\.risk).max() }

    public var uid: String { study.studyInstanceUID }
    /// Worklist priority: from the highest AI risk when there is one, otherwise routine.
    public var priority: String {
        switch highestRisk {
        case .critical?: return "STAT"
        case .high?: return "URGENT"
        default: return "routine"
        }
    }
}

/// A study's patient as the worklist shows it (name with its alphabetic and ideographic groups,
/// and ID; sanitised) and as search matches it (name, ID and accession, lower-cased).
struct PatientText: Sendable {
    let label: String
    /// Name, ID and accession, lowercased, as UTF-8 bytes: a search compares bytes. Foundation's
    /// `String.contains` over 20,000 entries was about 25 ms of every key typed into the search.
    let searchable: [UInt8]

    init(_ study: StudyIndex.Study) {
        let h = study.first
        label = TextSanitizer.sanitize("\(PersonName(h.patientName).displayName) [\(h.patientID)]")
        searchable = Self.searchBytes([h.patientName, h.patientID, h.accessionNumber].joined(separator: "\n"))
    }

    /// What a search compares: canonically composed (NFC, so "é" typed matches "é" stored as e +
    /// accent), lowercased, UTF-8.
    static func searchBytes(_ text: String) -> [UInt8] {
        // ASCII is already NFC, and lowercases byte by byte: Foundation's normalisation of each
        // of 20,000 patients was most of a worklist's first paint.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        }
        return Array(text.precomposedStringWithCanonicalMapping.lowercased().utf8)
    }

    /// Whether `needle` (lowercased UTF-8) occurs in `searchable`. UTF-8 is self-synchronising, so
    /// a byte match of a whole encoded needle is a match of its characters.
    func contains(_ needle: [UInt8]) -> Bool { Self.bytes(searchable, contain: needle) }

    /// Whether `needle` occurs in `haystack`, byte for byte.
    static func bytes(_ haystack: [UInt8], contain needle: [UInt8]) -> Bool {
        let n = needle.count, h = haystack.count
        guard n > 0 else { return true }
        guard n <= h else { return false }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                let first = pin[0]
                var i = 0
                while i <= h - n {
                    if hay[i] == first {
                        var k = 1
                        while k < n && hay[i + k] == pin[k] { k += 1 }
                        if k == n { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

public enum WorklistSort: String, CaseIterable, Sendable { case priority, date, patient }
public enum WorklistFilter: String, CaseIterable, Sendable {
    case all, unread, inProgress = "in progress", signed
    /// Studies in the discordance queue (reader and AI disagreed; no arbitration yet).
    case discordant
}

/// What is on screen above the main view.
public enum Modal: Sendable {
    case help
    case tags(lines: [String], scroll: Int)
    case prompt(Prompt)
    /// A page of text: screening statistics, a teaching session's summary.
    case report(title: String, lines: [String])
    /// The report editor (`d`).
    case reportEditor(ReportEditor)
}

/// The whole application state. Owned by one loop; changed only by `update`.
public struct AppState: Sendable {
    public enum Mode: Sendable { case worklist, viewer }

    public var columns: Int
    public var rows: Int
    public var reader: String
    public var deidentify: Bool { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }
    /// Shared review store: studies other readers have open now (study UID → their names).
    public var readingElsewhere: [String: [String]] = [:]
    /// Signed studies whose SR/SEG have not reached their archive yet (study UID → status).
    public var resultsPending: [String: String] = [:]
    public var entries: [StudyEntry] = [] { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }
    /// UID → position in `entries`, set where entries are added (scan, arrivals). `entryIndex`
    /// checks it before trusting it: every AI status message looks its study up on the UI loop,
    /// and a linear search per message is quadratic over a large worklist.
    var entryPositions: [String: Int] = [:]
    public var worklistSelection = 0
    /// The ordinal for an entry added now: after the highest, not the count, since a worklist
    /// checked against the disk may have lost entries (ordinals name de-identified patients).
    var nextOrdinal: Int { (entries.lazy.map(\.ordinal).max() ?? 0) + 1 }
    /// The worklist came from the study index store and the scan checking it against the disk
    /// has not finished (`Message.studiesFromStore`): the status line says so.
    public var worklistUnverified = false
    public var sort: WorklistSort = .priority { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }
    public var filter: WorklistFilter = .all { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }
    public var search = "" { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }
    public var mode: Mode = .worklist
    public var viewer: ViewerState?
    /// Loaded series by Series Instance UID.
    public var stacks: [String: ImageStack] = [:]
    /// Series being loaded, with their progress.
    public var loading: [String: Double] = [:]
    public var modal: Modal?
    public var message = ""
    public var theme: Theme = .dark
    public var themeNames: [String] = ["dark"]
    public var keyMap: KeyMap = .standard
    public var graphics: GraphicsProtocol = .blocks
    public var quit = false
    /// Where the store said this reader was; applied once the studies are known.
    public var pendingResume: SessionState?
    public var workflow: Workflow = .standard { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }
    /// Studies whose AI this reader has revealed (second-reader mode).
    public var revealed: Set<String> = [] { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }
    /// Studies waiting for arbitration (from the store).
    public var discordanceQueue: Set<String> = [] { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }
    /// Set for `lightbox teach`.
    public var teaching: TeachingSession? { didSet { orderInputs = VisibleOrderMemo.nextVersion() } }

    /// Version of what `visibleOrder` depends on (the properties whose `didSet` renews it).
    private var orderInputs = VisibleOrderMemo.nextVersion()
    private let orderMemo = VisibleOrderMemo()

    public init(columns: Int, rows: Int, reader: String, deidentify: Bool = false) {
        self.columns = columns; self.rows = rows; self.reader = reader; self.deidentify = deidentify
    }

    /// Worklist rows after filter, search and sort.
    public var visibleEntries: [StudyEntry] { visibleOrder.map { entries[$0] } }

    /// Positions in `entries` of the studies the filter and search let through, in the order of
    /// `sort`. Positions rather than entries: a study entry is a large value, and moving 20,000 of
    /// them through a sort was most of a key press's time. Each entry's sort key is worked out once
    /// (decorate, sort, undecorate), never inside a comparison.
    public var visibleOrder: [Int] {
        orderMemo.order(version: orderInputs) { makeVisibleOrder() }
    }

    private func makeVisibleOrder() -> [Int] {
        let needle = PatientText.searchBytes(search)
        // Through the buffer: `entries[i]` would copy a whole entry (a study's headers) per test.
        return entries.withUnsafeBufferPointer { entries in
            let shown = entries.indices.filter { i in
                switch filter {
                case .all: break
                case .unread: if entries[i].review != .unread { return false }
                case .inProgress: if entries[i].review != .inProgress { return false }
                case .signed: if entries[i].review != .signed { return false }
                case .discordant: if !discordanceQueue.contains(entries[i].uid) { return false }
                }
                guard !needle.isEmpty else { return true }
                if deidentify { return PatientText.bytes(PatientText.searchBytes(patientLabel(entries[i])), contain: needle) }
                return entries[i].patientText.contains(needle)
            }
            switch sort {
            case .priority:
                // Unread first, then highest AI risk, then newest. A blinded read must not learn the
                // AI's opinion from the order of the list.
                return shown.map { i in
                    (i, entries[i].review, isBlinded(entries[i].uid) ? -1 : entries[i].highestRisk.flatMap { RiskLevel.allCases.firstIndex(of: $0) } ?? -1,
                     entries[i].studyDate, entries[i].ordinal)
                }.sorted { a, b in
                    if a.1 != b.1 { return a.1 < b.1 }
                    if a.2 != b.2 { return a.2 > b.2 }
                    return (a.3, a.4) > (b.3, b.4)
                }.map(\.0)
            case .date:
                return shown.map { (i: $0, date: entries[$0].studyDate, ordinal: entries[$0].ordinal) }
                    .sorted { ($0.date, $0.ordinal) > ($1.date, $1.ordinal) }.map(\.i)
            case .patient:
                return shown.map { (i: $0, label: patientLabel(entries[$0]), ordinal: entries[$0].ordinal) }
                    .sorted { ($0.label, $0.ordinal) < ($1.label, $1.ordinal) }.map(\.i)
            }
        }
    }

    /// Patient shown for an entry: name (alphabetic and ideographic groups, so kanji show) and ID,
    /// or "Patient N" when de-identifying. Sanitised.
    public func patientLabel(_ e: StudyEntry) -> String {
        deidentify ? "Patient \(e.ordinal)" : e.patientText.label
    }

    /// A study or series description for the screen: sanitised, or "" when de-identifying
    /// (free text such as "CT CHEST — J. Smith follow-up" can identify a patient).
    public func shownDescription(_ text: String) -> String {
        deidentify ? "" : TextSanitizer.sanitize(text)
    }

    public func entry(uid: String) -> StudyEntry? { entryIndex(uid: uid).map { entries[$0] } }
    func entryIndex(uid: String) -> Int? {
        if let i = entryPositions[uid], entries.indices.contains(i), entries[i].uid == uid { return i }
        return entries.firstIndex { $0.uid == uid }
    }
}
