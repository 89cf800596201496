import Analysis
import XCTest
@_spi(Testing) @testable import Review

/// The store's essential behaviours, written once and run against every backend (SQLite in
/// `ReviewStoreBehaviourTests`, PostgreSQL in `PostgresReviewStoreTests`): decisions with undo and
/// correction, reader findings, sign-off and status, session, reviewed findings, key images,
/// teaching marks, screening reveals, exact doubles, and a `?` inside a string literal.
enum ReviewStoreBehaviours {
    static func finding(_ key: String = "m:1", probability: Double = 0.9) -> ReviewFinding {
        ReviewFinding(key: key, origin: .ai, label: "nodule", probability: probability, risk: .high, seriesUID: "1.2.3", sopUID: "1.2.3.4",
                      centerX: 10, centerY: 20, slice: 4, width: 6, height: 6, diameterMM: 8.5,
                      model: ModelIdentity(id: "lung-nodule", version: "1.0", sha256: "abc"))
    }

    static func check(_ store: ReviewStore, file: StaticString = #filePath, line: UInt = #line) throws {
        // Decisions: record, undo, correct; the decision in force.
        let first = try store.recordDecision(reader: "alice", studyUID: "S", finding: finding(probability: 0.87), decision: .accept)
        let second = try store.recordDecision(reader: "alice", studyUID: "S", finding: finding(), decision: .reject, reason: "why? 'benign'")
        XCTAssertGreaterThan(second, first, file: file, line: line)
        XCTAssertEqual(try store.effectiveDecisions(studyUID: "S", reader: "alice")["m:1"]?.reason, "why? 'benign'", file: file, line: line)
        let undo = try store.undoDecision(id: second, reader: "alice")
        XCTAssertEqual(try store.decisions(studyUID: "S").last?.undoes, second, file: file, line: line)
        XCTAssertEqual(try store.decisions(studyUID: "S").last?.id, undo, file: file, line: line)
        XCTAssertEqual(try store.effectiveDecisions(studyUID: "S", reader: "alice")["m:1"]?.decision, "accept", file: file, line: line)
        try store.recordDecision(reader: "alice", studyUID: "S", finding: finding("m:2"), decision: .correct,
                                 correction: Correction(label: "granuloma", risk: "low", diameterMM: 4.25))
        XCTAssertEqual(try store.decisions().count, 4, file: file, line: line)
        XCTAssertEqual(try store.decisions(reader: "bob").count, 0, file: file, line: line)
        XCTAssertEqual(try store.rawQuery("SELECT probability FROM decisions WHERE id = \(first)"), [["0.87"]], "doubles round-trip exactly", file: file, line: line)

        // Reader findings, sign-off, statuses, session.
        let mark = ReaderFindingRecord(key: "r1", studyUID: "S", seriesUID: "1.2.3", sopUID: "1.2.3.4", label: "missed nodule",
                                       kind: .box, x: 5, y: 6, width: 3, height: 4, slice: 2)
        try store.addReaderFinding(mark, reader: "alice")
        try store.addReaderFinding(ReaderFindingRecord(key: "r2", studyUID: "S", seriesUID: "1.2.3", sopUID: "1.2.3.4",
                                                       label: "gone", kind: .point, x: 1, y: 1, slice: 0), reader: "alice")
        try store.removeReaderFinding(key: "r2")
        XCTAssertEqual(try store.readerFindings(studyUID: "S").map(\.key), ["r1"], file: file, line: line)
        XCTAssertEqual(try store.readerFindings(studyUID: "S", includeRemoved: true).map(\.removed), [false, true], file: file, line: line)
        XCTAssertEqual(try store.statuses(reader: "alice"), ["S": .inProgress], file: file, line: line)
        try store.signOff(reader: "alice", studyUID: "S", assessment: "benign", undecided: 1, forced: true)
        XCTAssertEqual(try store.statuses(reader: "alice"), ["S": .signed], file: file, line: line)
        XCTAssertEqual(try store.signoffs(studyUID: "S").map(\.forced), [true], file: file, line: line)
        try store.saveSession(reader: "alice", SessionState(studyUID: "S", seriesUID: "1.2.3", slice: 7, screen: "viewer"))
        try store.saveSession(reader: "alice", SessionState(studyUID: "S", seriesUID: "1.2.3", slice: 9, screen: "viewer"))
        XCTAssertEqual(try store.session(reader: "alice")?.slice, 9, file: file, line: line)
        try store.audit(reader: "alice", action: "sign", studyUID: "S", detail: "benign")
        XCTAssertEqual(try store.auditTrail(studyUID: "S").map(\.action), ["sign"], file: file, line: line)

        // Reviewed findings: the accepted AI finding, the corrected one, the reader's mark.
        let reviewed = try store.reviewedFindings(studyUID: "S", reader: "alice")
        XCTAssertEqual(reviewed.map(\.outcome), [.accepted, .corrected, .addedByReader], file: file, line: line)
        XCTAssertEqual(reviewed[1].label, "granuloma", file: file, line: line)
        XCTAssertEqual(reviewed[1].diameterMM, 4.25, file: file, line: line)
        XCTAssertEqual(reviewed[0].probability, 0.87, file: file, line: line)
        XCTAssertEqual(try store.readers(studyUID: "S"), ["alice"], file: file, line: line)

        // Key images (append-only removal rows), teaching marks, a screening reveal.
        try store.addKeyImage(KeyImageRecord(reader: "alice", studyUID: "S", seriesUID: "1.2.3", sopUID: "1.2.3.4", note: "key"))
        try store.addKeyImage(KeyImageRecord(reader: "alice", studyUID: "S", seriesUID: "1.2.3", sopUID: "1.2.3.5", note: "other"))
        XCTAssertEqual(try store.removeKeyImage(reader: "alice", studyUID: "S", sopUID: "1.2.3.5"), 1, file: file, line: line)
        XCTAssertEqual(try store.keyImages(studyUID: "S", reader: "alice").map(\.sopUID), ["1.2.3.4"], file: file, line: line)
        try store.startTeachingSession(TeachingSessionRecord(key: "T1", trainee: "tess", mode: "unknown", order: "fixed", seed: 1 << 40, cases: 2))
        try store.addTeachingMark(session: "T1", mark)
        try store.removeTeachingMark(session: "T1", key: "r1")
        XCTAssertEqual(try store.teachingMarks(session: "T1", studyUID: "S").count, 0, file: file, line: line)
        try store.recordReveal(reader: "bob", studyUID: "S2", discordances: [
            DiscordanceRecord(reader: "bob", studyUID: "S2", findingKey: "m:9", kind: .aiOnly, label: "mass", seriesUID: "", sopUID: "",
                              x: 1, y: 2, width: 3, height: 4, laterality: "L", probability: 0.5),
        ])
        XCTAssertEqual(try store.discordanceQueue().map(\.studyUID), ["S2"], file: file, line: line)
    }
}

final class ReviewStoreBehaviourTests: XCTestCase {
    func testBehavioursOnSQLite() throws {
        let dir = NSTemporaryDirectory() + "lightbox-behaviours-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ReviewStoreBehaviours.check(ReviewStore.open("sqlite:" + dir + "/review.sqlite"))
    }
}
