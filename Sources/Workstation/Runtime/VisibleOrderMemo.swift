import Synchronization

/// The last `AppState.visibleOrder` worked out, with the version of the inputs it was worked out
/// from.
///
/// Filtering and sorting 20,000 studies took about 25 ms, and the view asked for the order on
/// every frame, so every key press in the worklist paid it (p95 52 ms with the machine idle).
/// Now it is worked out again only when an input changed: each change to an input gives the state
/// a version no other state has ever had (`nextVersion`), so two copies of a state that changed
/// differently can never be mistaken for one another.
final class VisibleOrderMemo: Sendable {
    private let memo = Mutex<(version: UInt64, order: [Int])?>(nil)
    private static let versions = Atomic<UInt64>(0)

    /// A version number never handed out before in this process.
    static func nextVersion() -> UInt64 { versions.wrappingAdd(1, ordering: .relaxed).newValue }

    /// The order for `version`, from the memo or from `make` (then remembered).
    func order(version: UInt64, make: () -> [Int]) -> [Int] {
        if let hit = memo.withLock({ $0?.version == version ? $0?.order : nil }) { return hit }
        let order = make()
        memo.withLock { $0 = (version, order) }
        return order
    }
}
