import DICOM
import Foundation
import Synchronization
import Imaging
import LightboxConfig
import Review
import TerminalGraphics

/// The loop that owns `AppState`: reads input, applies `update`, runs effects, draws `view`.
///
/// Store writes happen on this thread as each effect is run, so a decision is committed before
/// the next key is read. Series loading and AI run on worker queues and post messages into an
/// inbox the loop drains between keys (it polls input with a short timeout).
public final class Runtime {
    let options: WorkstationOptions
    let store: ReviewStore
    var state: AppState
    let inbox = Inbox()
    let loadQueue = DispatchQueue(label: "lightbox.load", qos: .userInitiated)
    lazy var analysisQueue: AnalysisQueue = {
        let inbox = self.inbox
        return AnalysisQueue(source: options.findingsSource) { inbox.post($0) }
    }()
    var studies: [String: StudyIndex.Series] = [:]
    /// Folder watching (`--watch`): see Runtime+Watch.swift.
    var watch = FolderWatch()
    /// Results back to the archive on sign-off: see Runtime+Results.swift.
    var resultsWorker: ResultsOutboxWorker?
    let resultsQueue = DispatchQueue(label: "lightbox.results", qos: .utility)

    public init(options: WorkstationOptions) throws {
        self.options = options
        store = try ReviewStore.open(options.databasePath)
        state = AppState(columns: 80, rows: 24, reader: options.reader, deidentify: options.deidentify)
        state.workflow = options.workflow
        state.teaching = options.teaching
        if options.workflow == .arbitration { state.filter = .discordant }
        state.themeNames = Self.themeNames(options.themesDirectory)
        if let path = options.configPath, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            do {
                let settings = try WorkstationSettings.parse(text)
                let (map, problems) = KeyMap.standard.applying(settings.keyBindings)
                state.keyMap = map
                if !problems.isEmpty { state.message = "config.toml: " + problems.joined(separator: "; ") }
                if let theme = settings.theme { loadTheme(theme) }
            } catch {
                state.message = "\(error)"   // "config.toml line N: …"
            }
        }
        if let t = options.themeName { loadTheme(t) }
    }

    static func themeNames(_ dir: String?) -> [String] {
        guard let dir, let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return ["dark"] }
        let names = files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
        return names.isEmpty ? ["dark"] : names
    }

    func loadTheme(_ name: String) {
        guard let dir = options.themesDirectory else { return }
        do { state.theme = try Theme.load(named: name, from: dir); state.message = "Theme: \(name)" }
        catch { state.message = "Theme \(name): \(error)" }
    }

    /// Runs until the reader quits. Takes over the terminal.
    public func run() throws {
        // Environment, then the terminal's answers to the capability queries (before ncurses
        // takes the input), then --protocol / LIGHTBOX_GRAPHICS.
        let env = ProcessInfo.processInfo.environment
        let caps = TerminalCapabilities.detect(environment: env, input: 0, output: 1,
                                               protocolFlag: options.graphics ?? env["LIGHTBOX_GRAPHICS"])
        state.graphics = caps.graphicsProtocol
        // Anything a library writes to stderr would land in the middle of the screen: send it to
        // a log beside the database while the terminal is ours.
        StandardErrorLog.begin(databasePath: options.databasePath)
        defer { StandardErrorLog.end() }
        let backend = NcursesBackend(capabilities: caps, theme: state.theme)
        defer { backend.shutdown() }
        (state.columns, state.rows) = backend.size
        try? store.audit(reader: options.reader, action: "start", detail: "db \(store.path)")
        if let t = options.teaching {
            try store.startTeachingSession(TeachingSessionRecord(key: t.key, trainee: options.reader, mode: t.mode.rawValue,
                                                                 order: options.teachingOrder, seed: options.teachingSeed, cases: t.cases.count))
        }
        startScan()
        // On a shared store the worklist also follows other workstations (statuses, queue, reveals);
        // a teaching session keeps its own statuses.
        let poller = ReadingPoller(store: store, inbox: inbox,
                                   worklist: options.teaching == nil ? .init(reader: options.reader, workflow: options.workflow) : nil)
        poller.start()
        defer { poller.stop() }
        startResultsWorker()
        defer { resultsWorker?.stop() }
        let inbox = self.inbox
        let signals = TerminationSignals { inbox.post($0) }
        defer { signals.cancel() }
        var dirty = true
        var lastTick = Date()
        while !state.quit {
            if dirty {
                let screen = view(state)
                backend.draw(screen, theme: state.theme)
                if let dump = ScreenDump.path { ScreenDump.write(screen, cell: (caps.cellWidth, caps.cellHeight), to: dump) }
                dirty = false
                if checkAfterDraw {
                    checkAfterDraw = false
                    checkStoredWorklist()
                }
            }
            let busy = state.viewer?.display.cine == true || !state.loading.isEmpty
            if let message = backend.readInput(timeoutMS: busy ? 15 : 40) {
                if case .resize = message { backend.invalidate() }
                dispatch(message)
                dirty = true
            }
            for m in inbox.drain() { dispatch(m); dirty = true }
            rescanIfDue()
            if state.viewer?.display.cine == true, Date().timeIntervalSince(lastTick) > 0.1 {
                lastTick = Date()
                dispatch(.tick)
                dirty = true
            }
        }
        try? store.audit(reader: options.reader, action: "quit")
    }

    /// Applies one message and runs its effects (which may dispatch further messages).
    func dispatch(_ message: Message) {
        let effects = update(&state, message)
        switch message {
        case .studiesLoaded, .studiesFromStore:
            if pendingAfterScan {
                pendingAfterScan = false
                afterScan()
            }
            if case .studiesFromStore = message { checkAfterDraw = true }
        case .studiesVerified:
            // The series the check found, for loading (`afterScan` remembered the store's).
            for s in state.entries.flatMap(\.study.series) { studies[s.seriesInstanceUID] = s }
            // Studies the store did not know may have review statuses (read at another workstation).
            if options.teaching == nil, let map = try? store.statuses(reader: options.reader) { dispatch(.statuses(map)) }
            startAI()
        default: break
        }
        if case .studiesRescanned(let found) = message { afterRescan(found) }
        if case .discordanceQueue = message { analyseNewlyVisible() }
        for e in effects { perform(e) }
    }

    func perform(_ effect: Effect) {
        let reader = options.reader
        do {
            switch effect {
            case .loadSeries(let uid):
                guard let series = studies[uid] else { return }
                dispatch(.seriesProgress(seriesUID: uid, fraction: 0))
                let inbox = self.inbox
                loadQueue.async {
                    let stack = ImageStack.load(series) { inbox.post(.seriesProgress(seriesUID: uid, fraction: $0)) }
                    inbox.post(.seriesLoaded(stack))
                }
            case .loadReview(let uid):
                analysisQueue.bump(uid)
                dispatch(.reviewLoaded(studyUID: uid, try snapshot(uid)))
            case .recordDecision(let uid, let finding, let decision, let reason, let correction):
                try store.recordDecision(reader: reader, studyUID: uid, finding: finding, decision: decision, reason: reason, correction: correction)
                dispatch(.reviewLoaded(studyUID: uid, try snapshot(uid)))
            case .recordPriorLink(let record):
                try store.recordPriorLink(record, reader: reader)
                dispatch(.reviewLoaded(studyUID: record.studyUID, try snapshot(record.studyUID)))
            case .undoDecision(let uid, let id):
                if id > 0 { try store.undoDecision(id: id, reader: reader) }
                dispatch(.reviewLoaded(studyUID: uid, try snapshot(uid)))
            case .addReaderFinding(let record):
                if let t = state.teaching { try store.addTeachingMark(session: t.key, record) }
                else { try store.addReaderFinding(record, reader: reader) }
                dispatch(.reviewLoaded(studyUID: record.studyUID, try snapshot(record.studyUID)))
            case .removeReaderFinding(let uid, let key):
                if let t = state.teaching { try store.removeTeachingMark(session: t.key, key: key) }
                else { try store.removeReaderFinding(key: key) }
                dispatch(.reviewLoaded(studyUID: uid, try snapshot(uid)))
            case .signOff(let uid, let assessment, let undecided, let forced, let report):
                if let report {
                    try store.signOff(reader: reader, studyUID: uid, assessment: assessment, undecided: undecided, forced: forced, report: report)
                } else {
                    try store.signOff(reader: reader, studyUID: uid, assessment: assessment, undecided: undecided, forced: forced)
                }
                dispatch(.reviewLoaded(studyUID: uid, try snapshot(uid)))
                queueResults(studyUID: uid)
            case .saveReport(let uid, let text):
                try store.saveReport(text, reader: reader, studyUID: uid)
                dispatch(.reviewLoaded(studyUID: uid, try snapshot(uid)))
            case .addKeyImage(let record):
                // One INSERT committed on the loop, like a decision.
                try store.addKeyImage(record)
                dispatch(.reviewLoaded(studyUID: record.studyUID, try snapshot(record.studyUID)))
            case .removeKeyImage(let uid, let sop, let frame):
                try store.removeKeyImage(reader: reader, studyUID: uid, sopUID: sop, frame: frame)
                dispatch(.reviewLoaded(studyUID: uid, try snapshot(uid)))
            case .loadKeyObjects(let uid):
                // Reading DICOM files (perhaps on a network mount): off the UI loop.
                guard let study = state.entry(uid: uid)?.study else { return }
                let inbox = self.inbox
                loadQueue.async { inbox.post(.keyObjectsLoaded(studyUID: uid, StudyKeyObjects.read(study))) }
            case .audit(let action, let uid, let detail):
                try store.audit(reader: reader, action: action, studyUID: uid, detail: detail)
                // Opening and closing a study claim and release it on a shared store (ReviewStore+Reading).
                if action == "open", !uid.isEmpty {
                    let claim = try store.beginReading(studyUID: uid, reader: reader)
                    if !claim.otherReaders.isEmpty { state.message = "Also reading this study: " + claim.otherReaders.joined(separator: ", ") }
                } else if action == "close", !uid.isEmpty {
                    try store.endReading(studyUID: uid)
                }
            case .saveSession(let s):
                try store.saveSession(reader: reader, s)
            case .loadTags(let path):
                // A header can be large (a multi-frame file's functional groups, a network mount):
                // read and dump it off the UI loop; the lines come back through the inbox.
                let inbox = self.inbox
                loadQueue.async {
                    do {
                        let file = try DICOMFile.read(URL(fileURLWithPath: path), options: .init(stopBeforePixelData: true, lenient: true))
                        inbox.post(.tagsLoaded(DataSetDump.lines(file)))
                    } catch {
                        inbox.post(.error("\(error)"))
                    }
                }
            case .setTheme(let name):
                loadTheme(name)
            case .screeningEvent(let e):
                try store.recordScreeningEvent(e)
            case .reveal(let uid, let items):
                try store.recordReveal(reader: reader, studyUID: uid, discordances: items)
                dispatch(.reviewLoaded(studyUID: uid, try snapshot(uid)))
            case .loadStats:
                // Reads every screening row: off the UI loop, the answer comes back through the inbox.
                let store = self.store, inbox = self.inbox
                DispatchQueue.global(qos: .userInitiated).async {
                    do {
                        inbox.post(.report(title: "Screening statistics", lines: try store.screeningStats(reader: reader).lines
                            + ["", "Discordance queue: \(try store.discordanceQueue().count) study(ies) waiting for arbitration"]))
                    } catch {
                        inbox.post(.error("\(error)"))
                    }
                }
            case .teachingResult(let r):
                try store.recordTeachingResult(r)
            case .quit:
                state.quit = true
            }
        } catch {
            dispatch(.error("\(error)"))
        }
    }

    /// The store's view of one study for this reader.
    func snapshot(_ uid: String) throws -> ReviewSnapshot {
        if let t = state.teaching {
            // A teaching session sees only its own marks: a new session starts from a clean case.
            let marks = try store.teachingMarks(session: t.key, studyUID: uid)
            return ReviewSnapshot(decisions: [:], readerFindings: marks, signoff: nil, history: marks.map { .readerFinding(key: $0.key) })
        }
        let effective = try store.effectiveDecisions(studyUID: uid, reader: options.reader)
        let rows = try store.decisions(studyUID: uid, reader: options.reader)
        let undone = Set(rows.compactMap(\.undoes))
        let marks = try store.readerFindings(studyUID: uid, reader: options.reader)
        // Undo history: decisions not undone and marks not removed, by time (ISO 8601 sorts as text).
        var timeline: [(String, UndoEntry)] = rows.filter { $0.decision != "undo" && !undone.contains($0.id) }
            .map { ($0.at, .decision(findingKey: $0.findingKey, recordID: $0.id)) }
        timeline += marks.map { ($0.at, .readerFinding(key: $0.key)) }
        var snapshot = ReviewSnapshot(
            decisions: effective.mapValues { FindingDecision(kind: DecisionKind(rawValue: $0.decision) ?? .accept, reason: $0.reason,
                                                             correction: $0.correction, recordID: $0.id) },
            readerFindings: marks,
            signoff: try store.signoffs(studyUID: uid, reader: options.reader).last,
            history: timeline.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1),
            screening: options.workflow == .standard ? nil
                : ScreeningRead(events: try store.screeningEvents(studyUID: uid), discordances: try store.discordances(studyUID: uid),
                                reader: options.reader, arbitrating: options.workflow == .arbitration),
            keyImages: try store.keyImages(studyUID: uid, reader: options.reader),
            report: try store.report(studyUID: uid, reader: options.reader))
        snapshot.priorLinks = try store.effectivePriorLinks(studyUID: uid, reader: options.reader)
        return snapshot
    }

    /// Scans the paths, then resumes the session and queues AI, highest priority first.
    func startScan() {
        let paths = options.paths, teaching = options.teaching != nil
        let inbox = self.inbox
        state.loading["scan"] = 0
        loadQueue.async {
            // Paged: the worklist needs one header per series; a series' others are read from the
            // store the first time something asks for them (one indexed query per series).
            let store = StudyIndexStore.standard()
            // What the store last saw goes on the screen first: on a large archive the scan's
            // listing and stat'ing of every file takes several times as long as reading the store.
            // Not for a teaching session: its cases are matched with the worklist once, at the start.
            if !teaching, let shown = StudyIndex.stored(paths, store: store) {
                // The scan that checks it starts once this is on the screen (`checkStoredWorklist`).
                inbox.post(.studiesFromStore(shown.studies))
            } else {
                inbox.post(.studiesLoaded(StudyIndex.scan(paths, cache: store, paging: true).studies))
            }
        }
        // Everything after the scan happens when its message arrives.
        pendingAfterScan = true
    }

    var pendingAfterScan = false
    /// The worklist from the store is on the screen: start the scan that checks it. Not before
    /// the first paint: the scan's walk takes both cores, and the UI loop's first paint of a large
    /// worklist waited behind it.
    var checkAfterDraw = false

    /// Scans the paths as `startScan` would have, to check a worklist shown from the store.
    func checkStoredWorklist() {
        let paths = options.paths, inbox = self.inbox
        // Its own queue: on `loadQueue` a study opened during the check waited for the whole scan.
        DispatchQueue(label: "lightbox.check", qos: .utility).async {
            let index = StudyIndex.scan(paths, cache: StudyIndexStore.standard(), paging: true)
            inbox.post(.studiesVerified(index.studies, changed: index.changedStudies))
        }
    }
    /// Studies whose AI was queued since the scan (the scan queues only what the worklist shows).
    var aiRequested: Set<String> = []
    /// Set at the end of `afterScan`, which queues the first AI itself.
    var scanSettled = false

    /// The arbitration queue grew at another workstation (ReadingPoller): a study that was
    /// filtered out at the scan, so never analysed, comes into view; queue its AI now, so the
    /// arbitrator sees the findings the first reader was shown.
    func analyseNewlyVisible() {
        guard scanSettled else { return }
        let jobs = state.visibleEntries.enumerated().compactMap { k, entry -> AnalysisQueue.Job? in
            guard !aiRequested.contains(entry.uid) else { return nil }
            return AnalysisQueue.Job(study: entry.study, priority: AnalysisPriority(study: entry.study, review: entry.review, order: k))
        }
        guard !jobs.isEmpty else { return }
        aiRequested.formUnion(jobs.map(\.uid))
        analysisQueue.enqueue(jobs)
    }

    /// Called from `dispatch` hooks: after the studies arrive, restore statuses and session, and
    /// start AI, unless the studies came from the store and are still being checked (then
    /// `studiesVerified` starts it).
    func afterScan() {
        state.loading["scan"] = nil
        for s in state.entries.flatMap(\.study.series) { studies[s.seriesInstanceUID] = s }
        if options.teaching == nil {
            if let map = try? store.statuses(reader: options.reader) { dispatch(.statuses(map)) }
            if options.workflow == .secondReader, let events = try? store.screeningEvents(reader: options.reader) {
                dispatch(.revealedStudies(Set(events.filter { $0.kind == .reveal }.map(\.studyUID))))
            }
            if options.workflow == .arbitration, let queue = try? store.discordanceQueue() {
                dispatch(.discordanceQueue(Set(queue.map(\.studyUID))))
            }
            if let session = try? store.session(reader: options.reader) { dispatch(.resume(session)) }
        }
        if !state.worklistUnverified { startAI() }
    }

    /// Queues every visible study's AI, most urgent first, once the worklist holds what is on disk.
    func startAI() {
        // AI in the background, most urgent first (see AnalysisPriority); opening a study bumps it.
        let priors = PriorFinder(state.entries)
        let jobs = state.visibleEntries.enumerated().map { k, entry in
            AnalysisQueue.Job(study: entry.study, priority: AnalysisPriority(study: entry.study, review: entry.review, order: k),
                              prior: priors.prior(for: entry)?.study)
        }
        aiRequested.formUnion(jobs.map(\.uid))
        analysisQueue.enqueue(jobs)
        scanSettled = true
        for entry in state.entries {
            watch.analysedCounts[entry.uid] = entry.study.instanceCount
            watch.lastSeenCounts[entry.uid] = entry.study.instanceCount
        }
    }
}

/// Messages from worker threads to the loop.
final class Inbox: Sendable {
    private let messages = Mutex<[Message]>([])
    func post(_ m: Message) { messages.withLock { $0.append(m) } }
    func drain() -> [Message] { messages.withLock { m in defer { m = [] }; return m } }
}
