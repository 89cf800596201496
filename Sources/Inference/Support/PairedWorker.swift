import Foundation
import Synchronization

/// One extra thread that runs the second half of a two-way split (`DNNLBandedConvolution`'s
/// bands, `ParallelChunks`' halves) while the calling thread runs the first.
///
/// Why not Dispatch: waking one of its pool threads took long enough, against layers of 0.1–0.5 ms,
/// to eat most of what the second core gave. This worker spins for a short while after each job
/// (`spinLimit` checks, about as long as the few operators between two convolutions take), so the
/// next job usually finds it awake, then sleeps on a condition so an idle process costs nothing.
/// One job at a time: `run` is serialised by `gate`, so concurrent callers (two model instances
/// side by side) take turns for the worker, and each still runs its own half itself.
final class PairedWorker: @unchecked Sendable {
    static let shared = PairedWorker()

    /// `@unchecked Sendable`: `job` is written by the caller before `posted` is released and read
    /// by the worker after acquiring it; `gate` keeps one job in flight.
    private nonisolated(unsafe) var job: (@Sendable () -> Void)?
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let condition = NSCondition()
    private let gate = Mutex<Void>(())
    /// Checks of `posted` before the worker sleeps (each a relaxed load and a spin hint).
    private let spinLimit = 200_000

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "lightbox.inference.pair"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// Runs `mine` here and `theirs` on the worker, and returns when both are done. When another
    /// caller holds the worker, both run here in turn.
    func run(_ mine: () -> Void, _ theirs: @escaping @Sendable () -> Void) {
        let claimed: Int? = gate.withLockIfAvailable { _ -> Int in
            job = theirs
            condition.lock()
            let ticket = posted.add(1, ordering: .releasing).newValue
            condition.signal()
            condition.unlock()
            mine()
            while finished.load(ordering: .acquiring) < ticket { spinHint() }
            job = nil
            return ticket
        }
        if claimed == nil { mine(); theirs() }
    }

    private func loop() {
        var seen = 0
        while true {
            var spins = 0
            while posted.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < spinLimit { spinHint(); continue }
                condition.lock()
                while posted.load(ordering: .acquiring) == seen { condition.wait() }
                condition.unlock()
            }
            seen = posted.load(ordering: .acquiring)
            job?()
            finished.store(seen, ordering: .releasing)
        }
    }
}

/// Between two checks of a value another core is about to change. Swift has no `pause`
/// intrinsic; an empty inlined call keeps the loop's shape explicit where one would go.
@inline(__always) private func spinHint() {}
