import Analysis
import Foundation
import Review

/// Results back to the archive (`store_results = true`): on sign-off, the SR is made on the loop
/// (it reads the store, like every effect) and the SEG off it (the analysis may have to be loaded
/// or run), both queued in the outbox, which `ResultsOutboxWorker` sends on its own thread.
extension Runtime {
    func startResultsWorker() {
        guard !options.resultsDestinations.isEmpty else { return }
        let archives = Dictionary(options.resultsDestinations.map { ($0.archive.name, $0.archive) }, uniquingKeysWith: { a, _ in a })
        let interval = ProcessInfo.processInfo.environment["LIGHTBOX_OUTBOX_INTERVAL"].flatMap(Double.init) ?? 5
        let worker = ResultsOutboxWorker(outbox: options.outbox, sender: ResultsSender(archives: archives), inbox: inbox,
                                         interval: max(0.2, interval))
        worker.start()
        resultsWorker = worker
    }

    /// After a sign-off: queue the study's SR and SEG for its archive, if that archive wants them.
    func queueResults(studyUID uid: String) {
        guard let worker = resultsWorker, let entry = state.entries.first(where: { $0.uid == uid }),
              let destination = ResultsDestination.find(options.resultsDestinations,
                                                        paths: entry.study.series.flatMap { $0.instances.map(\.path) }) else { return }
        let study = entry.study, reader = options.reader, outbox = options.outbox
        let catalogFolder = options.modelsFolder.map { URL(fileURLWithPath: $0) }
        do {
            let findings = try store.reviewedFindings(studyUID: uid, reader: reader)
            let sr = try StudyReport.make(study: study, store: store, reader: reader, findings: findings).document.data()
            let inbox = self.inbox
            resultsQueue.async {
                var files: [(name: String, data: Data)] = [("sr.dcm", sr)]
                do {
                    if let analysis = try StudyAnalysisLoader.load(study, modelsFolder: catalogFolder) {
                        let seg = try StudySegmentation.make(study: study, analysis: analysis, findings: findings,
                                                             source: try StudyReport.sourceHeader(study)).document
                        if !seg.segments.isEmpty { files.append(("seg.dcm", try seg.data())) }
                    }
                } catch {
                    inbox.post(.error("Segmentation not made: \(error); the SR is sent alone"))
                }
                do {
                    try outbox.enqueue(studyUID: uid, archive: destination.archive.name, files: files)
                    worker.wake()
                } catch {
                    inbox.post(.error("Results not queued: \(error)"))
                }
            }
        } catch {
            state.message = "Results not queued: \(error)"
        }
    }
}
