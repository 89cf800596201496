import Foundation

/// Reusable scratch buffers (im2col columns can be tens of megabytes: above the heap threshold,
/// so allocating them per call would mean fresh zeroed pages every layer). Thread-safe; holds
/// at most a few buffers, largest kept.
final class ScratchPool: @unchecked Sendable {
    static let shared = ScratchPool()
    private let lock = NSLock()
    private var free: [[Float]] = []

    /// A buffer of exactly `count` elements with unspecified contents.
    func take(_ count: Int) -> [Float] {
        lock.lock()
        var best = -1
        for (i, b) in free.enumerated() where b.capacity >= count { if best < 0 || b.capacity < free[best].capacity { best = i } }
        var buf = best >= 0 ? free.remove(at: best) : []
        lock.unlock()
        if buf.capacity >= count {
            if buf.count > count { buf.removeLast(buf.count - count) }
            else if buf.count < count { buf.append(contentsOf: repeatElement(0, count: count - buf.count)) }
            return buf
        }
        return uninitializedFloats(count)
    }

    func give(_ buf: [Float]) {
        lock.lock()
        free.append(buf)
        if free.count > 4 { free.sort { $0.capacity > $1.capacity }; free.removeLast() }
        lock.unlock()
    }
}
