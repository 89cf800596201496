import XCTest
import Review
@testable import Workstation

final class WorklistTests: XCTestCase {
    func testWorklistShowsColumnsAndHonestAIStatus() {
        let (s, _) = Fixtures.state()
        let screen = view(s)
        XCTAssertTrue(screen.line(0).contains("Lightbox worklist — reader alice"))
        XCTAssertTrue(screen.line(2).contains("PRI"))
        XCTAssertTrue(screen.line(2).contains("REVIEW"))
        let first = screen.line(3)
        XCTAssertTrue(first.contains("Doe Jane [PID1]"), first)
        XCTAssertTrue(first.contains("2026-01-02"))
        XCTAssertTrue(first.contains("CT"))
        XCTAssertTrue(first.contains("AI: not run (no models installed)"), first)
        XCTAssertTrue(first.contains("unread"))
        XCTAssertEqual(screen[3, 1].style, .selected)
        XCTAssertTrue(screen.line(4).contains("Roe Richard [PID2]"))
    }

    /// A shared store's poller reports who else has a study open; the worklist names them on that
    /// study's row only, with control characters stripped from the name.
    func testStudyOpenElsewhereShowsItsReaders() {
        var (s, _) = Fixtures.state()
        _ = update(&s, .readingElsewhere([s.entries[1].uid: ["bob", "eve\u{1b}[2J"]]))
        let screen = view(s)
        XCTAssertFalse(screen.line(3).contains("reading:"), screen.line(3))
        XCTAssertTrue(screen.line(4).contains("[reading: bob"), screen.line(4))
        XCTAssertFalse(screen.snapshot().contains("\u{1b}"))
        _ = update(&s, .readingElsewhere([:]))
        XCTAssertFalse(view(s).snapshot().contains("reading:"), "gone when they close it")
    }

    func testDeidentifyHidesNamesIDsAndDates() {
        let (s, _) = Fixtures.state(deidentify: true)
        let text = view(s).snapshot()
        XCTAssertFalse(text.contains("Doe"))
        XCTAssertFalse(text.contains("PID1"))
        XCTAssertFalse(text.contains("2026"))
        XCTAssertTrue(text.contains("Patient 1"))
        XCTAssertFalse(text.contains("CT CHEST"), "the study description is free text that can identify")
        XCTAssertTrue(view(Fixtures.state().0).snapshot().contains("CT CHEST"), "shown when not de-identifying")
    }

