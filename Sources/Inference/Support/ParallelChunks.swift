import Parallel
import Dispatch
import Synchronization

/// Lightbox's own loops (copies, activations) split over the inference thread budget
/// (`setInferenceThreads`), like the oneDNN primitives around them. A loop is split only when
/// each thread gets at least `minimumPerChunk` iterations: below that the fork/join costs more
/// than it saves. oneDNN's OpenMP workers are idle while these run (one operator at a time).
enum ParallelChunks {
    /// The budget `setInferenceThreads` last set (1 until then).
    static var threads: Int {
        get { budget.load(ordering: .relaxed) }
        set { budget.store(newValue, ordering: .relaxed) }
    }
    private static let budget = Atomic<Int>(1)

    static func forEach(count: Int, minimumPerChunk: Int, _ body: (Range<Int>) -> Void) {
        let parts = Swift.min(threads, count / Swift.max(1, minimumPerChunk))
        guard parts > 1 else {
            if count > 0 { body(0 ..< count) }
            return
        }
        let step = (count + parts - 1) / parts
        // The chunks are disjoint ranges: each call touches only what its own range indexes.
        nonisolated(unsafe) let body = body
        Parallel.perform(iterations: parts) { k in
            let lo = k * step, hi = Swift.min(count, lo + step)
            if lo < hi { body(lo ..< hi) }
        }
    }
}
