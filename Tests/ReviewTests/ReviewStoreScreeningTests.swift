import Foundation
import XCTest
@_spi(Testing) @testable import Review

/// Migration 2: second-reader events, discordances, the arbitration queue, statistics and
/// teaching rows — all append-only.
final class ReviewStoreScreeningTests: XCTestCase {
    var dir: String!
    var path: String { (dir as NSString).appendingPathComponent("review.sqlite") }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "lightbox-screening-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func item(_ key: String, _ kind: DiscordanceRecord.Kind, study: String = "S1", reader: String = "alice") -> DiscordanceRecord {
        DiscordanceRecord(reader: reader, studyUID: study, findingKey: key, kind: kind, label: key, sopUID: "1.2", x: 3, y: 4, laterality: "L",
                          probability: kind == .aiOnly ? 0.8 : nil)
    }

    func testVersionOneDatabaseUpgradesKeepingItsRows() throws {
        do {
            let old = try SQLiteConnection(path: path)
            try old.execute(Migrations.all(for: .sqlite)[0])
            try old.execute("PRAGMA user_version = 1")
            try old.execute("INSERT INTO signoffs (reader, at, study_uid, assessment) VALUES ('alice', 't', 'S0', 'normal')")
        }
        let store = try ReviewStore(path: path)
        XCTAssertEqual(store.schemaVersion, Migrations.all(for: .sqlite).count)
        XCTAssertEqual(try store.signoffs().map(\.assessment), ["normal"])
        XCTAssertEqual(try store.discordanceQueue(), [])
    }

    func testNewTablesAreAppendOnlyAndValidateBIRADS() throws {
        let store = try ReviewStore(path: path)
        XCTAssertEqual(store.schemaVersion, Migrations.all(for: .sqlite).count)
        try store.recordScreeningEvent(ScreeningEvent(reader: "alice", studyUID: "S1", kind: .assess, rightBIRADS: 1, leftBIRADS: 4))
        try store.recordReveal(reader: "alice", studyUID: "S1", discordances: [item("a", .aiOnly)])
        try store.startTeachingSession(TeachingSessionRecord(key: "k", trainee: "t", mode: "unknown", order: "fixed", seed: nil, cases: 3))
        try store.recordTeachingResult(TeachingResultRecord(sessionKey: "k", trainee: "t", studyUID: "S1", caseNumber: 1, mode: "unknown",
                                                            assessment: "", lesions: 1, hits: 1, misses: 0, falsePositives: 0))
        for table in ["screening_events", "discordances", "teaching_sessions", "teaching_results"] {
            XCTAssertThrowsError(try store.rawQuery("DELETE FROM \(table)"), table)
            XCTAssertThrowsError(try store.rawQuery("UPDATE \(table) SET at = 'x'"), table)
        }
        XCTAssertThrowsError(try store.recordScreeningEvent(ScreeningEvent(reader: "alice", studyUID: "S1", kind: .assess, rightBIRADS: 6, leftBIRADS: 1)))
        XCTAssertEqual(try store.screeningEvents(studyUID: "S1").map(\.kind), [.assess, .reveal])
        XCTAssertEqual(try store.screeningEvents(studyUID: "S1")[0].leftBIRADS, 4)
        let d = try store.discordances(studyUID: "S1")
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d[0].laterality, "L")
        XCTAssertEqual(d[0].probability, 0.8)
    }

    func testQueueUntilArbitratedAndStatistics() throws {
        let store = try ReviewStore(path: path)
        // S1: discordant, recall (L4). S2: concordant, routine (1/2). S3: read by someone else.
        for (uid, r, l, items) in [("S1", 1, 4, [item("a", .aiOnly), item("m", .readerOnly)]), ("S2", 1, 2, [])] {
            try store.recordScreeningEvent(ScreeningEvent(reader: "alice", studyUID: uid, kind: .start))
            try store.recordScreeningEvent(ScreeningEvent(reader: "alice", studyUID: uid, kind: .assess, rightBIRADS: r, leftBIRADS: l))
            try store.recordReveal(reader: "alice", studyUID: uid, discordances: items)
            try store.recordScreeningEvent(ScreeningEvent(reader: "alice", studyUID: uid, kind: .sign, rightBIRADS: r, leftBIRADS: l))
        }
        try store.recordReveal(reader: "bob", studyUID: "S3", discordances: [item("b", .aiOnly, study: "S3", reader: "bob")])
        var queue = try store.discordanceQueue()
        XCTAssertEqual(queue.map(\.studyUID), ["S1", "S3"])
        XCTAssertEqual(queue[0].aiOnly, 1)
        XCTAssertEqual(queue[0].readerOnly, 1)
        XCTAssertEqual(queue[0].readers, ["alice"])

        let stats = try store.screeningStats(reader: "alice")
        XCTAssertEqual(stats.studiesRead, 2)
        XCTAssertEqual(stats.recalls, 1)
        XCTAssertEqual(stats.recallRate, 0.5)
        XCTAssertEqual(stats.discordant, 1)
        XCTAssertEqual(stats.discordanceRate, 0.5)
        XCTAssertEqual(stats.secondsPerStudy.count, 2)
        XCTAssertTrue(stats.secondsPerStudy.allSatisfy { $0 >= 0 && $0 < 60 })
        XCTAssertTrue(stats.lines.contains { $0.hasPrefix("Recall rate: 50.0% (1 of 2") })
        XCTAssertEqual(try store.screeningStats(reader: "nobody").studiesRead, 0)

        try store.recordScreeningEvent(ScreeningEvent(reader: "carol", studyUID: "S1", kind: .arbitrate, rightBIRADS: 1, leftBIRADS: 2))
        queue = try store.discordanceQueue()
        XCTAssertEqual(queue.map(\.studyUID), ["S3"], "arbitrated studies leave the queue")
        XCTAssertEqual(try store.screeningStats(reader: "alice").studiesRead, 2, "arbitration does not change the first reader's figures")
    }

    /// The statistics screen divides by the studies read: none read gives 0 %, not NaN or a trap;
    /// a row whose time does not parse (written by another tool) is left out of the times.
    func testStatisticsWithNoStudiesAndUnparseableTimes() throws {
        let store = try ReviewStore(path: path)
        let empty = try store.screeningStats(reader: "nobody")
        XCTAssertEqual(empty.recallRate, 0)
        XCTAssertEqual(empty.discordanceRate, 0)
        XCTAssertNil(empty.meanSeconds)
        XCTAssertNil(empty.medianSeconds)
        XCTAssertTrue(empty.lines.contains("Recall rate: 0.0% (0 of 0; BI-RADS 0, 3, 4 or 5 in either breast)"), "\(empty.lines)")
        XCTAssertTrue(empty.lines.contains { $0.hasPrefix("Time per study: mean -, median -") }, "\(empty.lines)")
        XCTAssertFalse(empty.lines.joined().contains("nan"))
        _ = try store.rawQuery("INSERT INTO screening_events (reader, at, study_uid, event) VALUES ('dave', 'not a time', 'S9', 'start')")
        _ = try store.rawQuery("INSERT INTO screening_events (reader, at, study_uid, event, right_birads, left_birads) VALUES ('dave', '', 'S9', 'sign', 0, 1)")
        let odd = try store.screeningStats(reader: "dave")
        XCTAssertEqual(odd.studiesRead, 1)
        XCTAssertEqual(odd.recalls, 1, "BI-RADS 0 recalls")
        XCTAssertEqual(odd.secondsPerStudy, [])
    }

    func testMedianAndBIRADSRecallRule() {
        XCTAssertEqual((0 ... 5).filter(BIRADS.isRecall), [0, 3, 4, 5])
        let s = ScreeningStats(reader: "r", studiesRead: 4, recalls: 1, discordant: 0, secondsPerStudy: [10, 40, 20, 30])
        XCTAssertEqual(s.medianSeconds, 25)
        XCTAssertEqual(s.meanSeconds, 25)
    }

    func testTeachingMarksAreRemovedByAppendingAndResultsAreKeptPerTrainee() throws {
        let store = try ReviewStore(path: path)
        func mark(_ key: String) -> ReaderFindingRecord {
            ReaderFindingRecord(key: key, reader: "tina", studyUID: "S1", seriesUID: "1", sopUID: "1.2", label: key, kind: .point, x: 1, y: 2, slice: 0)
        }
        try store.addTeachingMark(session: "k1", mark("m1"))
        try store.addTeachingMark(session: "k1", mark("m2"))
        try store.addTeachingMark(session: "k2", mark("m3"))
        try store.removeTeachingMark(session: "k1", key: "m1")
        XCTAssertEqual(try store.teachingMarks(session: "k1", studyUID: "S1").map(\.key), ["m2"])
        XCTAssertEqual(try store.teachingMarks(session: "k2", studyUID: "S1").map(\.key), ["m3"], "sessions do not share marks")
        XCTAssertEqual(try store.rawQuery("SELECT count(*) FROM teaching_marks")[0][0], "4", "removal is a new row")
        XCTAssertThrowsError(try store.rawQuery("DELETE FROM teaching_marks"))
        for (t, hits) in [("tina", 1), ("tom", 0)] {
            try store.recordTeachingResult(TeachingResultRecord(sessionKey: "k1", trainee: t, studyUID: "S1", caseNumber: 1, mode: "unknown",
                                                                assessment: "benign", lesions: 1, hits: hits, misses: 1 - hits, falsePositives: 0))
        }
        XCTAssertEqual(try store.teachingResults(trainee: "tina").map(\.hits), [1])
        XCTAssertEqual(try store.teachingResults(trainee: "tom").first?.misses, 1)
        XCTAssertEqual(try store.teachingResults(session: "k1").count, 2)
    }
}
