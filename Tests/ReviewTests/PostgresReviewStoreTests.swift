import Foundation
import TestSupport
import XCTest
@_spi(Testing) @testable import Review

/// The review store on a real PostgreSQL server: one throwaway cluster for the class (about 2 s to
/// make), a fresh database per test. Skipped, with the reason, only when the server binaries are
/// not installed.
final class PostgresReviewStoreTests: XCTestCase {
    nonisolated(unsafe) static var cluster: PostgresTestCluster?
    nonisolated(unsafe) static var unavailable: String?

    override class func setUp() {
        super.setUp()
        do { cluster = try PostgresTestCluster.start() }
        catch let e as PostgresTestCluster.Unavailable { unavailable = e.description }
        catch { unavailable = "FAILED to start a test cluster: \(error)" }
    }

    override class func tearDown() {
        cluster?.stop()
        cluster = nil
        super.tearDown()
    }

    var cluster: PostgresTestCluster!

    override func setUpWithError() throws {
        if let unavailable = Self.unavailable {
            if unavailable.hasPrefix("FAILED") { XCTFail(unavailable) }
            throw XCTSkip(unavailable)
        }
        cluster = try XCTUnwrap(Self.cluster)
    }

    func testMigrationsRunOnceAndASecondOpenIsANoOp() throws {
        let url = try cluster.createDatabaseWithPasswordFile()
        let store = try ReviewStore.open(url)
        XCTAssertEqual(store.schemaVersion, Migrations.all(for: .postgres).count)
        XCTAssertEqual(try store.rawQuery("SELECT count(*) FROM lightbox_schema"), [["1"]])
        try store.recordDecision(reader: "alice", studyUID: "S", finding: ReviewStoreBehaviours.finding(), decision: .accept)
        let again = try ReviewStore.open(url)
        XCTAssertEqual(again.schemaVersion, Migrations.all(for: .postgres).count)
        XCTAssertEqual(try again.decisions().count, 1)
        XCTAssertFalse(store.path.contains("password_file"), "the shown location has no options: \(store.path)")
        XCTAssertTrue(store.path.hasPrefix("postgresql://lightbox@127.0.0.1:"))
    }

    func testStoreBehavioursOnPostgreSQL() throws {
        try ReviewStoreBehaviours.check(ReviewStore.open(cluster.createDatabaseWithPasswordFile()))
    }

    func testDecisionsAndAuditAreAppendOnlyInTheDatabase() throws {
        let store = try ReviewStore.open(cluster.createDatabaseWithPasswordFile())
        try store.recordDecision(reader: "alice", studyUID: "S", finding: ReviewStoreBehaviours.finding(), decision: .accept)
        try store.audit(reader: "alice", action: "open", studyUID: "S")
        for sql in ["UPDATE decisions SET decision = 'reject'", "DELETE FROM decisions", "TRUNCATE decisions",
                    "UPDATE audit SET reader = 'mallory'", "DELETE FROM audit", "DELETE FROM signoffs"] {
            XCTAssertThrowsError(try store.rawQuery(sql), sql) { error in
                XCTAssertEqual((error as? PostgresError)?.sqlState, "42501", "\(error)")
                XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
            }
        }
        XCTAssertEqual(try store.decisions().map(\.decision), ["accept"])
    }

