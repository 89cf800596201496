import Foundation
import Imaging
import Review
import TerminalGraphics

/// The one place state changes: `update(&state, message)` returns the effects to run.
/// Pure apart from generating keys for new reader findings; the runtime and tests both drive it.
public func update(_ state: inout AppState, _ message: Message) -> [Effect] {
    let effects = updateMessage(&state, message)
    // Whatever brought the reader to a key image (a key, a click, the study opening), its saved view applies once.
    applyKeyImageView(&state)
    return effects
}

func updateMessage(_ state: inout AppState, _ message: Message) -> [Effect] {
    switch message {
    case .key(let key):
        if state.modal != nil { return updateModal(&state, key) }
        let context: KeyMap.Context = state.mode == .worklist ? .worklist : .viewer
        guard let action = state.keyMap.action(for: key, in: context) else {
            state.message = "\(key.label): not bound (? for keys)"
            return []
        }
        state.message = ""
        return perform(&state, action)
    case .mouse(let event):
        return state.mode == .viewer ? updateViewerMouse(&state, event) : updateWorklistMouse(&state, event)
    case .resize(let c, let r):
        state.columns = max(1, c); state.rows = max(1, r)
        return []
    case .tick:
        if state.mode == .viewer, state.viewer?.display.cine == true, let n = state.currentStack?.frames.count, n > 0 {
            setSlice(&state, (state.currentSlice + 1) % n)
        }
        return []
    case .studiesFromStore(let studies):
        state.worklistUnverified = true
        return update(&state, .studiesLoaded(studies))
    case .studiesVerified(let studies, let changed):
        return updateVerified(&state, studies, changed: changed)
    case .studiesLoaded(let studies):
        state.entries = studies.enumerated().map { k, s in
            StudyEntry(study: s, ordinal: k + 1, ai: .notRun(reason: "no models installed"), aiResult: nil, review: .unread)
        }
        state.entryPositions = Dictionary(state.entries.enumerated().map { ($1.uid, $0) }, uniquingKeysWith: { a, _ in a })
        state.worklistSelection = 0
        if state.teaching != nil { return startTeaching(&state) }
        if let resume = state.pendingResume { state.pendingResume = nil; return applyResume(&state, resume) }
        return []
    case .studiesRescanned(let studies):
        return updateArrivals(&state, studies)
    case .seriesProgress(let uid, let f):
        state.loading[uid] = f
        return []
    case .seriesLoaded(let stack):
        state.loading[stack.seriesUID] = nil
        state.stacks[stack.seriesUID] = stack
        // A series of several stacks (a DWI's b-values) opened at `instanceCount / 2`, the middle
        // of all its files, which is past the chosen stack's end: start at that stack's middle.
        if stack.stackLabels.count > 1, let e = state.currentEntry, let v = state.viewer, !v.display.hanging,
           let series = e.study.series.first(where: { $0.seriesInstanceUID == stack.seriesUID }),
           v.display.slices[stack.seriesUID] == series.instanceCount / 2 {
            state.viewer?.display.slices[stack.seriesUID] = stack.frames.count / 2
        }
        if var display = state.viewer?.display, display.mrHanging, let e = state.currentEntry {
            MRHanging.assign(&display, study: e.study, stacks: state.stacks)
            state.viewer?.display = display
            syncLinkedSlices(&state)
        }
        // The prior beside a follow-up starts at the anatomy of the current slice.
        if state.viewer?.display.showsPriorBeside == true { syncLinkedSlices(&state) }
        if !stack.failures.isEmpty { state.message = "\(stack.failures.count) image(s) unreadable: \(stack.failures[0])" }
        return []
    case .aiStatus(let uid, let status):
        if let i = state.entryIndex(uid: uid) { state.entries[i].ai = status }
        return []
    case .aiQueued(let uids):
        for (n, uid) in uids.enumerated() {
            if let i = state.entryIndex(uid: uid) { state.entries[i].ai = .queued(position: n + 1) }
        }
        return []
    case .aiResult(let uid, let result):
        if let i = state.entryIndex(uid: uid) {
            state.entries[i].aiResult = result
            // A registration just arrived for the open follow-up: the prior follows it from now on.
            if state.viewer?.studyUID == uid, state.viewer?.display.showsPriorBeside == true { syncLinkedSlices(&state) }
            if let r = result {
                // What the AI stands behind; an abstained run's findings are withheld, not counted.
                let shown = r.trustedFindings
                state.entries[i].ai = .done(count: shown.count, highest: shown.compactMap(\.risk).max(),
                                            withheld: r.abstained ? r.findings.count - shown.count : 0)
            }
        }
        return []
    case .reviewLoaded(let uid, let snapshot):
        if state.viewer?.studyUID == uid {
            state.viewer?.review.load(snapshot)
            state.viewer?.screening = snapshot.screening
            state.viewer?.keyImages.stored = snapshot.keyImages
            state.viewer?.report.saved = snapshot.report
            if state.viewer?.keyImages.loaded == false {
                // The first answer for this opening may bring the shown image's saved view.
                state.viewer?.keyImages.loaded = true
                state.viewer?.keyImages.presentedImage = nil
            }
            if snapshot.screening?.revealed == true, state.workflow == .secondReader { state.revealed.insert(uid) }
        }
        if let i = state.entryIndex(uid: uid) {
            state.entries[i].review = snapshot.signoff != nil ? .signed
                : (snapshot.decisions.isEmpty && snapshot.readerFindings.isEmpty ? state.entries[i].review : .inProgress)
        }
        return []
    case .statuses(let map):
        for i in state.entries.indices { state.entries[i].review = map[state.entries[i].uid] ?? .unread }
        return []
    case .tagsLoaded(let lines):
        state.modal = .tags(lines: lines.map { state.deidentify ? deidentifiedTagLine($0) : TextSanitizer.sanitize($0) }, scroll: 0)
        return []
    case .resume(let session):
        if state.entries.isEmpty { state.pendingResume = session; return [] }
        return applyResume(&state, session)
    case .error(let text):
        state.message = TextSanitizer.sanitize(text)
        return []
    case .revealedStudies(let uids):
        state.revealed.formUnion(uids)
        return []
    case .discordanceQueue(let uids):
        state.discordanceQueue = uids
        return []
    case .report(let title, let lines):
        state.modal = .report(title: title, lines: lines.map(TextSanitizer.sanitize))
        return []
    case .readingElsewhere(let readers):
        state.readingElsewhere = readers
        return []
    case .resultsOutbox(let pending):
        state.resultsPending = pending
        return []
    case .terminate(let signal):
        var effects: [Effect] = []
        if let v = state.viewer, state.mode == .viewer { effects.append(.audit(action: "close", studyUID: v.studyUID, detail: "")) }
        state.quit = true
        return effects + [.audit(action: signal == SIGHUP ? "hangup" : "terminated", studyUID: "", detail: "")]
    case .keyObjectsLoaded(let uid, let documents):
        guard state.viewer?.studyUID == uid else { return [] }
        state.viewer?.keyImages.documents = documents
        state.viewer?.keyImages.presentedImage = nil
        if documents.unreadable > 0 { state.message = "\(documents.unreadable) key object / presentation state file(s) unreadable" }
        return []
    }
}

