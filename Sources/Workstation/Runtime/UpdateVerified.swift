import Imaging

/// The scan behind a worklist shown from the study index store (`Message.studiesFromStore`) has
/// finished, and the worklist becomes what is on disk:
/// - a study with files new or changed since the store saw them (`changed`), or with another image
///   count, takes the scan's version;
/// - a study the store did not know joins the list;
/// - a study no longer on disk leaves it, except the one open in the viewer (its images are what
///   the reader is looking at; it stays in the list);
/// - the open study, if it changed, has its images read again.
///
/// Entries keep their place and review status; the selection stays on the same study. The
/// runtime queues the AI only after this (`Runtime.startAI`), so no finding is computed on the
/// store's stale copy of a study.
func updateVerified(_ state: inout AppState, _ studies: [StudyIndex.Study], changed: Set<String>) -> [Effect] {
    state.worklistUnverified = false
    // The selected study, by UID: studies added or removed below move every position after them.
    let shown = state.visibleOrder
    let selected = shown.isEmpty ? nil : state.entries[shown[min(state.worklistSelection, shown.count - 1)]].uid
    let open = state.viewer?.studyUID
    var effects: [Effect] = []
    var found = Set<String>()
    found.reserveCapacity(studies.count)
    var replaced = 0, added = 0, openReplaced = false
    var nextOrdinal = state.nextOrdinal
    for study in studies {
        let uid = study.studyInstanceUID
        found.insert(uid)
        if let i = state.entryIndex(uid: uid) {
            guard changed.contains(uid) || state.entries[i].study.instanceCount != study.instanceCount else { continue }
            if uid == open {
                // The viewer's images of the old files go; the series are read again.
                for s in state.entries[i].study.series { state.stacks[s.seriesInstanceUID] = nil }
                openReplaced = true
            }
            state.entries[i].study = study
            state.entries[i].aiResult = nil
            replaced += 1
        } else {
            state.entryPositions[uid] = state.entries.count
            state.entries.append(StudyEntry(study: study, ordinal: nextOrdinal, ai: .notRun(reason: "not analysed yet"),
                                            aiResult: nil, review: .unread))
            nextOrdinal += 1
            added += 1
        }
    }
    if openReplaced { effects += seriesToLoad(state).map { .loadSeries(seriesUID: $0) } }
    let gone = state.entries.filter { !found.contains($0.uid) && $0.uid != open }.count
    if gone > 0 {
        state.entries.removeAll { !found.contains($0.uid) && $0.uid != open }
        state.entryPositions = Dictionary(state.entries.enumerated().map { ($1.uid, $0) }, uniquingKeysWith: { a, _ in a })
    }
    if gone + added > 0 {
        let order = state.visibleOrder
        state.worklistSelection = selected.flatMap { uid in order.firstIndex { state.entries[$0].uid == uid } }
            ?? min(state.worklistSelection, max(0, order.count - 1))
    }
    if replaced + added + gone > 0 {
        var parts: [String] = []
        if added > 0 { parts.append("\(added) new") }
        if replaced > 0 { parts.append("\(replaced) changed") }
        if gone > 0 { parts.append("\(gone) no longer on disk, removed") }
        state.message = "Worklist checked against the files: " + parts.joined(separator: ", ")
    }
    return effects
}
