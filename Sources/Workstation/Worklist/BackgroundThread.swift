import Foundation
import Synchronization
import SystemCalls

/// A thread of its own that runs closures one after another at a lower CPU priority (a higher
/// nice value): the AI queue's worker.
///
/// Why not a `DispatchQueue` with a low QoS: on Linux, Dispatch's QoS classes do not change the
/// scheduler's priority, and its threads are shared with the loaders, so niceness set on one would
/// leak into unrelated work. On this thread's own, it also passes to the OpenMP team oneDNN starts
/// from it (threads inherit their creator's nice value), so a model running on every core yields
/// to the UI loop whenever a key arrives, instead of sharing the cores with it evenly.
///
/// The analysis' parallel loops run on a `WorkerPool` niced the same way (`AnalysisQueue`), not on
/// Dispatch's shared workers: those would keep the nice value for whatever they run next.
final class BackgroundThread: Sendable {
    private enum Item {
        case run(@Sendable () -> Void)
        case stop
    }

    /// What the thread and its owner share (the thread outlives no owner: `deinit` stops it).
    private final class Shared: Sendable {
        let items = Mutex<[Item]>([])
        let wake = DispatchSemaphore(value: 0)
        let niceness = Mutex<Int32?>(nil)
        let started = DispatchSemaphore(value: 0)
    }

    private let shared = Shared()

    /// Starts the thread; `niceness` is added to the process's nice value (0: unchanged).
    init(name: String, niceness: Int32) {
        let shared = self.shared
        let thread = Thread {
            if niceness > 0 { SystemCall.lowerCurrentThreadPriority(by: niceness) }
            shared.niceness.withLock { $0 = SystemCall.currentThreadNiceness() }
            shared.started.signal()
            while true {
                shared.wake.wait()
                guard let item = shared.items.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                switch item {
                case .run(let body): body()
                case .stop: return
                }
            }
        }
        thread.name = name
        thread.start()
    }

    deinit {
        shared.items.withLock { $0.append(.stop) }
        shared.wake.signal()
    }

    /// The nice value the thread runs at (waits for it to start).
    var niceness: Int32 {
        shared.started.wait()
        shared.started.signal()
        return shared.niceness.withLock { $0 ?? 0 }
    }

    /// Runs `body` after everything queued before it.
    func async(_ body: @escaping @Sendable () -> Void) {
        shared.items.withLock { $0.append(.run(body)) }
        shared.wake.signal()
    }
}
