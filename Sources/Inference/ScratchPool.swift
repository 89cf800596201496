import Foundation
import Synchronization

/// Reusable scratch buffers (im2col columns can be tens of megabytes: above the heap threshold,
/// so allocating them per call would mean fresh zeroed pages every layer). Thread-safe; holds
/// at most a few buffers, largest kept.
final class ScratchPool: Sendable {
    static let shared = ScratchPool()
    private let free = Mutex<[[Float]]>([])

    /// A buffer of exactly `count` elements with unspecified contents.
    func take(_ count: Int) -> [Float] {
        var buf: [Float] = free.withLock { free in
            var best = -1
            for (i, b) in free.enumerated() where b.capacity >= count { if best < 0 || b.capacity < free[best].capacity { best = i } }
            return best >= 0 ? free.remove(at: best) : []
        }
        if buf.capacity >= count {
            if buf.count > count { buf.removeLast(buf.count - count) }
            else if buf.count < count { buf.append(contentsOf: repeatElement(0, count: count - buf.count)) }
            return buf
        }
        return uninitializedFloats(count)
    }

    func give(_ buf: [Float]) {
        free.withLock { free in
            free.append(buf)
            if free.count > 4 { free.sort { $0.capacity > $1.capacity }; free.removeLast() }
        }
    }
}
