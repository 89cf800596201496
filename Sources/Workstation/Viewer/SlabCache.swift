import Foundation
import Synchronization
import Imaging

/// The last few slabs computed, so one frame of the loop (the view, the status line and the key
/// that follows all ask for the current frame) projects each slab once. Transparent: the same
/// stack, plane and settings always give the same slab, so `view` stays a function of the state.
///
/// A slab of a 512² series costs milliseconds (docs/WORKSTATION.md), so it is computed on the loop
/// when first asked for rather than sent to a worker. Entries hold their stack weakly and compare
/// it by identity, so a freed stack's address reused by another never returns a stale slab.
final class SlabCache: Sendable {
    static let shared = SlabCache()
    /// Three MPR viewports and the active frame's repeats fit.
    static let capacity = 6

    private struct Entry {
        weak var stack: ImageStack?
        var orientation: PlaneOrientation
        var index: Int
        var slab: SlabSettings
        /// nil: this slab cannot be made (remembered too, so it is not retried every frame).
        var plane: ReformattedPlane?
    }

    private let entries = Mutex<[Entry]>([])

    /// The cached slab, or `compute()`'s result, remembered. `compute` runs outside the lock, so
    /// a slow projection never blocks another thread's lookup.
    func plane(_ stack: ImageStack, _ o: PlaneOrientation, _ index: Int, _ slab: SlabSettings,
               compute: () -> ReformattedPlane?) -> ReformattedPlane? {
        let hit: ReformattedPlane?? = entries.withLock { entries in
            guard let i = entries.firstIndex(where: { $0.stack === stack && $0.orientation == o && $0.index == index && $0.slab == slab })
            else { return nil }
            let hit = entries.remove(at: i)
            entries.append(hit)
            return .some(hit.plane)
        }
        if let hit { return hit }
        let plane = compute()
        entries.withLock { entries in
            entries.append(Entry(stack: stack, orientation: o, index: index, slab: slab, plane: plane))
            entries.removeAll { $0.stack == nil }
            if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
        }
        return plane
    }
}
