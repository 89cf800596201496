import Foundation
import Parallel
import Synchronization
import Imaging
import Review

/// How urgent it is to have the AI's answer for a study, the way triage products order their work:
/// what the reader has open comes first, then the studies where minutes matter (a head CT can hold
/// a haemorrhage), then the rest of the unread worklist, and signed studies last.
///
/// Lower sorts first. The tie-breaker is the worklist order the queue was filled in.
public struct AnalysisPriority: Comparable, Sendable {
    /// 0: the reader opened the study; 1: unread; 2: in progress; 3: signed.
    public var readerTier: Int
    /// Clinical urgency of what the installed models look for in this kind of study (0 = most urgent).
    public var urgency: Int
    public var order: Int

    public static func < (a: Self, b: Self) -> Bool {
        (a.readerTier, a.urgency, a.order) < (b.readerTier, b.urgency, b.order)
    }

    /// Urgency by study kind: head CT (haemorrhage, time-critical) → chest CT (nodules) → chest
    /// radiograph → mammography (screening, a second read) → anything else.
    public static func urgency(of study: StudyIndex.Study) -> Int {
        let headers = study.series.map(\.first)
        let modalities = Set(headers.map(\.modality))
        let parts = Set(headers.map { $0.bodyPart.uppercased() })
        if modalities.contains("CT") {
            return parts.contains(where: { $0.contains("HEAD") || $0.contains("BRAIN") }) ? 0 : 1
        }
        if modalities.contains("CR") || modalities.contains("DX") { return 2 }
        if modalities.contains("MG") { return 3 }
        return 4
    }

    public init(readerTier: Int, urgency: Int, order: Int) {
        self.readerTier = readerTier; self.urgency = urgency; self.order = order
    }

    /// The priority of a worklist study that the reader has not opened yet.
    public init(study: StudyIndex.Study, review: ReviewStatus, order: Int) {
        let tier: Int
        switch review {
        case .unread: tier = 1
        case .inProgress: tier = 2
        case .signed: tier = 3
        }
        self.init(readerTier: tier, urgency: Self.urgency(of: study), order: order)
    }
}

/// The background AI work list. One study is analysed at a time (the analysis itself spreads over
/// both cores), always the pending study with the best `AnalysisPriority`; opening a study moves it
/// to the front. Pending studies show their place in line in the worklist ("queued 3").
///
/// Thread-safety: the public methods may be called from any thread (the line is behind a `Mutex`);
/// jobs run one at a time on a niced thread of their own (`BackgroundThread`) and report through
/// `post`, which the runtime's inbox drains on the UI loop.
final class AnalysisQueue: Sendable {
    struct Job: Sendable {
        let study: StudyIndex.Study
        var priority: AnalysisPriority
        /// The study it is read against (same patient, earlier), compared when the models can.
        var prior: StudyIndex.Study? = nil
        var uid: String { study.studyInstanceUID }
    }

    /// What the lock guards: the line, whether a job runs, and whether the queue was stopped.
    private struct Line {
        var pending: [Job] = []
        var busy = false
        var stopped = false
    }

    private let source: FindingsSource
    private let post: @Sendable (Message) -> Void
    private let worker: BackgroundThread
    /// The threads the analysis' parallel loops run on, niced like the worker (nil when not
    /// niced: Dispatch's shared workers, as for `lightbox analyze`).
    private let pool: WorkerPool?
    private let line = Mutex(Line())

    /// How much the AI's threads are niced by default: enough that the UI loop wins a core
    /// whenever it has work (nice 10 weighs about a tenth of nice 0 with Linux's scheduler), while
    /// the AI still gets every idle cycle. `LIGHTBOX_AI_NICE` overrides it (0: not niced).
    static let defaultNiceness: Int32 = {
        ProcessInfo.processInfo.environment["LIGHTBOX_AI_NICE"].flatMap { Int32($0) }.map { max(0, min(19, $0)) } ?? 10
    }()

    init(source: FindingsSource, niceness: Int32 = AnalysisQueue.defaultNiceness, post: @escaping @Sendable (Message) -> Void) {
        self.source = source
        self.post = post
        worker = BackgroundThread(name: "lightbox.ai", niceness: niceness)
        pool = niceness > 0 ? WorkerPool(threads: ProcessInfo.processInfo.activeProcessorCount, niceness: niceness, name: "lightbox.ai") : nil
    }

    /// The nice values of the analysis pool's threads (empty without a pool).
    var poolNiceness: [Int32] { pool?.threadNiceness ?? [] }

    /// The nice value the worker runs at.
    var workerNiceness: Int32 { worker.niceness }

    /// Adds studies (not already pending) and starts work if the worker is idle.
    func enqueue(_ jobs: [Job]) {
        line.withLock { line in
            let known = Set(line.pending.map(\.uid))
            line.pending += jobs.filter { !known.contains($0.uid) }
            line.pending.sort { $0.priority < $1.priority }
            announcePositions(line.pending)
        }
        pump()
    }

    /// The reader opened `uid`: if it is still waiting, it goes to the front of the line.
    func bump(_ uid: String) {
        line.withLock { line in
            guard let i = line.pending.firstIndex(where: { $0.uid == uid }) else { return }
            line.pending[i].priority.readerTier = 0
            line.pending.sort { $0.priority < $1.priority }
            announcePositions(line.pending)
        }
    }

    /// Drops everything not yet started (the study being analysed finishes).
    func stop() {
        line.withLock { $0.stopped = true; $0.pending.removeAll() }
    }

    /// Returns once the study in progress (if any) is done: after `stop`, the queue is then idle.
    func waitForRunningJob() {
        let done = DispatchSemaphore(value: 0)
        worker.async { done.signal() }
        done.wait()
    }

    /// The order studies will run in, for tests and the status line.
    var pendingUIDs: [String] { line.withLock { $0.pending.map(\.uid) } }

    /// Posts every pending study's place in line. Called with the lock held, so a study's last
    /// "queued" message is always posted before the worker's "running" for it.
    private func announcePositions(_ pending: [Job]) {
        post(.aiQueued(pending.map(\.uid)))
    }

    /// Starts the next job if none is running.
    private func pump() {
        let next: Job? = line.withLock { line in
            guard !line.busy, !line.stopped, !line.pending.isEmpty else { return nil }
            line.busy = true
            let job = line.pending.removeFirst()
            announcePositions(line.pending)
            return job
        }
        guard let job = next else { return }
        worker.async { [self] in
            if let pool { pool.run { run(job) } } else { run(job) }
            line.withLock { $0.busy = false }
            pump()
        }
    }

    private func run(_ job: Job) {
        let uid = job.uid, post = self.post
        post(.aiStatus(studyUID: uid, .running(progress: 0)))
        do {
            if let result = try source.analyze(job.study, prior: job.prior, progress: { post(.aiStatus(studyUID: uid, .running(progress: $0))) }) {
                post(.aiResult(studyUID: uid, result))
            } else {
                post(.aiStatus(studyUID: uid, .notRun(reason: source.idleReason)))
            }
        } catch {
            post(.aiStatus(studyUID: uid, .failed("\(error)")))
        }
    }
}