    /// Two workstations (two connections) deciding the same finding at the same moment: both rows
    /// are kept, each with its reader.
    func testTwoConnectionsDecidingTheSameFindingAtOnce() throws {
        let url = try cluster.createDatabaseWithPasswordFile()
        let a = try ReviewStore.open(url), b = try ReviewStore.open(url)
        let n = 40
        let errors = ErrorLog()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let (store, reader) = k == 0 ? (a, "alice") : (b, "bob")
            for i in 0 ..< n {
                do {
                    try store.recordDecision(reader: reader, studyUID: "S", finding: ReviewStoreBehaviours.finding(),
                                             decision: i % 2 == 0 ? .accept : .reject)
                    if i % 10 == 0 {   // a transaction (two rows) interleaved with the other's single writes
                        try store.recordReveal(reader: reader, studyUID: "S", discordances: [])
                    }
                } catch { errors.add("\(error)") }
            }
        }
        XCTAssertEqual(errors.all, [])
        let rows = try a.decisions(studyUID: "S")
        XCTAssertEqual(rows.count, 2 * n)
        XCTAssertEqual(rows.filter { $0.reader == "alice" }.count, n)
        XCTAssertEqual(rows.filter { $0.reader == "bob" }.count, n)
        XCTAssertEqual(Set(rows.map(\.findingKey)), ["m:1"])
        XCTAssertEqual(try b.effectiveDecisions(studyUID: "S", reader: "bob")["m:1"]?.decision, "reject")
    }

    /// `pg_ctl restart` between two decisions: the second one reconnects and is stored.
    func testDecisionAfterServerRestartReconnects() throws {
        let store = try ReviewStore.open(cluster.createDatabaseWithPasswordFile())
        try store.recordDecision(reader: "alice", studyUID: "S", finding: ReviewStoreBehaviours.finding(), decision: .accept)
        try store.beginReading(studyUID: "S", reader: "alice")
        try cluster.restart()
        try store.recordDecision(reader: "alice", studyUID: "S", finding: ReviewStoreBehaviours.finding("m:2"), decision: .reject)
        XCTAssertEqual(try store.decisions().map(\.findingKey), ["m:1", "m:2"])
        // The reading claim was made again on the new session.
        let other = try ReviewStore.open(cluster.url(String(store.path.split(separator: "/").last!)) + "?password_file=" + cluster.passwordFile)
        XCTAssertEqual(try other.readingNow()["S"], ["alice"])
    }

    func testReadingClaimsFollowTheSessionThatHoldsThem() throws {
        let url = try cluster.createDatabaseWithPasswordFile()
        var alice: ReviewStore? = try ReviewStore.open(url)
        let bob = try ReviewStore.open(url)
        XCTAssertEqual(try alice!.beginReading(studyUID: "S", reader: "alice"), ReadingClaim(held: true, otherReaders: []))
        XCTAssertEqual(try alice!.beginReading(studyUID: "S", reader: "alice").held, true, "claiming again is a no-op")
        XCTAssertEqual(try bob.beginReading(studyUID: "S", reader: "bob"), ReadingClaim(held: false, otherReaders: ["alice"]))
        XCTAssertEqual(try bob.readingNow(), ["S": ["alice"]])
        XCTAssertEqual(try alice!.readingNow(), [:], "one's own claims are not listed")
        try alice!.endReading(studyUID: "S")
        XCTAssertEqual(try bob.readingNow(), [:])
        try alice!.beginReading(studyUID: "T", reader: "alice")
        XCTAssertEqual(try bob.readingNow(), ["T": ["alice"]])
        // A workstation that goes away (killed: its connection closes) stops counting, row or not.
        alice = nil
        var now = try bob.readingNow()
        for _ in 0 ..< 50 where !now.isEmpty { usleep(20_000); now = try bob.readingNow() }
        XCTAssertEqual(now, [:])
        XCTAssertEqual(try bob.rawQuery("SELECT count(*) FROM reading WHERE study_uid = 'T'"), [["1"]])
    }

    func testMigrateCopiesALocalHistoryWithItsLinks() throws {
        let dir = NSTemporaryDirectory() + "lightbox-migrate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let local = try ReviewStore.open("sqlite:" + dir + "/review.sqlite")
        try ReviewStoreBehaviours.check(local)
        // A signed report names its sign-off: the copy must bring the sign-offs over first.
        try local.signOff(reader: "alice", studyUID: "R", assessment: "acute infarct", undecided: 0, forced: false,
                          report: ReportText(findings: "Restricted diffusion, left MCA.", impression: "Acute infarct."))
        let url = try cluster.createDatabaseWithPasswordFile()
        let server = try ReviewStore.open(url)
        let counts = try ReviewStoreTransfer.copy(from: local, to: server)
        XCTAssertEqual(counts.first { $0.table == "decisions" }?.rows, 4)
        XCTAssertEqual(try server.decisions(), try local.decisions())
        XCTAssertEqual(try server.reviewedFindings(studyUID: "S", reader: "alice"), try local.reviewedFindings(studyUID: "S", reader: "alice"))
        XCTAssertEqual(try server.keyImages(studyUID: "S", reader: "alice"), try local.keyImages(studyUID: "S", reader: "alice"))
        XCTAssertEqual(try server.signoffs(), try local.signoffs())
        XCTAssertEqual(try server.reports(studyUID: "R", reader: "alice"), try local.reports(studyUID: "R", reader: "alice"))
        XCTAssertEqual(try server.auditTrail(), try local.auditTrail())
        XCTAssertEqual(try server.session(reader: "alice"), try local.session(reader: "alice"))
        // Ids continue above the copied ones.
        let next = try server.recordDecision(reader: "alice", studyUID: "S", finding: ReviewStoreBehaviours.finding("m:3"), decision: .accept)
        XCTAssertEqual(next, (try local.decisions().map(\.id).max() ?? 0) + 1)
        // A second copy into the now non-empty target is refused, and writes nothing.
        XCTAssertThrowsError(try ReviewStoreTransfer.copy(from: local, to: server)) { error in
            XCTAssertTrue("\(error)".contains("not empty"), "\(error)")
        }
        XCTAssertEqual(try server.decisions().count, 5)
    }

    func testPasswordsNeverAppearInErrorsOrTheShownLocation() throws {
        let name = String(try cluster.createDatabase().split(separator: "/").last!)
        let dir = NSTemporaryDirectory() + "lightbox-pw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A wrong password: refused by the server; the message names the server, not the password.
        let wrong = dir + "/wrong"
        _ = FileManager.default.createFile(atPath: wrong, contents: Data("not-the-Password-42\n".utf8), attributes: [.posixPermissions: 0o600])
        XCTAssertThrowsError(try ReviewStore.open(cluster.url(name) + "?password_file=" + wrong)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("cannot connect to the review database"), text)
            XCTAssertFalse(text.contains("not-the-Password-42"), text)
            XCTAssertFalse(text.contains(wrong), "the option is not in the shown URL: \(text)")
        }
        // A password file others can read is refused before connecting.
        let open = dir + "/open"
        _ = FileManager.default.createFile(atPath: open, contents: Data(cluster.password.utf8), attributes: [.posixPermissions: 0o644])
        XCTAssertThrowsError(try ReviewStore.open(cluster.url(name) + "?password_file=" + open)) { error in
            XCTAssertTrue("\(error)".contains("chmod 600"), "\(error)")
            XCTAssertFalse("\(error)".contains(cluster.password), "\(error)")
        }
        // A password in the URL is refused, and not repeated.
        XCTAssertThrowsError(try ReviewStore.open("postgresql://lightbox:\(cluster.password)@127.0.0.1:\(cluster.port)/\(name)")) { error in
            XCTAssertFalse("\(error)".contains(cluster.password), "\(error)")
        }
        // A statement error on a good connection carries no password either.
        let store = try ReviewStore.open(cluster.url(name) + "?password_file=" + cluster.passwordFile)
        XCTAssertThrowsError(try store.rawQuery("SELECT no_such_column FROM decisions")) { error in
            XCTAssertFalse("\(error)".contains(cluster.password), "\(error)")
        }
        XCTAssertEqual(ReviewLocation.display(cluster.url(name) + "?password_file=/x&sslmode=disable"), cluster.url(name))
    }

    func testPlaceholdersAreTranslatedOutsideLiteralsOnly() {
        XCTAssertEqual(PostgresPlaceholders.translate("SELECT ?, '?', \"a?\", ?2 -- ?\n, ?"), "SELECT $1, '?', \"a?\", $2 -- ?\n, $3")
        XCTAssertEqual(PostgresPlaceholders.translate("WHERE (?1 IS NULL OR s = ?1) AND x = 'it''s ?'", parameters: [.null]),
                       "WHERE ($1::text IS NULL OR s = $1) AND x = 'it''s ?'")
        XCTAssertEqual(PostgresPlaceholders.translate("WHERE ?1 IS  NOT NULL AND ?2 IS NULL AND ?3 ISNULL", parameters: [.int(1), .double(2), .text("")]),
                       "WHERE $1::bigint IS  NOT NULL AND $2::double precision IS NULL AND $3 ISNULL")
    }
}
