import Imaging

/// Studies that arrive while the workstation is open (pushed by a modality into a watched folder,
/// `lightbox open --watch` or `--listen`): new studies join the worklist, and a study that gained
/// images is replaced by its fuller version. Entries already there keep their place, their review
/// status and — unless their images changed — their AI result.
func updateArrivals(_ state: inout AppState, _ studies: [StudyIndex.Study]) -> [Effect] {
    var added = 0, grown = 0
    var nextOrdinal = state.nextOrdinal
    for study in studies {
        if let i = state.entryIndex(uid: study.studyInstanceUID) {
            guard state.entries[i].study.instanceCount != study.instanceCount else { continue }
            state.entries[i].study = study
            // Findings computed on fewer images are stale; the runtime queues the study again once it settles.
            state.entries[i].aiResult = nil
            state.entries[i].ai = .notRun(reason: "receiving images")
            grown += 1
        } else {
            state.entryPositions[study.studyInstanceUID] = state.entries.count
            state.entries.append(StudyEntry(study: study, ordinal: nextOrdinal,
                                            ai: .notRun(reason: "receiving images"), aiResult: nil, review: .unread))
            nextOrdinal += 1
            added += 1
        }
    }
    if added + grown > 0 {
        var parts: [String] = []
        if added > 0 { parts.append("\(added) new stud\(added == 1 ? "y" : "ies") arrived") }
        if grown > 0 { parts.append("\(grown) stud\(grown == 1 ? "y" : "ies") received more images") }
        state.message = parts.joined(separator: "; ")
    }
    return []
}
