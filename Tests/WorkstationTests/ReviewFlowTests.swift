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
        XCTAssertEqual(s.viewer?.findingSelection, 1)
        XCTAssertEqual(s.currentSlice, 1, "ground-glass nodule is on instance 2")
        XCTAssertEqual(s.viewer?.cursor, ImagePoint(x: 20, y: 20))
        Fixtures.keys(&s, [.char("n")])
        XCTAssertEqual(s.viewer?.findingSelection, 0)
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
        s.viewer?.decisions["lung-nodule-demo:2"]?.recordID = 42
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
        XCTAssertEqual(s.viewer?.findingSelection, 2)

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
        XCTAssertNil(s.viewer?.signoff)
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
        XCTAssertEqual(s.viewer?.undoStack, [])
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

    func testSidecarParsesIssue6Schema() throws {
        let json = """
        {"model": {"id": "lung-nodule", "version": "2.0", "sha256": "ff", "clinical_use": false},
         "findings": [{"id": 3, "label": "nodule", "probability": 0.8, "risk": "HIGH", "sop_instance_uid": "1.2",
                       "series_instance_uid": "1", "center_px": [10, 11], "bbox_px": [5, 6, 10, 10], "diameter_mm": 6.5, "ood": true, "category": "4B"},
                      {"probability": 0.1}]}
        """
        let r = try SidecarFindingsSource.parse(Data(json.utf8), studyUID: "S")
        XCTAssertEqual(r.findings.count, 1)
        let f = r.findings[0]
        XCTAssertEqual(f.key, "lung-nodule:3")
        XCTAssertEqual(f.risk, .high)
        XCTAssertEqual(f.width, 10)
        XCTAssertTrue(f.outOfDistribution)
        XCTAssertEqual(f.category, "4B")
        // A bare array of findings, each with its own model (the Analysis module's encoding).
        let bare = try SidecarFindingsSource.parse(Data(#"[{"label": "mass", "risk": "critical", "bbox_px": [1, 2, 4, 6], "model": {"id": "mg", "version": "1", "sha256": "aa"}}]"#.utf8), studyUID: "S")
        XCTAssertEqual(bare.findings.first?.key, "mg:1")
        XCTAssertEqual(bare.findings.first?.centerX, 3)
        XCTAssertEqual(bare.findings.first?.centerY, 5)
        XCTAssertEqual(bare.model?.id, "mg")
        XCTAssertTrue(bare.notForClinicalUse)
        XCTAssertTrue(r.notForClinicalUse)
        XCTAssertEqual(r.model, ModelIdentity(id: "lung-nodule", version: "2.0", sha256: "ff"))
    }

    func testHeatmapFromNPYBesideTheFileFollowsToggleAndOpacity() throws {
        let dir = NSTemporaryDirectory() + "lightbox-heat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A 4×8 float32 map, NPY v1.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 8), }"
        while (10 + header.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0]) + Data(header.utf8)
        for i in 0 ..< 32 { var v = Float(i) / 31; npy.append(Data(bytes: &v, count: 4)) }
        try npy.write(to: URL(fileURLWithPath: dir + "/h.npy"))
        var (s, stack) = Fixtures.state()
        let sop = s.entries[0].study.series[0].instances[2].sopInstanceUID
        let json = #"{"findings": [], "heatmaps": [{"sop_instance_uid": "\#(sop)", "npy": "h.npy"}, {"sop_instance_uid": "x", "npy": "../etc.npy"}]}"#
        let r = try SidecarFindingsSource.parse(Data(json.utf8), studyUID: "1.1", directory: dir)
        XCTAssertEqual(r.heatmaps.count, 1)
        XCTAssertEqual(r.heatmaps[sop]?.width, 8)
        _ = update(&s, .aiResult(studyUID: "1.1", r))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        func heat() -> Heatmap? {
            for o in view(s).images[0].overlays { if case .heatmap(let h) = o { return h } }
            return nil
        }
        XCTAssertEqual(heat()?.width, 32, "resampled to the image grid")
        XCTAssertEqual(heat()?.opacity, 0.5)
        Fixtures.keys(&s, [.char("o")])
        XCTAssertEqual(heat()?.opacity, 0.75)
        Fixtures.keys(&s, [.char("h")])
        XCTAssertNil(heat())
        Fixtures.keys(&s, [.char("h"), .char("a")])
        XCTAssertNil(heat(), "the AI key hides the heatmap too")
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
        let tables = try TOMLSubsetParser.parse(text)
        XCTAssertEqual(tables["archives.orthanc"]?["base_url"], "http://127.0.0.1:8042/dicom-web")
        XCTAssertEqual(tables[""]?["theme"], "light")
        XCTAssertThrowsError(try TOMLSubsetParser.parse("[archives..x]"))
        XCTAssertThrowsError(try TOMLSubsetParser.parse("[.x]"))
    }
}
