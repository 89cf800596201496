import XCTest
import Imaging
import Review
import TerminalGraphics
@testable import Workstation

/// The screening and teaching screens against hostile text and patient data: reader-typed text
/// read back from the database, AI failure messages, de-identified arbitration, tiny terminals.
final class ScreeningSafetyTests: XCTestCase {
    /// Escapes, C1 CSI and a bidi override: what a crafted file or database row could carry.
    static let hostile = "Bad\u{1B}]0;pwn\u{07}\u{9B}31m\u{202E}txt"

    /// No character a terminal would act on anywhere on the screen.
    func assertInert(_ screen: Screen, file: StaticString = #filePath, line: UInt = #line) {
        let text = screen.snapshot()
        let bad = text.unicodeScalars.filter { $0.value != 0x0A && !TextSanitizer.isClean(String($0)) }
        XCTAssertTrue(bad.isEmpty, "unsafe characters on screen: \(bad.map { String($0.value, radix: 16) })", file: file, line: line)
    }

    func loaded(_ workflow: Workflow = .secondReader) -> AppState {
        var s = AppState(columns: 130, rows: 40, reader: "alice")
        s.workflow = workflow
        _ = update(&s, .studiesLoaded(StudyIndex.group(SecondReaderTests.headers)))
        _ = update(&s, .aiResult(studyUID: "5.5", SecondReaderTests.ai()))
        return s
    }