/// Runs a key's action on the current screen.
func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .help: state.modal = .help; return []
    case .quit:
        var effects: [Effect] = []
        if let v = state.viewer, state.mode == .viewer { effects.append(.audit(action: "close", studyUID: v.studyUID, detail: "")) }
        state.quit = true
        return effects + [.quit]
    case .cycleTheme:
        guard !state.themeNames.isEmpty else { return [] }
        let i = ((state.themeNames.firstIndex(of: state.theme.name) ?? -1) + 1) % state.themeNames.count
        return [.setTheme(name: state.themeNames[i])]
    case .stats:
        guard state.workflow != .standard else { state.message = "Statistics are for second-reader screening (--second-reader)"; return [] }
        return [.loadStats]
    default:
        return state.mode == .worklist ? performWorklist(&state, action) : performViewer(&state, action)
    }
}

func performWorklist(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .up: state.worklistSelection = max(0, state.worklistSelection - 1)
    case .down: state.worklistSelection = min(max(0, state.visibleOrder.count - 1), state.worklistSelection + 1)
    case .open:
        let visible = state.visibleOrder
        guard !visible.isEmpty else { state.message = "No study selected"; return [] }
        return openStudy(&state, state.entries[visible[min(state.worklistSelection, visible.count - 1)]].uid)
    case .search:
        state.modal = .prompt(Prompt(purpose: .search, title: "Search name or ID", text: state.search))
    case .cycleSort:
        let all = WorklistSort.allCases
        state.sort = all[((all.firstIndex(of: state.sort) ?? 0) + 1) % all.count]
        state.message = "Sorted by \(state.sort.rawValue)"
    case .cycleFilter:
        // The discordance queue is a filter only where screening reads happen.
        let all = WorklistFilter.allCases.filter { $0 != .discordant || state.workflow != .standard }
        state.filter = all[((all.firstIndex(of: state.filter) ?? 0) + 1) % all.count]
        state.worklistSelection = 0
        state.message = "Showing \(state.filter.rawValue)"
    case .back:
        if !state.search.isEmpty { state.search = ""; state.message = "Search cleared" }
    default: break
    }
    return []
}

func updateWorklistMouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
    switch event.kind {
    case .wheelUp: return performWorklist(&state, .up)
    case .wheelDown: return performWorklist(&state, .down)
    case .press:
        let row = event.row - WorklistLayout.firstRow
        guard row >= 0, row < state.visibleOrder.count else { return [] }
        if state.worklistSelection == row { return performWorklist(&state, .open) }
        state.worklistSelection = row
        return []
    default: return []
    }
}

/// Opens a study in the viewer, loads its first series and what the store holds for it.
func openStudy(_ state: inout AppState, _ uid: String, seriesUID: String? = nil, slice: Int? = nil) -> [Effect] {
    guard let entry = state.entry(uid: uid), !entry.study.series.isEmpty else { return [] }
    var v = ViewerState(studyUID: uid)
    if let s = seriesUID, let i = entry.study.series.firstIndex(where: { $0.seriesInstanceUID == s }) {
        v.display.seriesIndex = i
        v.display.slices[s] = slice ?? 0
    }
    if entry.study.modalities == ["MG"] {
        v.display.hanging = true
        v.display.layout = .grid
        v.display.priorStudyUID = priorStudy(for: entry, in: state.entries)?.uid
    } else if seriesUID == nil, let prior = priorStudy(for: entry, in: state.entries), PriorHanging.applies(to: entry, prior: prior) {
        PriorHanging.start(&v.display, entry: entry, prior: prior)
    } else if MRHanging.applies(to: entry.study), seriesUID == nil {
        MRHanging.start(&v.display, study: entry.study)
    }
    if !v.display.hanging, !v.display.mrHanging, v.display.slices.isEmpty {
        // Volumes open at their middle slice, where most anatomy is.
        let series = entry.study.series[v.display.seriesIndex]
        v.display.slices[series.seriesInstanceUID] = series.instanceCount / 2
    }
    state.viewer = v
    state.mode = .viewer
    state.message = ""
    var effects: [Effect] = [.audit(action: "open", studyUID: uid, detail: "")]
    if state.workflow == .secondReader {
        // Time per study counts from the first open; every open is recorded (append-only).
        state.viewer?.screening = ScreeningRead()
        effects.append(.screeningEvent(ScreeningEvent(reader: state.reader, studyUID: uid, kind: .start)))
    } else if state.workflow == .arbitration {
        state.viewer?.screening = ScreeningRead()
        state.viewer?.screening?.revealed = true
    }
    effects.append(.loadReview(studyUID: uid))
    if state.teaching == nil, StudyKeyObjects.present(in: entry.study) { effects.append(.loadKeyObjects(studyUID: uid)) }
    effects += seriesToLoad(state).map { .loadSeries(seriesUID: $0) }
    if state.teaching == nil { effects.append(.saveSession(sessionState(state))) }
    return effects
}

