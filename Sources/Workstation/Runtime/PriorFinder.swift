/// `priorStudy(for:in:)` for every study of a worklist at once: the entries grouped by Patient ID
/// once, so each study is compared with its own patient's studies only. Queueing the AI of a
/// worklist of 20,000 studies with a prior for each compared every study with every other
/// (400 million comparisons, each building two modality lists): it held the UI loop for minutes.
struct PriorFinder {
    private let byPatient: [String: [StudyEntry]]

    init(_ entries: [StudyEntry]) {
        byPatient = Dictionary(grouping: entries.lazy.filter { !$0.study.first.patientID.isEmpty }, by: \.study.first.patientID)
    }

    /// What `priorStudy(for: entry, in: entries)` returns for the entries this was made from.
    func prior(for entry: StudyEntry) -> StudyEntry? {
        guard let candidates = byPatient[entry.study.first.patientID] else { return nil }
        return priorStudy(for: entry, in: candidates)
    }
}
