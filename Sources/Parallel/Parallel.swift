import Dispatch

/// Parallel loops for the image and inference pipelines: `DispatchQueue.concurrentPerform`,
/// unless the calling thread runs inside a `WorkerPool` (the workstation's background AI), whose
/// own threads then do the work.
public enum Parallel {
    /// Calls `body` once for each index in 0 ..< iterations, on several threads at once, and
    /// returns when every call has.
    public static func perform(iterations: Int, _ body: @Sendable (Int) -> Void) {
        if let pool = PoolMembership.current {
            pool.perform(iterations: iterations, body)
        } else {
            DispatchQueue.concurrentPerform(iterations: iterations, execute: body)
        }
    }
}
