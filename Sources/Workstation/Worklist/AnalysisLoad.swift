import Foundation
import Imaging
import Synchronization

/// The AI queue kept busy on a set of studies, over and over, for as long as it lives: the load a
/// worklist benchmark measures key latency under (`lightbox open --benchmark-worklist N DIR…`).
/// Results are not cached, so every run is a real analysis.
///
/// `@_spi(Benchmarks)`: not API for others.
@_spi(Benchmarks) public final class AnalysisLoad: Sendable {
    private let queue: AnalysisQueue
    private let finished = Mutex(0)
    private let studies: [StudyIndex.Study]

    /// Starts analysing `studies` with the models in `modelsFolder` on the AI queue's thread at
    /// `niceness`.
    @_spi(Benchmarks) public init(studies: [StudyIndex.Study], modelsFolder: URL, niceness: Int32) throws {
        let source = try ModelFindingsSource(modelsFolder: modelsFolder, cache: nil)
        self.studies = studies
        let box = Box()
        queue = AnalysisQueue(source: source, niceness: niceness) { message in
            switch message {
            case .aiResult, .aiStatus(_, .notRun(_)), .aiStatus(_, .failed(_)): box.load?.ranOne()
            default: break
            }
        }
        box.load = self
        queue.enqueue(jobs())
    }

    /// Studies analysed so far.
    @_spi(Benchmarks) public var analysed: Int { finished.withLock { $0 } }

    /// The nice value the queue's thread runs at.
    @_spi(Benchmarks) public var niceness: Int32 { queue.workerNiceness }

    /// Stops, and returns once the study in progress is done.
    @_spi(Benchmarks) public func stop() {
        queue.stop()
        queue.waitForRunningJob()
    }

    private func ranOne() {
        let n = finished.withLock { $0 += 1; return $0 }
        if n % studies.count == 0 { queue.enqueue(jobs()) }
    }

    private func jobs() -> [AnalysisQueue.Job] {
        studies.enumerated().map { k, study in
            AnalysisQueue.Job(study: study, priority: AnalysisPriority(readerTier: 1, urgency: 0, order: k))
        }
    }

    /// The queue's callback is made before `self` exists; it reaches it through this.
    private final class Box: @unchecked Sendable {
        weak var load: AnalysisLoad?
    }
}
