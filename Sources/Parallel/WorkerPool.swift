import Foundation
import Synchronization
import SystemCalls

/// A fixed set of threads of its own, at a chosen nice value, that `Parallel.perform` uses
/// instead of Dispatch's shared workers while a thread runs inside `run`.
///
/// Why: the background AI spreads its work with parallel loops. On Dispatch's shared workers it
/// competes with the UI at full priority, and nicing those threads would stay with them for
/// whatever they run next (an unprivileged process cannot lower a nice value again). These
/// threads are niced once, when they start, and run only what is handed to them here; threads
/// they start (oneDNN's OpenMP team) inherit the nice value.
///
/// A loop called from one of the pool's own threads (a loop inside a loop) runs inline on that
/// thread: the pool is already busy with the outer loop, and waiting for itself would deadlock.
public final class WorkerPool: Sendable {
    /// One parallel loop in flight: workers and the caller take indices until none are left.
    final class Loop: @unchecked Sendable {
        let count: Int
        /// The caller's closure, valid until every index has run (`perform` frees it then; a
        /// worker that takes the loop afterwards finds no index left and never reads it).
        let body: UnsafePointer<@Sendable (Int) -> Void>
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)

        init(count: Int, body: UnsafePointer<@Sendable (Int) -> Void>) {
            self.count = count
            self.body = body
        }

        /// Runs indices until none are left; the thread that completes the last one signals.
        func work() {
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                body.pointee(i)
                if done.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == count { finished.signal() }
            }
        }
    }

    private final class Shared: Sendable {
        let loops = Mutex<[Loop]>([])
        let wake = DispatchSemaphore(value: 0)
        let stopped = Atomic<Bool>(false)
        let niceness = Mutex<[Int32]>([])
    }

    private let shared = Shared()
    /// Threads in the pool.
    public let threads: Int

    /// Starts `threads` threads, each adding `niceness` to its nice value (0: unchanged).
    public init(threads: Int, niceness: Int32, name: String = "lightbox.pool") {
        self.threads = Swift.max(1, threads)
        let shared = self.shared
        for k in 0 ..< self.threads {
            let thread = Thread {
                if niceness > 0 { SystemCall.lowerCurrentThreadPriority(by: niceness) }
                shared.niceness.withLock { $0.append(SystemCall.currentThreadNiceness()) }
                PoolMembership.set(shared)
                while true {
                    shared.wake.wait()
                    if shared.stopped.load(ordering: .relaxed) { return }
                    guard let loop = shared.loops.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                    loop.work()
                }
            }
            thread.name = "\(name).\(k)"
            thread.start()
        }
    }

    deinit {
        shared.stopped.store(true, ordering: .relaxed)
        for _ in 0 ..< threads { shared.wake.signal() }
    }

    /// The nice values of the pool's threads, once all have started (tests read them).
    public var threadNiceness: [Int32] {
        let deadline = SystemCall.monotonicSeconds() + 10
        while shared.niceness.withLock({ $0.count }) < threads, SystemCall.monotonicSeconds() < deadline {
            Thread.sleep(forTimeInterval: 0.001)
        }
        return shared.niceness.withLock { $0 }
    }

    /// Runs `body` with this pool as the one `Parallel.perform` uses on the calling thread.
    public func run<T>(_ body: () throws -> T) rethrows -> T {
        let previous = PoolMembership.current
        PoolMembership.setCurrent(self)
        defer { PoolMembership.setCurrent(previous) }
        return try body()
    }

    /// `body(0 ..< iterations)` spread over the pool's threads and the caller's.
    func perform(iterations: Int, _ body: @Sendable (Int) -> Void) {
        if iterations <= 1 || PoolMembership.isWorker(of: shared) {
            for i in 0 ..< iterations { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // The closure in memory of its own, released before this returns (a loop may stay
            // queued for a worker that wakes late: it must not keep the closure).
            let stored = UnsafeMutablePointer<@Sendable (Int) -> Void>.allocate(capacity: 1)
            stored.initialize(to: body)
            defer { stored.deinitialize(count: 1); stored.deallocate() }
            let loop = Loop(count: iterations, body: stored)
            let helpers = Swift.min(threads, iterations - 1)
            shared.loops.withLock { loops in for _ in 0 ..< helpers { loops.append(loop) } }
            for _ in 0 ..< helpers { shared.wake.signal() }
            loop.work()
            loop.finished.wait()
        }
    }
}
