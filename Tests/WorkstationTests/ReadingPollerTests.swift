import Foundation
import Review
import TestSupport
import XCTest
@testable import Workstation

/// Two readers on one real PostgreSQL store: when A opens a study, B's poller posts it to B's
/// inbox within the poll interval (what the worklist shows as "[reading: alice]"), and when A
/// closes it, the next poll says so; A's reveal, sign-off and an arbitration reach B's worklist
/// (statuses, discordance queue) the same way. On SQLite the poller does nothing.
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

    /// The worklist follows another workstation within the poll interval: the arbitrator's queue
    /// gains the study A revealed with discordances and loses it when arbitrated elsewhere, and a
    /// sign-off under the same reader name at another workstation turns the study "signed".
    func testAnotherWorkstationsRevealAndSignOffReachTheWorklist() throws {
        let cluster: PostgresTestCluster
        do { cluster = try PostgresTestCluster.start() } catch let e as PostgresTestCluster.Unavailable { throw XCTSkip(e.description) }
        defer { cluster.stop() }
        let url = try cluster.createDatabaseWithPasswordFile()
        let a = try ReviewStore.open(url), b = try ReviewStore.open(url), c = try ReviewStore.open(url)
        let arbiterInbox = Inbox(), readerInbox = Inbox()
        let arbiter = ReadingPoller(store: b, inbox: arbiterInbox, worklist: .init(reader: "carol", workflow: .arbitration))
        let sameReader = ReadingPoller(store: c, inbox: readerInbox, worklist: .init(reader: "alice", workflow: .secondReader))
        arbiter.start(); sameReader.start()
        defer { arbiter.stop(); sameReader.stop() }
        Thread.sleep(forTimeInterval: 0.5)  // the first poll only remembers the store as it is
        func wait(_ inbox: Inbox, _ what: String, _ match: (Message) -> Bool) {
            let started = Date(), deadline = started.addingTimeInterval(ReadingPoller.interval * 3)
            while Date() < deadline {
                if inbox.drain().contains(where: match) { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            XCTFail("\(what) did not arrive within \(ReadingPoller.interval * 3) s")
        }
        try a.recordReveal(reader: "alice", studyUID: "1.2.3", discordances: [
            DiscordanceRecord(reader: "alice", studyUID: "1.2.3", findingKey: "ai:1", kind: .aiOnly, label: "mass", sopUID: "1.2.3.4", x: 1, y: 2)])
        wait(arbiterInbox, "the arbitrator's queue with 1.2.3") { if case .discordanceQueue(let q) = $0 { return q == ["1.2.3"] }; return false }
        wait(readerInbox, "alice's reveal at the other workstation") { if case .revealedStudies(let r) = $0 { return r == ["1.2.3"] }; return false }
        _ = try a.signOff(reader: "alice", studyUID: "1.2.3", assessment: "R BI-RADS 1 / L BI-RADS 4", undecided: 0, forced: false)
        wait(readerInbox, "alice's sign-off at the other workstation") { if case .statuses(let s) = $0 { return s["1.2.3"] == .signed }; return false }
        _ = try a.recordScreeningEvent(ScreeningEvent(reader: "dave", studyUID: "1.2.3", kind: .arbitrate, rightBIRADS: 1, leftBIRADS: 1))
        wait(arbiterInbox, "the arbitrator's queue without 1.2.3") { if case .discordanceQueue(let q) = $0 { return q.isEmpty }; return false }
        // Nothing changed since: nothing more is posted.
        _ = arbiterInbox.drain()
        Thread.sleep(forTimeInterval: ReadingPoller.interval * 1.5)
        XCTAssertTrue(arbiterInbox.drain().isEmpty)
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
