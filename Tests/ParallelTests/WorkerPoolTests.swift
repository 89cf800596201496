import Foundation
import Synchronization
import SystemCalls
import XCTest
@testable import Parallel

/// `Parallel.perform` inside and outside a `WorkerPool`: every index exactly once, the pool's
/// threads at their nice value, a loop inside a loop run without waiting for itself, and the
/// caller's own priority untouched.
final class WorkerPoolTests: XCTestCase {
    /// Indices seen, and the nice value of the thread each ran on.
    final class Seen: Sendable {
        let runs = Mutex<[(index: Int, niceness: Int32)]>([])
        func add(_ i: Int) { runs.withLock { $0.append((i, SystemCall.currentThreadNiceness())) } }
        var indices: [Int] { runs.withLock { $0.map(\.index).sorted() } }
        var niceness: Set<Int32> { runs.withLock { Set($0.map(\.niceness)) } }
    }

    func testEveryIndexRunsOnceOnThePoolsNicedThreadsAndTheCallerKeepsItsPriority() {
        let base = SystemCall.currentThreadNiceness()
        let pool = WorkerPool(threads: 2, niceness: 5)
        let seen = Seen()
        pool.run {
            Parallel.perform(iterations: 500) { i in
                seen.add(i)
                Thread.sleep(forTimeInterval: 0.0005)  // long enough that the workers take some
            }
        }
        XCTAssertEqual(seen.indices, Array(0 ..< 500))
        XCTAssertTrue(seen.niceness.contains(min(19, base + 5)), "the pool's threads took part")
        XCTAssertEqual(pool.threadNiceness, [Int32](repeating: min(19, base + 5), count: 2))
        XCTAssertEqual(SystemCall.currentThreadNiceness(), base)
    }

    func testALoopInsideALoopRunsInline() {
        let pool = WorkerPool(threads: 2, niceness: 0)
        let total = Atomic<Int>(0)
        pool.run {
            Parallel.perform(iterations: 8) { _ in
                Parallel.perform(iterations: 10) { _ in total.wrappingAdd(1, ordering: .relaxed) }
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 80)
    }

    func testOutsideAPoolTheLoopRunsOnDispatchWorkers() {
        let pool = WorkerPool(threads: 2, niceness: 7)
        let seen = Seen()
        Parallel.perform(iterations: 64) { seen.add($0) }
        XCTAssertEqual(seen.indices, Array(0 ..< 64))
        XCTAssertFalse(seen.niceness.contains(pool.threadNiceness.first ?? -1), "no work went to the pool")
    }
}
