import Foundation
import Review
import TestSupport
import XCTest
@testable import Workstation

/// Two readers on one real PostgreSQL store: when A opens a study, B's poller posts it to B's
/// inbox within the poll interval (what the worklist shows as "[reading: alice]"), and when A
/// closes it, the next poll says so. On SQLite the poller does nothing.
final class ReadingPollerTests: XCTestCase {
    func testAnotherReadersOpenStudyReachesTheInboxAndLeavesIt() throws {
        let cluster: PostgresTestCluster
        do { cluster = try PostgresTestCluster.start() } catch let e as PostgresTestCluster.Unavailable { throw XCTSkip(e.description) }
        defer { cluster.stop() }
        let url = try cluster.createDatabaseWithPasswordFile()
        let a = try ReviewStore.open(url), b = try ReviewStore.open(url)
        let inbox = Inbox()
        let poller = ReadingPoller(store: b, inbox: inbox)
        poller.start()
        defer { poller.stop() }
        _ = try a.beginReading(studyUID: "1.2.3", reader: "alice")
        func wait(for expected: [String: [String]]) -> Bool {
            let deadline = Date().addingTimeInterval(ReadingPoller.interval * 3)
            while Date() < deadline {
                for case .readingElsewhere(let now) in inbox.drain() where now == expected { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
        XCTAssertTrue(wait(for: ["1.2.3": ["alice"]]), "B sees alice reading 1.2.3")
        try a.endReading(studyUID: "1.2.3")
        XCTAssertTrue(wait(for: [:]), "and sees her leave")
    }

    func testLocalStoreHasNoPoller() throws {
        let dir = NSTemporaryDirectory() + "lightbox-poller-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try ReviewStore(path: dir + "/review.sqlite")
        XCTAssertFalse(store.isShared)
        let inbox = Inbox()
        ReadingPoller(store: store, inbox: inbox).start()
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertTrue(inbox.drain().isEmpty)
    }
}
