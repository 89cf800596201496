import XCTest
import Review
import TerminalGraphics
@testable import Workstation

final class ReviewFlowTests: XCTestCase {
    /// Study 1.1 open, series loaded, two AI findings from a sidecar-like source.
    func openWithFindings(clinical: Bool = false) -> AppState {
        var (s, stack) = Fixtures.state()
        let study = s.entries[0].study
        _ = update(&s, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: study, clinical: clinical)))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        return s
    }

    func testPanelListsFindingsAndBannerShowsNotForClinicalUse() {
        let s = openWithFindings()
        let screen = view(s)
        XCTAssertTrue(screen.contains("AI: lung-nodule-demo 0.1"))
        XCTAssertTrue(screen.contains("1. solid nodule"))
        XCTAssertTrue(screen.contains("AI 91% high 4 mm"))
        XCTAssertTrue(screen.contains("2. ground-glass nodule"))
        XCTAssertTrue(screen.contains("2 undecided"))
        XCTAssertTrue(screen.line(0).contains("NOT FOR CLINICAL USE"))
        XCTAssertFalse(view(openWithFindings(clinical: true)).line(0).contains("NOT FOR CLINICAL USE"))
    }

    func testMovingThroughFindingsJumpsToSliceAndCentres() {
        var s = openWithFindings()
        Fixtures.keys(&s, [.char("n")])
        XCTAssertEqual(s.viewer?.review.selection, 1)
        XCTAssertEqual(s.currentSlice, 1, "ground-glass nodule is on instance 2")
        XCTAssertEqual(s.viewer?.display.cursor, ImagePoint(x: 20, y: 20))
        Fixtures.keys(&s, [.char("n")])
        XCTAssertEqual(s.viewer?.review.selection, 0)
        XCTAssertEqual(s.currentSlice, 3)
        let overlays = view(s).images[0].overlays
        XCTAssertTrue(overlays.contains { if case .box(_, _, 8, 8, .risk(.high), "solid nodule") = $0 { return true }; return false }, "\(overlays)")
        // One key hides the AI overlay while reading.
        Fixtures.keys(&s, [.char("a")])
        XCTAssertFalse(view(s).images[0].overlays.contains { if case .box = $0 { return true }; return false })
    }

    func testAcceptRejectWithReasonCorrectAndUndo() {
        var s = openWithFindings()
        var effects = Fixtures.keys(&s, [.char("A")])
        guard case .recordDecision("1.1", let f, .accept, nil, _)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(f.key, "lung-nodule-demo:1")
        XCTAssertEqual(f.model?.sha256, "deadbeef")
        XCTAssertEqual(f.slice, 3)
        XCTAssertTrue(view(s).contains("✓ accepted"))

        Fixtures.keys(&s, [.char("n")])
        Fixtures.keys(&s, [.char("X")])
        XCTAssertTrue(view(s).contains("1  artefact / not a lesion"))
        effects = Fixtures.keys(&s, [.char("2")])
        XCTAssertEqual(effects.count, 1)
        guard case .recordDecision(_, let g, .reject, "benign / known finding", _)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(g.key, "lung-nodule-demo:2")

        // Free-text reason.
        Fixtures.keys(&s, [.char("X")])
        effects = Fixtures.keys(&s, Fixtures.type("scar") + [.enter])
        guard case .recordDecision(_, _, .reject, "scar", _)? = effects.first else { return XCTFail("\(effects)") }

        // Correct: label, risk, size.
        effects = Fixtures.keys(&s, [.char("C")] + Array(repeating: Key.backspace, count: 30) + Fixtures.type("scar tissue") + [.enter, .char("1")]
                                + Fixtures.type("7.5") + [.enter])
        guard case .recordDecision(_, _, .correct, nil, let c)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(c, Correction(label: "scar tissue", risk: nil, diameterMM: 7.5))

        // Undo reverts the newest decision via the store's record id.
        s.viewer?.review.decisions["lung-nodule-demo:2"]?.recordID = 42
        effects = Fixtures.keys(&s, [.char("u")])
        XCTAssertEqual(effects, [.undoDecision(studyUID: "1.1", recordID: 42)])
        // Esc cancels a prompt without writing anything.
        effects = Fixtures.keys(&s, [.char("X"), .escape])
        XCTAssertTrue(effects.isEmpty)
    }

    func testReaderAddsPointAndBoxFindingsAndUndoesOne() {
        var s = openWithFindings()
        var effects = Fixtures.keys(&s, [.char("F")] + Fixtures.type("missed nodule") + [.enter])
        guard case .addReaderFinding(let r)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(r.label, "missed nodule")
        XCTAssertEqual(r.kind, .point)
        XCTAssertEqual(r.sopUID, "1.1.1.3")
        XCTAssertEqual(r.slice, 2)
        XCTAssertTrue(view(s).contains("3. missed nodule"))
        XCTAssertEqual(s.viewer?.review.selection, 2)

        Fixtures.keys(&s, [.char("B"), .right, .right, .down])
        effects = Fixtures.keys(&s, [.char("B")] + Fixtures.type("mass") + [.enter])
        guard case .addReaderFinding(let box)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(box.kind, .box)
        XCTAssertEqual(box.width, 2)
        XCTAssertEqual(box.height, 1)

        effects = Fixtures.keys(&s, [.char("u")])
        XCTAssertEqual(effects, [.removeReaderFinding(studyUID: "1.1", key: box.key)])
        XCTAssertFalse(view(s).contains("4. mass"))
    }

    func testSignOffNeedsExplicitConfirmationWhileFindingsAreUndecided() {
        var s = openWithFindings()
        var effects = Fixtures.keys(&s, [.char("S"), .char("2")])
        XCTAssertTrue(effects.isEmpty)
        XCTAssertTrue(view(s).contains("2 finding(s) undecided. Press ! to sign anyway"))
        effects = Fixtures.keys(&s, [.char("n")])
        XCTAssertTrue(effects.isEmpty)
        XCTAssertEqual(s.message, "Not signed")
        XCTAssertNil(s.viewer?.review.signoff)
        effects = Fixtures.keys(&s, [.char("S"), .char("4"), .char("!")])
        XCTAssertEqual(effects.first, .signOff(studyUID: "1.1", assessment: "suspicious", undecided: 2, forced: true))
        XCTAssertTrue(view(s).contains("SIGNED: suspicious"))
    }

    func testSignOffWithEverythingDecided() {
        var s = openWithFindings()
        Fixtures.keys(&s, [.char("A"), .char("n"), .char("A")])
        XCTAssertEqual(s.undecidedCount, 0)
        let effects = Fixtures.keys(&s, [.char("S"), .char("1")])
        XCTAssertEqual(effects.first, .signOff(studyUID: "1.1", assessment: "normal", undecided: 0, forced: false))
        XCTAssertEqual(s.entries[0].review, .signed)
    }

    func testStoreSnapshotReplacesOptimisticStateAndResumeReopens() {
        var s = openWithFindings()
        let snap = ReviewSnapshot(decisions: ["lung-nodule-demo:1": FindingDecision(kind: .reject, reason: "duplicate", correction: Correction(), recordID: 7)],
                                  readerFindings: [], signoff: nil)
        _ = update(&s, .reviewLoaded(studyUID: "1.1", snap))
        XCTAssertTrue(view(s).contains("✗ rejected: duplicate"))
        XCTAssertEqual(s.viewer?.review.undoStack, [])
        // After a restart the store's history feeds undo.
        var snap2 = snap
        snap2.history = [.decision(findingKey: "lung-nodule-demo:1", recordID: 7)]
        _ = update(&s, .reviewLoaded(studyUID: "1.1", snap2))
        XCTAssertEqual(Fixtures.keys(&s, [.char("u")]), [.undoDecision(studyUID: "1.1", recordID: 7)])
        XCTAssertEqual(s.entries[0].review, .inProgress)

        var (fresh, _) = Fixtures.state()
        let effects = update(&fresh, .resume(SessionState(studyUID: "1.1", seriesUID: "1.1.1", slice: 4, screen: "viewer")))
        XCTAssertEqual(fresh.mode, .viewer)
        XCTAssertEqual(fresh.currentSlice, 4)
        XCTAssertTrue(effects.contains(.loadReview(studyUID: "1.1")))
    }

    func testKeyMapOverridesFromTOML() throws {
        let (map, problems) = try KeyMap.load(toml: """
            [viewer_keys]
            next_slice = "down,space"
            accept = "y"
            bogus = "q"
            """)
        XCTAssertEqual(map.action(for: .down, in: .viewer), .nextSlice)
        XCTAssertEqual(map.action(for: .char(" "), in: .viewer), .nextSlice)
        XCTAssertEqual(map.action(for: .char("y"), in: .viewer), .accept)
        XCTAssertEqual(map.action(for: .down, in: .worklist), .down)
        XCTAssertEqual(problems, ["unknown action bogus"])
    }

    /// config.toml is shared with the PACS settings: `[archives.NAME]` tables must not spoil the key map.
    func testKeyMapLoadsBesideArchiveTables() throws {
        let text = """
            theme = "light"
            [archives.orthanc]
            base_url = "http://127.0.0.1:8042/dicom-web"
            verify_tls = true
            [viewer_keys]
            accept = "y"
            """
        let (map, problems) = try KeyMap.load(toml: text)
        XCTAssertEqual(map.action(for: .char("y"), in: .viewer), .accept)
        XCTAssertEqual(problems, [])
        XCTAssertThrowsError(try KeyMap.load(toml: "[archives..x]"), "a malformed file is an error, not a silent default map")
    }
}
