import Dispatch
import Foundation

/// `(0 ..< count).map(body)` on all cores, in chunks (eight per core, so a slow disk region does
/// not leave cores idle). Each element is initialised by exactly one iteration.
enum ParallelMap {
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 1 else { return (0 ..< count).map(body) }
        let chunk = max(1, count / (ProcessInfo.processInfo.activeProcessorCount * 8))
        let chunks = (count + chunk - 1) / chunk
        return [T](unsafeUninitializedCapacity: count) { buffer, initialised in
            // Disjoint index ranges per iteration: the buffer and body are shared safely.
            nonisolated(unsafe) let (buffer, body) = (buffer, body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for i in c * chunk ..< min(count, (c + 1) * chunk) {
                    (buffer.baseAddress! + i).initialize(to: body(i))
                }
            }
            initialised = count
        }
    }
}