    /// Search compares lowercased UTF-8 bytes: names outside ASCII match by any part, in any case,
    /// and the remembered order follows every change of the search.
    func testSearchMatchesNamesOutsideASCII() {
        var s = AppState(columns: 120, rows: 30, reader: "alice")
        let (a, _) = Fixtures.ctStudy(uid: "1.1", name: "Müller^Jürgen", id: "PID1")
        let (b, _) = Fixtures.ctStudy(uid: "2.2", name: "山田^太郎", id: "PID2")
        let (c, _) = Fixtures.ctStudy(uid: "3.3", name: "Mull^Anna", id: "PID3")
        _ = update(&s, .studiesLoaded([a, b, c]))
        Fixtures.keys(&s, [.char("/")] + Fixtures.type("MÜL"))
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["1.1"])
        Fixtures.keys(&s, [.backspace, .backspace])
        XCTAssertEqual(Set(s.visibleEntries.map(\.uid)), ["1.1", "3.3"], "\"m\" matches both")
        Fixtures.keys(&s, [.backspace] + Fixtures.type("田"))
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["2.2"])
        Fixtures.keys(&s, Fixtures.type("x"))
        XCTAssertEqual(s.visibleEntries.map(\.uid), [])
        // "ü" typed as u + combining diaeresis finds the name stored precomposed.
        Fixtures.keys(&s, [.backspace, .backspace] + Fixtures.type("mu\u{308}l"))
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["1.1"])
    }

    func testSortFilterAndSearch() {
        var (s, stack) = Fixtures.state()
        _ = stack
        // Unread with high risk first: study 2 gets a high-risk AI result and jumps to the top.
        let (b, _) = Fixtures.ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2")
        _ = update(&s, .aiResult(studyUID: "2.2", Fixtures.aiResult(study: b)))
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["2.2", "1.1"])
        XCTAssertTrue(view(s).line(3).contains("URGENT"))
        XCTAssertTrue(view(s).line(3).contains("AI: 2 findings, high"))
        // A signed study sinks below unread ones and is hidden by the "unread" filter.
        _ = update(&s, .statuses(["2.2": .signed]))
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["1.1", "2.2"])
        Fixtures.keys(&s, [.char("f")])
        XCTAssertEqual(s.filter, .unread)
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["1.1"])
        Fixtures.keys(&s, [.char("f"), .char("f"), .char("f")])
        XCTAssertEqual(s.filter, .all)
        // Search by ID as you type.
        Fixtures.keys(&s, [.char("/")] + Fixtures.type("pid2"))
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["2.2"])
        Fixtures.keys(&s, [.enter])
        XCTAssertEqual(s.search, "pid2")
        Fixtures.keys(&s, [.escape])
        XCTAssertEqual(s.search, "")
        Fixtures.keys(&s, [.char("s")])
        XCTAssertEqual(s.sort, .date)
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["1.1", "2.2"])
        // By patient: Doe before Roe, whatever the scan order.
        Fixtures.keys(&s, [.char("s")])
        XCTAssertEqual(s.sort, .patient)
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["1.1", "2.2"])
        XCTAssertEqual(s.visibleOrder.map { s.entries[$0].uid }, ["1.1", "2.2"])
        // The accession number is searched too; a study whose images change keeps its label current.
        Fixtures.keys(&s, [.char("/")] + Fixtures.type("accpid2") + [.enter])
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["2.2"])
        Fixtures.keys(&s, [.escape])
        let (renamed, _) = Fixtures.ctStudy(uid: "2.2", name: "Aab^Zed", id: "PID2")
        s.entries[s.entries.firstIndex { $0.uid == "2.2" }!].study = renamed
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["2.2", "1.1"], "Aab now sorts before Doe")
        XCTAssertTrue(s.patientLabel(s.visibleEntries[0]).hasPrefix("Aab"))
    }

    func testOpenStudyAuditsLoadsAndSavesSession() {
        var (s, _) = Fixtures.state()
        let effects = Fixtures.keys(&s, [.enter])
        XCTAssertEqual(s.mode, .viewer)
        XCTAssertTrue(effects.contains(.audit(action: "open", studyUID: "1.1", detail: "")))
        XCTAssertTrue(effects.contains(.loadReview(studyUID: "1.1")))
        XCTAssertTrue(effects.contains(.loadSeries(seriesUID: "1.1.1")))
        XCTAssertTrue(effects.contains { if case .saveSession(let st) = $0 { return st.studyUID == "1.1" && st.screen == "viewer" }; return false })
        XCTAssertTrue(view(s).contains("Loading"))
    }

    func testMouseClickSelectsAndDoubleClickOpens() {
        var (s, _) = Fixtures.state()
        _ = update(&s, .mouse(MouseEvent(.press, row: WorklistLayout.firstRow + 1, column: 5)))
        XCTAssertEqual(s.worklistSelection, 1)
        _ = update(&s, .mouse(MouseEvent(.press, row: WorklistLayout.firstRow + 1, column: 5)))
        XCTAssertEqual(s.mode, .viewer)
        XCTAssertEqual(s.viewer?.studyUID, "2.2")
    }

    func testHelpShowsKeyMapAndClosesOnAnyKey() {
        var (s, _) = Fixtures.state()
        Fixtures.keys(&s, [.char("?")])
        let screen = view(s)
        XCTAssertTrue(screen.contains("Keys — worklist"))
        XCTAssertTrue(screen.contains("search name / ID"))
        Fixtures.keys(&s, [.char("x")])
        XCTAssertNil(s.modal)
    }

    func testDICOMTextIsSanitisedBeforeDrawing() {
        var s = AppState(columns: 120, rows: 20, reader: "alice")
        let (a, _) = Fixtures.ctStudy(uid: "9.9", name: "Evil\u{1B}]0;pwned\u{07}^Name", id: "X\u{1B}[2J")
        _ = update(&s, .studiesLoaded([a]))
        let screen = view(s)
        for r in 0 ..< screen.rows {
            for c in 0 ..< screen.columns {
                let v = screen[r, c].character.unicodeScalars.first!.value
                XCTAssertTrue(v >= 0x20 && v != 0x7F, "control character drawn at \(r),\(c)")
            }
        }
    }

    func testTinyAndResizedScreensDoNotTrap() {
        var (s, _) = Fixtures.state(columns: 10, rows: 3)
        XCTAssertTrue(view(s).contains("too small"))
        _ = update(&s, .resize(columns: 60, rows: 12))
        XCTAssertEqual(view(s).columns, 60)
        XCTAssertTrue(view(s).contains("Lightbox worklist"))
    }
}
