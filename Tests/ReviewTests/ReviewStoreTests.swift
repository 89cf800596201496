import Analysis
import Foundation
import XCTest
@_spi(Testing) @testable import Review

final class ReviewStoreTests: XCTestCase {
    var dir: String!
    var path: String { (dir as NSString).appendingPathComponent("review.sqlite") }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "lightbox-review-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func finding(_ key: String = "m:1") -> ReviewFinding {
        ReviewFinding(key: key, origin: .ai, label: "nodule", probability: 0.9, risk: .high, seriesUID: "1.2.3", sopUID: "1.2.3.4",
                      centerX: 10, centerY: 20, slice: 4, width: 6, height: 6, diameterMM: 8.5,
                      model: ModelIdentity(id: "lung-nodule", version: "1.0", sha256: "abc"))
    }

    func testMigratesOnceAndUsesWAL() throws {
        let store = try ReviewStore(path: path)
        XCTAssertEqual(store.schemaVersion, Migrations.all(for: .sqlite).count)
        XCTAssertEqual(try store.rawQuery("PRAGMA journal_mode").first?.first, "wal")
        // Reopening does not re-run migrations (they would fail: tables exist).
        let again = try ReviewStore(path: path)
        XCTAssertEqual(again.schemaVersion, Migrations.all(for: .sqlite).count)
    }

    private func mode(_ file: String) throws -> Int {
        try XCTUnwrap((try FileManager.default.attributesOfItem(atPath: file))[.posixPermissions] as? Int)
    }

    func testDatabaseAndItsWALAreReadableByTheOwnerOnly() throws {
        let store = try ReviewStore(path: path)
        _ = try store.recordDecision(reader: "r", studyUID: "1.2", finding: finding(), decision: .accept)
        XCTAssertEqual(try mode(path), 0o600)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"))
        XCTAssertEqual(try mode(path + "-wal"), 0o600, "SQLite gives the WAL the database's mode")
        // An existing world-readable database (an older version made them 0644) is tightened on open.
        let old = (dir as NSString).appendingPathComponent("old.sqlite")
        FileManager.default.createFile(atPath: old, contents: nil, attributes: [.posixPermissions: 0o644])
        _ = try ReviewStore(path: old)
        XCTAssertEqual(try mode(old), 0o600)
        // A folder the store creates is the owner's only.
        let nested = (dir as NSString).appendingPathComponent("fresh/lightbox/review.sqlite")
        _ = try ReviewStore(path: nested)
        XCTAssertEqual(try mode((nested as NSString).deletingLastPathComponent), 0o700)
    }

    func testDecisionRowCarriesEverything() throws {
        let store = try ReviewStore(path: path)
        try store.recordDecision(reader: "alice", studyUID: "S", finding: finding(), decision: .reject, reason: "artefact")
        let rows = try store.rawQuery("SELECT reader, study_uid, series_uid, sop_uid, finding_key, model_id, model_version, model_sha256, decision, reason, center_x, center_y, diameter_mm FROM decisions")
        XCTAssertEqual(rows, [["alice", "S", "1.2.3", "1.2.3.4", "m:1", "lung-nodule", "1.0", "abc", "reject", "artefact", "10.0", "20.0", "8.5"]])
        XCTAssertFalse(try store.rawQuery("SELECT at FROM decisions")[0][0].isEmpty)
    }

    func testUndoAppendsAndRestoresThePreviousDecision() throws {
        let store = try ReviewStore(path: path)
        try store.recordDecision(reader: "alice", studyUID: "S", finding: finding(), decision: .accept)
        let second = try store.recordDecision(reader: "alice", studyUID: "S", finding: finding(), decision: .reject, reason: "benign")
        XCTAssertEqual(try store.effectiveDecisions(studyUID: "S", reader: "alice")["m:1"]?.decision, "reject")
        try store.undoDecision(id: second, reader: "alice")
        XCTAssertEqual(try store.effectiveDecisions(studyUID: "S", reader: "alice")["m:1"]?.decision, "accept")
        XCTAssertEqual(try store.decisions().count, 3, "undo is a new row; nothing is deleted")
    }

    func testAuditAndDecisionsAreAppendOnly() throws {
        let store = try ReviewStore(path: path)
        try store.audit(reader: "alice", action: "open", studyUID: "S")
        try store.recordDecision(reader: "alice", studyUID: "S", finding: finding(), decision: .accept)
        XCTAssertThrowsError(try store.rawQuery("UPDATE audit SET reader = 'mallory'"))
        XCTAssertThrowsError(try store.rawQuery("DELETE FROM audit"))
        XCTAssertThrowsError(try store.rawQuery("UPDATE decisions SET decision = 'reject'"))
        XCTAssertThrowsError(try store.rawQuery("DELETE FROM decisions"))
        XCTAssertEqual(try store.auditTrail().map(\.action), ["open"])
    }

    func testSignoffsAreAppendOnly() throws {
        let store = try ReviewStore(path: path)
        try store.signOff(reader: "alice", studyUID: "S", assessment: "normal", undecided: 0, forced: false)
        XCTAssertThrowsError(try store.rawQuery("UPDATE signoffs SET assessment = 'abnormal'"))
        XCTAssertThrowsError(try store.rawQuery("DELETE FROM signoffs"))
        XCTAssertEqual(try store.signoffs().map(\.assessment), ["normal"])
    }

    /// The PostgreSQL spelling of the schema differs from SQLite's only in the identity key and the
    /// trigger bodies: one list of migrations, no second copy.
    func testMigrationsDifferOnlyInDialectSpellings() {
        let sqlite = Migrations.all(for: .sqlite), postgres = Migrations.all(for: .postgres)
        XCTAssertEqual(sqlite.count, postgres.count)
        XCTAssertFalse(postgres.joined().contains("AUTOINCREMENT"))
        XCTAssertFalse(postgres.joined().contains("RAISE(ABORT"))
        XCTAssertTrue(postgres[0].contains("GENERATED ALWAYS AS IDENTITY"))
        // audit, decisions, 5 screening and teaching tables, signoffs, key_images, reports, prior_links.
        XCTAssertEqual(postgres.joined().components(separatedBy: "EXECUTE FUNCTION lightbox_append_only()").count - 1, 11)
    }

    func testReaderFindingsSignoffsStatusesAndSession() throws {
        let store = try ReviewStore(path: path)
        XCTAssertNil(try store.session(reader: "alice"))
        let mark = ReaderFindingRecord(key: "r1", studyUID: "S", seriesUID: "1.2", sopUID: "1.2.1", label: "missed nodule",
                                       kind: .box, x: 5, y: 6, width: 3, height: 4, slice: 2)
        try store.addReaderFinding(mark, reader: "alice")
        XCTAssertEqual(try store.statuses(reader: "alice"), ["S": .inProgress])
        try store.removeReaderFinding(key: "r1")
        XCTAssertEqual(try store.readerFindings(studyUID: "S").count, 0)
        XCTAssertEqual(try store.readerFindings(studyUID: "S", includeRemoved: true).first?.removed, true)
        try store.signOff(reader: "alice", studyUID: "S", assessment: "benign", undecided: 1, forced: true)
        XCTAssertEqual(try store.statuses(reader: "alice"), ["S": .signed])
        XCTAssertEqual(try store.statuses(reader: "bob"), [:])
        try store.saveSession(reader: "alice", SessionState(studyUID: "S", seriesUID: "1.2", slice: 7, screen: "viewer"))
        try store.saveSession(reader: "alice", SessionState(studyUID: "S", seriesUID: "1.2", slice: 9, screen: "viewer"))
        XCTAssertEqual(try ReviewStore(path: path).session(reader: "alice")?.slice, 9)
    }

    /// Two connections (as two readers' processes would have) writing at once: nothing is lost,
    /// nobody sees "database is locked".
    func testConcurrentWritersOnOneFile() throws {
        let a = try ReviewStore(path: path), b = try ReviewStore(path: path)
        let n = 200
        let findings = (0 ..< n).map { finding("f\($0)") }
        let errors = ErrorLog()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let store = k == 0 ? a : b
            for i in 0 ..< n {
                do {
                    try store.recordDecision(reader: k == 0 ? "alice" : "bob", studyUID: "S", finding: findings[i], decision: .accept)
                    try store.audit(reader: k == 0 ? "alice" : "bob", action: "tick")
                } catch {
                    errors.add("\(error)")
                }
            }
        }
        XCTAssertEqual(errors.all, [])
        XCTAssertEqual(try a.decisions().count, 2 * n)
        XCTAssertEqual(try b.auditTrail().count, 2 * n)
    }

    /// A second process (the sqlite3 shell) writing while this one holds the database open.
    func testSeparateProcessSeesCommittedRows() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("no sqlite3 shell") }
        let store = try ReviewStore(path: path)
        try store.recordDecision(reader: "alice", studyUID: "S", finding: finding(), decision: .accept)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = ["-cmd", ".timeout 5000", path, "INSERT INTO audit (at, reader, action) VALUES ('now', 'bob', 'open'); SELECT count(*) FROM decisions;"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), "1")
        XCTAssertEqual(try store.auditTrail().map(\.reader), ["bob"])
    }

    func testDefaultPathFollowsEnvironment() {
        XCTAssertEqual(ReviewStore.defaultPath(environment: ["XDG_DATA_HOME": "/x"]), "/x/lightbox/review.sqlite")
        XCTAssertEqual(ReviewStore.defaultPath(environment: ["LIGHTBOX_REVIEW_DB": "/y.db", "XDG_DATA_HOME": "/x"]), "/y.db")
        XCTAssertEqual(ReviewStore.defaultPath(environment: ["HOME": "/h"]), "/h/.local/share/lightbox/review.sqlite")
    }
}

final class ErrorLog: @unchecked Sendable {
    private var items: [String] = []
    private let lock = NSLock()
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
