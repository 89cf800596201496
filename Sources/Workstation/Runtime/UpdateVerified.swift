import Imaging

/// The scan behind a worklist shown from the study index store (`Message.studiesFromStore`) has
/// finished, and the worklist becomes what is on disk:
/// - a study with files new or changed since the store saw them (`changed`), or with another image
///   count, takes the scan's version;
/// - a study the store did not know joins the list;
/// - a study no longer on disk leaves it, except the one open in the viewer, which stays until it
///   is closed (its images are what the reader is looking at).
///
/// Entries keep their place and review status; the selection stays on the same study. The
/// runtime queues the AI only after this (`Runtime.startAI`), so no finding is computed on the
/// store's stale copy of a study.
func updateVerified(_ state: inout AppState, _ studies: [StudyIndex.Study], changed: Set<String>) -> [Effect] {
    state.worklistUnverified = false
    var found = Set<String>()
    found.reserveCapacity(studies.count)
    var replaced = 0, added = 0
    for study in studies {
        let uid = study.studyInstanceUID
        found.insert(uid)
        if let i = state.entryIndex(uid: uid) {
            guard changed.contains(uid) || state.entries[i].study.instanceCount != study.instanceCount else { continue }
            state.entries[i].study = study
            state.entries[i].aiResult = nil
            replaced += 1
        } else {
            state.entryPositions[uid] = state.entries.count
            state.entries.append(StudyEntry(study: study, ordinal: state.entries.count + 1,
                                            ai: .notRun(reason: "not analysed yet"), aiResult: nil, review: .unread))
            added += 1
        }
    }
    let open = state.viewer?.studyUID
    let gone = state.entries.filter { !found.contains($0.uid) && $0.uid != open }.count
    if gone > 0 {
        let visible = state.visibleOrder
        let selected = visible.isEmpty ? nil : state.entries[visible[min(state.worklistSelection, visible.count - 1)]].uid
        state.entries.removeAll { !found.contains($0.uid) && $0.uid != open }
        state.entryPositions = Dictionary(state.entries.enumerated().map { ($1.uid, $0) }, uniquingKeysWith: { a, _ in a })
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
    return []
}
