import Synchronization

/// Lightbox's own loops (copies, activations) split over the inference thread budget
/// (`setInferenceThreads`) and run by the same threads as the banded convolutions around them
/// (`ChunkTeam`). A loop is split only when each chunk gets at least `minimumPerChunk`
/// iterations: below that, handing out the work costs more than it saves.
enum ParallelChunks {
    /// The budget `setInferenceThreads` last set (1 until then).
    static var threads: Int {
        get { budget.load(ordering: .relaxed) }
        set { budget.store(newValue, ordering: .relaxed) }
    }
    private static let budget = Atomic<Int>(1)

    static func forEach(count: Int, minimumPerChunk: Int, _ body: (Range<Int>) -> Void) {
        // The chunks are disjoint ranges: each call touches only what its own range indexes.
        ChunkTeam.forEach(count: count, parts: threads * 2, minimum: minimumPerChunk, threads: threads, body)
    }
}