/// The newest earlier study of the same patient (Patient ID, and its issuer where both say), of the
/// same modalities and, where both say, the same body part: the prior a follow-up is read against.
func priorStudy(for entry: StudyEntry, in entries: [StudyEntry]) -> StudyEntry? {
    let h = entry.study.first
    guard !h.patientID.isEmpty else { return nil }
    // Patient ID first: it rules out nearly every entry without building a modality list.
    return entries.filter {
        let p = $0.study.first
        return p.patientID == h.patientID && $0.uid != entry.uid && $0.study.modalities == entry.study.modalities
            && (p.bodyPart.isEmpty || h.bodyPart.isEmpty || p.bodyPart == h.bodyPart)
            && (p.studyDate, p.studyTime) < (h.studyDate, h.studyTime)
    }.max { ($0.study.first.studyDate, $0.study.first.studyTime) < ($1.study.first.studyDate, $1.study.first.studyTime) }
}

/// Series the current view needs that are neither loaded nor loading.
func seriesToLoad(_ state: AppState) -> [String] {
    var wanted: [String] = []
    if let s = state.currentSeries { wanted.append(s.seriesInstanceUID) }
    if let v = state.viewer, let e = state.currentEntry {
        if v.display.hanging { wanted += e.study.series.map(\.seriesInstanceUID) }
        if v.display.layout != .single && !v.display.hanging {
            let n = v.display.layout == .sideBySide ? 2 : 4
            for k in 0 ..< n {
                let si = v.display.seriesIndex(viewport: k)
                if si >= 0, si < e.study.series.count { wanted.append(e.study.series[si].seriesInstanceUID) }
            }
            // The MR hanging places series by sequence, known once each stack is read: read them all.
            if v.display.mrHanging { wanted += e.study.series.map(\.seriesInstanceUID) }
        }
        if v.display.hanging, v.display.showPrior, let p = v.display.priorStudyUID, let pe = state.entry(uid: p) {
            wanted += pe.study.series.map(\.seriesInstanceUID)
        }
        if let prior = state.priorBesideSeries { wanted.append(prior.seriesInstanceUID) }
    }
    var seen = Set<String>()
    return wanted.filter { state.stacks[$0] == nil && state.loading[$0] == nil && seen.insert($0).inserted }
}

func sessionState(_ state: AppState) -> SessionState {
    guard state.mode == .viewer, let v = state.viewer else {
        return SessionState(studyUID: "", seriesUID: "", slice: 0, screen: "worklist")
    }
    return SessionState(studyUID: v.studyUID, seriesUID: state.currentSeries?.seriesInstanceUID ?? "",
                        slice: state.currentSlice, screen: "viewer")
}

func applyResume(_ state: inout AppState, _ s: SessionState) -> [Effect] {
    guard s.screen == "viewer", state.entry(uid: s.studyUID) != nil else { return [] }
    if let i = state.visibleOrder.firstIndex(where: { state.entries[$0].uid == s.studyUID }) { state.worklistSelection = i }
    var effects = openStudy(&state, s.studyUID, seriesUID: s.seriesUID.isEmpty ? nil : s.seriesUID, slice: s.slice)
    state.message = "Resumed where you left off"
    effects.removeAll { if case .saveSession = $0 { return true }; return false }
    return effects
}

/// With `--deidentify`, the tag browser blanks values that identify a patient: person names (PN),
/// dates and times (DA, DT, TM), the patient group (0010,xxxx), accession number, institution, and
/// the free-text descriptions (study, series, procedure step), station, department and operators.
func deidentifiedTagLine(_ line: String) -> String {
    let clean = TextSanitizer.sanitize(line)
    let trimmed = clean.drop { $0 == " " }
    guard trimmed.hasPrefix("("), trimmed.count > 15 else { return clean }
    let tag = String(trimmed.prefix(11))
    let vr = String(trimmed.dropFirst(12).prefix(2))
    let identifying = ["PN", "DA", "DT", "TM"].contains(vr) || tag.hasPrefix("(0010,")
        || ["(0008,0050)", "(0008,0080)", "(0008,0081)", "(0008,0090)", "(0020,0010)",
            "(0008,1030)", "(0008,103E)", "(0008,1010)", "(0008,1040)", "(0008,1070)", "(0040,0254)"].contains(tag)
    guard identifying else { return clean }
    let indent = String(clean.prefix { $0 == " " })
    let name = clean.range(of: " # ").map { String(clean[$0.lowerBound...]) } ?? ""
    return "\(indent)\(tag) \(vr) [removed]\(name)"
}
