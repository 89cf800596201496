import Foundation
import Imaging

/// What the runtime remembers between rescans of watched folders.
struct FolderWatch {
    var lastScan = Date()
    var scanning = false
    /// Instance count per study at the previous rescan: a study is "settled" when it did not change.
    var lastSeenCounts: [String: Int] = [:]
    /// Instance count per study when its AI was queued.
    var analysedCounts: [String: Int] = [:]
}

extension Runtime {
    /// Starts a background rescan when `--watch` is on and the interval has passed (never two at once).
    func rescanIfDue() {
        guard let interval = options.watchInterval, !watch.scanning, !pendingAfterScan, !state.worklistUnverified,
              Date().timeIntervalSince(watch.lastScan) >= interval else { return }
        watch.scanning = true
        let paths = options.paths, inbox = self.inbox
        loadQueue.async {
            let index = StudyIndex.scan(paths, cache: StudyIndexStore.standard(), paging: true)
            inbox.post(.studiesRescanned(index.studies))
        }
    }

    /// After `update` merged a rescan: remember the series for loading, and queue AI for studies
    /// whose image count held still for one interval (a push in progress is not analysed half-way).
    func afterRescan(_ found: [StudyIndex.Study]) {
        watch.scanning = false
        watch.lastScan = Date()
        var jobs: [AnalysisQueue.Job] = []
        let priors = PriorFinder(state.entries)
        for study in found {
            let uid = study.studyInstanceUID, count = study.instanceCount
            for s in study.series { studies[s.seriesInstanceUID] = s }
            if watch.lastSeenCounts[uid] == count, watch.analysedCounts[uid] != count,
               let k = state.entryIndex(uid: uid) {
                watch.analysedCounts[uid] = count
                jobs.append(AnalysisQueue.Job(study: study, priority: AnalysisPriority(study: study, review: state.entries[k].review, order: k),
                                              prior: priors.prior(for: state.entries[k])?.study))
            }
            watch.lastSeenCounts[uid] = count
        }
        if !jobs.isEmpty { aiRequested.formUnion(jobs.map(\.uid)); analysisQueue.enqueue(jobs) }
    }
}
