import Foundation
import Synchronization
import XCTest
@testable import Inference

/// The threads that share an operator's chunks: each chunk runs exactly once, some on a helper,
/// and a caller never waits on a job that is not its own.
final class ChunkTeamTests: XCTestCase {
    func testEveryChunkRunsOnceAndHelpersTakeSome() throws {
        let team = try XCTUnwrap(ChunkTeam.forCurrentThread(threads: 2))
        XCTAssertIdentical(team, ChunkTeam.forCurrentThread(threads: 2), "one team per niceness and size")
        XCTAssertNil(ChunkTeam.forCurrentThread(threads: 1), "one thread needs no team")
        let caller = pthread_self()
        let counts = Mutex<[Int]>(Array(repeating: 0, count: 64))
        let onHelper = Atomic<Int>(0)
        // Chunks long enough (about 1 ms) that a helper woken by the first is there for later ones.
        for _ in 0 ..< 20 {
            team.forEach(chunks: 64) { k in
                let until = DispatchTime.now().uptimeNanoseconds + 20_000
                while DispatchTime.now().uptimeNanoseconds < until {}
                counts.withLock { $0[k] += 1 }
                if pthread_equal(pthread_self(), caller) == 0 { onHelper.add(1, ordering: .relaxed) }
            }
        }
        XCTAssertEqual(counts.withLock { $0 }, Array(repeating: 20, count: 64), "each chunk exactly once per job")
        XCTAssertGreaterThan(onHelper.load(ordering: .relaxed), 0, "the helper claimed chunks")
    }

    /// A second caller while the team is busy (two model instances side by side) runs its chunks
    /// itself instead of waiting: here the first job cannot finish until the second has.
    func testASecondCallerDoesNotWaitForTheTeam() throws {
        let team = try XCTUnwrap(ChunkTeam.forCurrentThread(threads: 2))
        let secondDone = DispatchSemaphore(value: 0)
        let firstStarted = DispatchSemaphore(value: 0)
        let seen = Mutex<Set<Int>>([])
        let other = Thread {
            firstStarted.wait()
            // Same niceness as the test thread, so the same team, which is busy.
            ChunkTeam.forCurrentThread(threads: 2)?.forEach(chunks: 8) { k in seen.withLock { _ = $0.insert(k) } }
            secondDone.signal()
        }
        other.start()
        team.forEach(chunks: 2) { k in
            guard k == 0 else { return }
            firstStarted.signal()
            XCTAssertEqual(secondDone.wait(timeout: .now() + 10), .success, "the second job ran while the first held the team")
        }
        XCTAssertEqual(seen.withLock { $0 }, Set(0 ..< 8))
    }

    func testRangesCoverTheCountInOrderWithoutOverlap() {
        for (count, parts, minimum) in [(0, 4, 1), (1, 4, 1), (10, 4, 1), (10, 4, 6), (1000, 4, 100), (7, 3, 2)] {
            let ranges = Mutex<[Range<Int>]>([])
            ChunkTeam.forEach(count: count, parts: parts, minimum: minimum, threads: 2) { r in ranges.withLock { $0.append(r) } }
            let sorted = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
            XCTAssertEqual(sorted.flatMap { Array($0) }, Array(0 ..< count), "count \(count), parts \(parts), minimum \(minimum)")
            XCTAssertLessThanOrEqual(sorted.count, parts)
            if sorted.count > 1 { XCTAssertTrue(sorted.allSatisfy { $0.count >= minimum || $0 == sorted.last }) }
        }
    }
}
