import Analysis
import Foundation
import Review

/// Results back to the archive (`store_results = true`): on sign-off, what the SR needs is read from
/// the store on the loop (which owns it, like every effect); the analysis is loaded (or run) and the
/// SR and SEG are made off it, then queued in the outbox, which `ResultsOutboxWorker` sends on its
/// own thread.
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
            // Read from the store here, on the loop that owns it; everything else off it.
            let stored = try store.reviewedFindings(studyUID: uid, reader: reader)
            let report = try store.report(studyUID: uid, reader: reader)?.text
            let signoff = try store.signoffs(studyUID: uid, reader: reader).last
            let inbox = self.inbox
            resultsQueue.async {
                var analysis: AnalysisDocument?
                do { analysis = try StudyAnalysisLoader.load(study, modelsFolder: catalogFolder) } catch {
                    inbox.post(.error("AI analysis not loaded for the results: \(error); the SR goes without its measurements, no SEG"))
                }
                let findings = ReviewedFinding.withMeasurements(stored, from: analysis)
                var files: [(name: String, data: Data)] = []
                do {
                    files.append(("sr.dcm", try StudyReport.make(study: study, reader: reader, findings: findings, report: report,
                                                                 signoff: signoff).document.data()))
                    if let analysis {
                        let seg = try StudySegmentation.make(study: study, analysis: analysis, findings: findings,
                                                             source: try StudyReport.sourceHeader(study), signoff: signoff).document
                        if !seg.segments.isEmpty { files.append(("seg.dcm", try seg.data())) }
                    }
                } catch {
                    inbox.post(.error("Results: \(error)" + (files.isEmpty ? "; nothing queued" : "; the SR is sent alone")))
                }
                guard !files.isEmpty else { return }
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
