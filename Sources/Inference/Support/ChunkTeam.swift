import Foundation
import Synchronization
import SystemCalls

/// The inference threads that share an operator's work: the calling thread plus `helpers`
/// dedicated threads, which claim chunks of a job one at a time from a shared counter.
///
/// Why not OpenMP (oneDNN's own threading) or a fixed two-way split: both give each thread its
/// share up front, so the operator ends only when the slowest thread has done its share. On the
/// 2-core benchmark VM a sleeping thread's core can take milliseconds to come back (a vCPU the host
/// has descheduled), and on a shared reading server the other core may belong to someone else's
/// process. Measured with one core taken by a busy loop, interleaved with onnxruntime: oneDNN's
/// OpenMP split of every layer above 2²⁰ multiply-adds made the head CT model 3.3× slower than
/// onnxruntime (23 ms, against 6.8 ms on one thread). Here the caller never waits for a helper
/// that has not started: it claims chunks itself until none is left, and then waits only for
/// chunks a helper is already computing. A late helper costs at most one chunk.
///
/// Helpers spin for `spinNanoseconds` after each job (the gap between two layers is usually
/// shorter), then sleep on a condition, so an idle process takes no CPU and leaves no spinner
/// in the way of other processes. One team exists per niceness: a helper is created by the first
/// caller at that niceness and inherits it (Linux keeps nice per thread), so the workstation's
/// background AI, which runs at nice +10, never gets help at normal priority.
final class ChunkTeam: @unchecked Sendable {
    /// One job: `count` chunks; `next` is the next unclaimed one, `done` counts finished ones.
    /// `@unchecked Sendable`: `body` points at the caller's closure, which outlives every call
    /// through it: it is called only for claimed indices < `count`, each once, and the caller
    /// returns only after all `count` have finished. A helper that picks the job up late claims
    /// an index ≥ `count` and never touches `body`.
    private final class Job: @unchecked Sendable {
        let body: UnsafePointer<(Int) -> Void>
        let count: Int
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)

        init(count: Int, body: UnsafePointer<(Int) -> Void>) {
            self.count = count
            self.body = body
        }

        /// Claims and runs chunks until none is left.
        func work() {
            while true {
                let k = next.add(1, ordering: .relaxed).oldValue
                guard k < count else { return }
                body.pointee(k)
                done.add(1, ordering: .releasing)
            }
        }
    }

    /// Threads beside the caller.
    let helpers: Int
    /// `@unchecked Sendable`: `current` is read and written only under `condition`.
    private nonisolated(unsafe) var current: Job?
    private let generation = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let condition = NSCondition()

    /// How long a helper spins for the next job before it sleeps (`LIGHTBOX_INFERENCE_SPIN_US`,
    /// microseconds; default 100: long enough to bridge the elementwise operators and copies
    /// between two convolutions, short enough that nothing spins once a run has returned).
    static let spinNanoseconds: UInt64 = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_INFERENCE_SPIN_US"], let us = UInt64(v) { return us * 1000 }
        return 100_000
    }()

    private static let teams = Mutex<[TeamKey: ChunkTeam]>([:])
    private struct TeamKey: Hashable { var niceness: Int32; var helpers: Int }

    /// The team for the calling thread's niceness with `threads - 1` helpers; nil for one thread.
    static func forCurrentThread(threads: Int) -> ChunkTeam? {
        guard threads > 1 else { return nil }
        let key = TeamKey(niceness: SystemCall.currentThreadNiceness(), helpers: threads - 1)
        return teams.withLock { teams in
            if let team = teams[key] { return team }
            let team = ChunkTeam(helpers: key.helpers)
            teams[key] = team
            return team
        }
    }

    private init(helpers: Int) {
        self.helpers = helpers
        for k in 0 ..< helpers {
            let thread = Thread { [unowned self] in self.helperLoop() }
            thread.name = "lightbox.inference.\(k + 1)"
            thread.start()
        }
    }

    /// Calls `body` once for each index in 0 ..< chunks, on this thread and the helpers, and
    /// returns when every call has. Calls for different indices must be safe to run at once.
    /// While another caller's job holds the team (two model instances side by side), this one
    /// runs its chunks alone.
    func forEach(chunks: Int, _ body: (Int) -> Void) {
        guard chunks > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for k in 0 ..< chunks { body(k) }
            return
        }
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { pointer in
                let job = Job(count: chunks, body: pointer)
                condition.lock()
                current = job
                generation.add(1, ordering: .releasing)
                condition.broadcast()
                condition.unlock()
                job.work()
                // Only chunks a helper has claimed, and is computing, can be left.
                while job.done.load(ordering: .acquiring) < chunks {}
                condition.lock()
                current = nil
                condition.unlock()
            }
        }
        busy.store(false, ordering: .releasing)
    }

    /// Calls `body` once for each index in 0 ..< chunks, on the team of `threads` (in turn on this
    /// thread when there is no team), and after every call has returned rethrows the first error one
    /// threw. The chunks of a layer split into primitives (row bands, channel parts) run this way.
    static func forEach(chunks: Int, threads: Int, _ body: (Int) throws -> Void) throws {
        guard let team = forCurrentThread(threads: threads) else {
            for k in 0 ..< chunks { try body(k) }
            return
        }
        let failure = Mutex<Error?>(nil)
        team.forEach(chunks: chunks) { k in
            do { try body(k) } catch { failure.withLock { $0 = $0 ?? error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Calls `body` on consecutive ranges that cover 0 ..< count: at most `parts` of them, of at
    /// least `minimum` items each, claimed by the team of `threads` when there is more than one.
    static func forEach(count: Int, parts: Int, minimum: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let chunks = Swift.min(parts, count / Swift.max(1, minimum))
        guard chunks > 1, let team = forCurrentThread(threads: threads) else {
            if count > 0 { body(0 ..< count) }
            return
        }
        let step = (count + chunks - 1) / chunks
        team.forEach(chunks: (count + step - 1) / step) { k in body(k * step ..< Swift.min(count, (k + 1) * step)) }
    }

    private func helperLoop() {
        var seen = generation.load(ordering: .acquiring)
        while true {
            let spinUntil = DispatchTime.now().uptimeNanoseconds &+ Self.spinNanoseconds
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins &+= 1
                if spins & 255 != 0 || DispatchTime.now().uptimeNanoseconds < spinUntil { continue }
                condition.lock()
                while generation.load(ordering: .acquiring) == seen { condition.wait() }
                condition.unlock()
            }
            condition.lock()
            seen = generation.load(ordering: .acquiring)
            let job = current
            condition.unlock()
            job?.work()
        }
    }
}