    func opened() -> AppState {
        var s = loaded()
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(SecondReaderTests.stack()))
        return s
    }

    func testReaderTextFromTheDatabaseIsSanitisedInThePanel() {
        var s = loaded(.standard)
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(SecondReaderTests.stack()))
        // A rejection reason, a corrected label and a sign-off as the store hands them back.
        let snapshot = ReviewSnapshot(
            decisions: ["mammo-demo:1": FindingDecision(kind: .reject, reason: Self.hostile, correction: Correction(), recordID: 1),
                        "mammo-demo:2": FindingDecision(kind: .correct, reason: nil, correction: Correction(label: Self.hostile), recordID: 2)],
            readerFindings: [], signoff: SignoffRecord(id: 3, reader: "alice", at: "", studyUID: "5.5", assessment: Self.hostile,
                                                       undecided: 0, forced: false))
        _ = update(&s, .reviewLoaded(studyUID: "5.5", snapshot))
        let screen = view(s)
        XCTAssertTrue(screen.contains("rejected: Bad"), screen.snapshot())
        XCTAssertTrue(screen.contains("SIGNED: Bad"), screen.snapshot())
        assertInert(screen)
    }

    func testAIFailureMessageIsSanitisedInWorklistAndPanel() {
        var s = loaded(.standard)
        _ = update(&s, .aiStatus(studyUID: "5.5", .failed("model " + Self.hostile)))
        XCTAssertTrue(view(s).contains("failed: model Bad"))
        assertInert(view(s))
        XCTAssertEqual(AIStatus.failed("x\u{1B}[2Jy").text, "failed: x[2Jy")
    }

    func testDeidentifiedArbitrationHidesNamesIDsAndDates() {
        var s = AppState(columns: 130, rows: 40, reader: "carol", deidentify: true)
        s.workflow = .arbitration
        s.filter = .discordant
        _ = update(&s, .studiesLoaded(StudyIndex.group(SecondReaderTests.headers)))
        _ = update(&s, .aiResult(studyUID: "5.5", SecondReaderTests.ai()))
        _ = update(&s, .discordanceQueue(["5.5"]))
        func check(_ screen: Screen, _ what: String) {
            let text = screen.snapshot()
            for leak in ["Roe", "Mary", "MG1", "2026-01-02", "20260102"] {
                XCTAssertFalse(text.contains(leak), "\(what) shows \(leak):\n\(text)")
            }
        }
        XCTAssertTrue(view(s).contains("discordant"), "the queue view lists the study")
        check(view(s), "discordance queue")
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(SecondReaderTests.stack()))
        let items = [DiscordanceRecord(reader: "alice", studyUID: "5.5", findingKey: "reader-x", kind: .readerOnly, label: "focal asymmetry",
                                       sopUID: "5.5.1.2", x: 5, y: 5)]
        let events = [ScreeningEvent(reader: "alice", studyUID: "5.5", kind: .sign, rightBIRADS: 1, leftBIRADS: 4)]
        _ = update(&s, .reviewLoaded(studyUID: "5.5", ReviewSnapshot(decisions: [:], readerFindings: [], signoff: nil,
                                                                    screening: ScreeningRead(events: events, discordances: items,
                                                                                             reader: "carol", arbitrating: true))))
        XCTAssertTrue(view(s).contains("ARBITRATION"))
        XCTAssertTrue(view(s).contains("Patient 1"))
        check(view(s), "arbitration view")
        _ = update(&s, .report(title: "Screening statistics", lines: ["Reader: carol", "Studies read: 0", "Recall rate: 0.0% (0 of 0)"]))
        check(view(s), "statistics screen")
    }

    func testNextViewKeyOnATerminalTooSmallForImages() {
        var s = opened()
        _ = update(&s, .resize(columns: 20, rows: 3))
        XCTAssertTrue(s.viewports.isEmpty, "no image area at this size")
        Fixtures.keys(&s, [.char("w")])  // used to index an empty viewport list
        XCTAssertEqual(s.viewer?.display.activeViewport, 0)
    }

    func testBreastScoresUseTheOpenStudysImagesOnly() {
        // An earlier worklist study reuses a SOP UID with the other laterality: the open study's own header decides.
        let other = Fixtures.header(study: "6.6", series: "6.6.1", sop: "5.5.1.1", date: "20270101", modality: "MG", laterality: "R", view: "CC")
        var s = AppState(columns: 130, rows: 40, reader: "alice")
        s.workflow = .secondReader
        _ = update(&s, .studiesLoaded(StudyIndex.group([other] + SecondReaderTests.headers)))
        _ = update(&s, .aiResult(studyUID: "5.5", SecondReaderTests.ai()))
        XCTAssertEqual(s.entries.first?.uid, "6.6")
        s.worklistSelection = s.visibleEntries.firstIndex { $0.uid == "5.5" }!
        Fixtures.keys(&s, [.enter])
        XCTAssertEqual(s.viewer?.studyUID, "5.5")
        let scores = s.breastScores()
        XCTAssertEqual(scores.map(\.side), ["R", "L"])
        XCTAssertEqual(scores[1].count, 1, "the LCC finding counts for the left breast")
        XCTAssertEqual(scores[1].score ?? -1, 0.93, accuracy: 1e-9)
        XCTAssertEqual(scores[0].count, 1)
        XCTAssertEqual(scores[0].score ?? -1, 0.31, accuracy: 1e-9)
    }

    /// A sidecar whose teaching text is one enormous word (or full of escapes) is cut at load, so the
    /// panel, which wraps it on every frame, stays quick and inert.
    func testHugeHostileTeachingTextIsCutAtLoad() throws {
        let word = String(repeating: "x", count: 1_000_000)
        let json: [String: Any] = ["study_instance_uid": "1.1",
                                   "teaching": ["history": word, "discussion": Self.hostile + " " + word],
                                   "lesions": [["label": Self.hostile + word, "diameter_mm": 4, "severity": word,
                                                "sop_instance_uid": "1.1.1.2", "center_px": [12, 12]]]]
        let c = try TeachingCase.parse(JSONSerialization.data(withJSONObject: json), folder: "/x")
        XCTAssertLessThanOrEqual(c.history.count, TeachingCase.maxTextCharacters + 1)
        XCTAssertTrue(c.history.hasSuffix("…"))
        XCTAssertLessThanOrEqual(c.lesions[0].label.count, TeachingCase.maxLabelCharacters + 1)
        XCTAssertLessThanOrEqual(c.lesions[0].nature?.count ?? 0, TeachingCase.maxLabelCharacters + 1)
        var s = AppState(columns: 140, rows: 45, reader: "trainee1")
        s.teaching = TeachingSession(key: "k", mode: .known, presenter: false, cases: [c])
        let (study, stack) = Fixtures.ctStudy(uid: "1.1")
        _ = update(&s, .studiesLoaded([study]))
        _ = update(&s, .seriesLoaded(stack))
        let start = Date()
        let screen = view(s)
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0, "one frame")
        XCTAssertTrue(screen.contains("HISTORY"), screen.snapshot())
        XCTAssertTrue(screen.contains("Bad]0;pwn31mtxt"), "the label, sanitised")
        assertInert(screen)
    }

    /// AI status messages find their study through the UID table; entries added by a rescan are in
    /// it, and a table that does not match the entries (set directly) falls back to a search.
    func testEntryLookupAfterScanArrivalsAndStaleTable() {
        let studies = (1 ... 300).map { Fixtures.ctStudy(uid: "9.\($0)", slices: 1).0 }
        var s = AppState(columns: 120, rows: 30, reader: "alice")
        _ = update(&s, .studiesLoaded(studies))
        for study in studies.reversed() { _ = update(&s, .aiStatus(studyUID: study.studyInstanceUID, .queued(position: 7))) }
        XCTAssertTrue(s.entries.allSatisfy { $0.ai == .queued(position: 7) })
        let late = Fixtures.ctStudy(uid: "9.999", slices: 1).0
        _ = update(&s, .studiesRescanned([late]))
        XCTAssertEqual(s.entryIndex(uid: "9.999"), 300)
        _ = update(&s, .aiStatus(studyUID: "9.999", .running(progress: 0.5)))
        XCTAssertEqual(s.entries[300].ai, .running(progress: 0.5))
        s.entries.swapAt(0, 1)
        XCTAssertEqual(s.entryIndex(uid: "9.1"), 1, "a stale table is checked, not trusted")
        XCTAssertEqual(s.entry(uid: "9.2")?.uid, "9.2")
        XCTAssertNil(s.entryIndex(uid: "nope"))
    }
}
