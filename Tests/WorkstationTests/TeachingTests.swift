import XCTest
import Imaging
import Review
import TerminalGraphics
@testable import Workstation

/// Teaching sessions on in-memory CT studies: case keys, quiz marks, reveal and score, the
/// teaching text, the summary, known and presenter modes; sidecar parsing on the real samples.
final class TeachingTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Case A (study 1.1): one 4 mm lesion at (12, 12) on slice 4 (0.5 mm pixels, 2 mm slices). Case B (2.2): normal.
    static func cases() -> [TeachingCase] {
        [TeachingCase(studyUID: "1.1", folder: "/a", history: "Smoker, 64.", findings: "Solid nodule right lower lobe.",
                      diagnosis: "Benign granuloma.", discussion: "Calcified: no follow-up.", normal: false,
                      lesions: [.init(label: "solid nodule", diameterMM: 4,
                                      appearances: [.init(sopUID: "1.1.1.4", x: 12, y: 12, box: nil)], nature: "benign")]),
         TeachingCase(studyUID: "2.2", folder: "/b", history: "Cough.", findings: "Clear lungs.", diagnosis: "Normal CT.",
                      discussion: "Normal anatomy.", normal: true, lesions: [])]
    }

    func session(mode: TeachingSession.Mode = .unknown, presenter: Bool = false) -> (AppState, [Effect]) {
        var s = AppState(columns: 140, rows: 45, reader: "trainee1", deidentify: presenter)
        s.teaching = TeachingSession(key: "sess-1", mode: mode, presenter: presenter, cases: Self.cases())
        let (a, stackA) = Fixtures.ctStudy(uid: "1.1")
        let (b, stackB) = Fixtures.ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2")
        let effects = update(&s, .studiesLoaded([a, b]))
        _ = update(&s, .seriesLoaded(stackA))
        _ = update(&s, .seriesLoaded(stackB))
        return (s, effects)
    }

    func testQuizHidesAnswersThenRevealScoresAndShowsTheTeachingText() {
        var (s, effects) = session()
        XCTAssertEqual(s.mode, .viewer, "a session opens straight on its first case")
        XCTAssertEqual(s.viewer?.studyUID, "1.1")
        XCTAssertTrue(effects.contains(.loadReview(studyUID: "1.1")))
        XCTAssertFalse(effects.contains { if case .saveSession = $0 { return true }; return false }, "teaching leaves the reading session alone")
        _ = update(&s, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: s.entries[0].study)))
        var text = view(s).snapshot()
        XCTAssertTrue(text.contains("CASE 1/2 — quiz"))
        XCTAssertFalse(text.contains("Benign granuloma"), "no answer before the reveal")
        XCTAssertFalse(text.contains("solid nodule"), "neither the ground truth nor the AI before the reveal")
        XCTAssertTrue(s.findings.isEmpty)
        Fixtures.keys(&s, [.char("A")])
        XCTAssertTrue(s.message.hasPrefix("Teaching: mark findings"))

        // Slice 4 (index 3), a mark 2 px (1 mm) off the lesion: a hit. A mark far away: a false positive.
        setSlice(&s, 3)
        s.viewer!.display.cursor = ImagePoint(x: 14, y: 12)
        var e = Fixtures.keys(&s, [.char("F")] + Fixtures.type("nodule") + [.enter])
        guard case .addReaderFinding(let m1)? = e.last else { return XCTFail("\(e)") }
        XCTAssertEqual(m1.sopUID, "1.1.1.4")
        s.viewer!.display.cursor = ImagePoint(x: 28, y: 28)
        Fixtures.keys(&s, [.char("F"), .enter])
        Fixtures.keys(&s, [.char("b"), .char("3")])
        XCTAssertEqual(s.teaching?.assessments["1.1"], "probably benign")
        e = Fixtures.keys(&s, [.char("R")])
        XCTAssertEqual(e, [.teachingResult(TeachingResultRecord(sessionKey: "sess-1", trainee: "trainee1", studyUID: "1.1", caseNumber: 1,
                                                               mode: "unknown", assessment: "probably benign", lesions: 1, hits: 1, misses: 0,
                                                               falsePositives: 1))])
        text = view(s).snapshot()
        XCTAssertTrue(text.contains("SCORE: 1 hit · 0 missed · 1 false positive"), text)
        XCTAssertTrue(text.contains("GT 1. solid nodule 4 mm, benign ✓ found"))
        XCTAssertTrue(text.contains("nodule — hit GT 1"))
        XCTAssertTrue(text.contains("reader finding — false positive"))
        XCTAssertTrue(text.contains("AI: lung-nodule-demo — NOT FOR CLINICAL USE"))
        XCTAssertTrue(text.contains("DIAGNOSIS"))
        XCTAssertTrue(text.contains("Benign granuloma."))
        XCTAssertTrue(text.contains("DISCUSSION"))
        XCTAssertTrue(s.findings.contains { $0.origin == .ai }, "the AI's findings show with the answer")
        let overlays = view(s).images[0].overlays
        XCTAssertTrue(overlays.contains { if case .box(_, _, _, _, .rgb, "GT 1") = $0 { return true }; return false }, "\(overlays)")
        XCTAssertEqual(Fixtures.keys(&s, [.char("R")]), [])
        XCTAssertEqual(s.message, "Already revealed")
    }

    func testCaseKeysAndSummary() {
        var (s, _) = session()
        Fixtures.keys(&s, [.char(",")])
        XCTAssertEqual(s.message, "This is the first case")
        let e = Fixtures.keys(&s, [.char(".")])
        XCTAssertEqual(s.viewer?.studyUID, "2.2")
        XCTAssertTrue(e.contains(.loadReview(studyUID: "2.2")))
        XCTAssertTrue(view(s).contains("CASE 2/2"))
        // Normal case, no marks: a clean score.
        let r = Fixtures.keys(&s, [.char("R")])
        guard case .teachingResult(let rec)? = r.first else { return XCTFail("\(r)") }
        XCTAssertEqual([rec.lesions, rec.hits, rec.misses, rec.falsePositives, rec.caseNumber], [0, 0, 0, 0, 2])
        XCTAssertTrue(view(s).contains("GROUND TRUTH (normal)"))
        Fixtures.keys(&s, [.char(".")])
        guard case .report(let title, let lines)? = s.modal else { return XCTFail("summary expected after the last case") }
        XCTAssertEqual(title, "Teaching session summary")
        XCTAssertTrue(lines.contains("1. Benign granuloma. — not revealed"))
        XCTAssertTrue(lines.contains("2. Normal CT. — 0/0 found, 0 false positives"))
        XCTAssertTrue(view(s).contains("Total over 1 revealed case: 0 hits, 0 missed, 0 false positives"))
        Fixtures.keys(&s, [.char(" ")])
        XCTAssertNil(s.modal)
        Fixtures.keys(&s, [.char(",")])
        XCTAssertEqual(s.viewer?.studyUID, "1.1")
        Fixtures.keys(&s, [.escape])
        if case .report? = s.modal {} else { XCTFail("Esc shows the summary") }
        XCTAssertTrue(Fixtures.keys(&s, [.char("Q")]).contains(.quit))
    }

    func testKnownModeAndPresenter() {
        var (s, _) = session(mode: .known, presenter: true)
        let text = view(s).snapshot()
        XCTAssertTrue(text.contains("CASE 1/2 — known"))
        XCTAssertTrue(text.contains("Benign granuloma."), "answers visible from the start")
        XCTAssertFalse(text.contains("Doe"), "presenter display is de-identified")
        XCTAssertGreaterThan(ScreenLayout.panelWidth(s), 60, "presenter panel is wide and readable")
        setSlice(&s, 3)
        let overlays = view(s).images[0].overlays
        XCTAssertTrue(overlays.contains { if case .box(_, _, _, _, .rgb, "GT 1: solid nodule") = $0 { return true }; return false }, "\(overlays)")
        XCTAssertEqual(Fixtures.keys(&s, [.char("R")]), [])
        XCTAssertEqual(s.message, "Known mode: the answers are already showing")
    }

    func testScoringRadiusFiveMillimetreMinimumAndVolumes() {
        let (a, _) = Fixtures.ctStudy(uid: "1.1")
        let headers = Dictionary(uniqueKeysWithValues: a.series[0].instances.map { ($0.sopInstanceUID, $0) })
        let c = Self.cases()[0]  // 4 mm lesion: radius 2 mm, so the 5 mm minimum applies
        func mark(_ sop: String, _ x: Double) -> ReaderFindingRecord {
            ReaderFindingRecord(key: "\(sop)-\(x)", studyUID: "1.1", seriesUID: "1.1.1", sopUID: sop, label: "m", kind: .point, x: x, y: 12, slice: 0)
        }
        // 0.5 mm pixels: 10 px = 5 mm is a hit, 11 px is not.
        XCTAssertEqual(TeachingScore.score(c, marks: [mark("1.1.1.4", 22)], headers: headers).hits, 1)
        let miss = TeachingScore.score(c, marks: [mark("1.1.1.4", 23)], headers: headers)
        XCTAssertEqual([miss.hits, miss.misses, miss.falsePositives], [0, 1, 1])
        // One slice away (2 mm) on the lesion's centre: within 5 mm in 3-D. Three slices (6 mm): not.
        XCTAssertEqual(TeachingScore.score(c, marks: [mark("1.1.1.3", 12)], headers: headers).hits, 1)
        XCTAssertEqual(TeachingScore.score(c, marks: [mark("1.1.1.1", 12)], headers: headers).hits, 0)
        // A big lesion's own radius wins over the minimum.
        var big = c
        big.lesions[0].diameterMM = 30
        XCTAssertEqual(TeachingScore.score(big, marks: [mark("1.1.1.4", 40)], headers: headers).hits, 1)
    }

    func testSidecarsFromTheSamplesAndSeededOrder() throws {
        let root = (Self.repo as NSString).appendingPathComponent("SampleStudies")
        let cases = try TeachingCase.load(root: root)
        XCTAssertGreaterThanOrEqual(cases.count, 12)
        let alice = try XCTUnwrap(cases.first { $0.folder.hasSuffix("02_MG_ALICE_2026") })
        XCTAssertEqual(alice.lesions.count, 2)
        XCTAssertEqual(alice.lesions[0].appearances.count, 2, "a mammography lesion shows on CC and MLO")
        XCTAssertEqual(alice.lesions[0].diameterMM, 14)
        XCTAssertEqual(alice.lesions[0].nature, "malignant")
        XCTAssertTrue(alice.diagnosis.contains("BI-RADS 5"))
        XCTAssertFalse(alice.normal)
        let head = try XCTUnwrap(cases.first { $0.folder.hasSuffix("10_CT_HEAD_HELENE_2026") })
        XCTAssertEqual(head.lesions[0].appearances.count, 1)
        XCTAssertEqual(head.lesions[0].nature, "severe")

        let once = TeachingCase.ordered(cases, random: true, seed: 42).map(\.studyUID)
        XCTAssertEqual(once, TeachingCase.ordered(cases, random: true, seed: 42).map(\.studyUID), "same seed, same order")
        XCTAssertNotEqual(once, cases.map(\.studyUID))
        XCTAssertEqual(Set(once), Set(cases.map(\.studyUID)))
        XCTAssertNotEqual(once, TeachingCase.ordered(cases, random: true, seed: 43).map(\.studyUID))
        XCTAssertEqual(TeachingCase.ordered(cases, random: false, seed: 42).map(\.studyUID), cases.map(\.studyUID))

        XCTAssertThrowsError(try TeachingCase.load(root: NSTemporaryDirectory() + "no-such-\(UUID())"))
        XCTAssertThrowsError(try TeachingCase.parse(Data("[1]".utf8), folder: "/x"))
        XCTAssertThrowsError(try TeachingCase.parse(Data("{\"lesions\": []}".utf8), folder: "/x"), "no study UID")
        let odd = try TeachingCase.parse(Data("""
            {"study_instance_uid": "9", "lesions": [{"label": "x\\u001b[31m", "diameter_mm": -3, "center_px": [1], "sop_instance_uid": "s"}]}
            """.utf8), folder: "/x")
        XCTAssertEqual(odd.lesions[0].diameterMM, 0)
        XCTAssertTrue(odd.lesions[0].appearances.isEmpty, "a point needs two coordinates")
        XCTAssertFalse(odd.lesions[0].label.contains("\u{1b}"))
    }

    func testMammographyQuizTakesBIRADSPerBreastWithoutScreeningRows() {
        var s = AppState(columns: 140, rows: 45, reader: "trainee1")
        let mg = TeachingCase(studyUID: "5.5", folder: "/m", history: "", findings: "", diagnosis: "IDC", discussion: "", normal: false,
                              lesions: [.init(label: "mass", diameterMM: 10, appearances: [.init(sopUID: "5.5.1.1", x: 10, y: 10, box: [5, 5, 15, 15])],
                                              nature: "malignant")])
        s.teaching = TeachingSession(key: "k", mode: .unknown, presenter: false, cases: [mg])
        _ = update(&s, .studiesLoaded(StudyIndex.group(SecondReaderTests.headers)))
        _ = update(&s, .seriesLoaded(SecondReaderTests.stack()))
        XCTAssertEqual(s.viewer?.display.hanging, true)
        XCTAssertTrue(view(s).contains("RCC"))
        let e = Fixtures.keys(&s, [.char("b"), .char("1"), .char("5")])
        XCTAssertEqual(e, [], "teaching writes no screening events")
        XCTAssertEqual(s.teaching?.assessments["5.5"], "R BI-RADS 1 / L BI-RADS 5")
        // Mark on LCC inside the 10 mm lesion (0.5 mm pixels: 4 px = 2 mm away).
        Fixtures.keys(&s, [.char("w")])
        s.viewer!.display.cursor = ImagePoint(x: 14, y: 10)
        Fixtures.keys(&s, [.char("F"), .enter])
        let r = Fixtures.keys(&s, [.char("R")])
        guard case .teachingResult(let rec)? = r.first else { return XCTFail("\(r)") }
        XCTAssertEqual([rec.hits, rec.misses, rec.falsePositives], [1, 0, 0])
        XCTAssertEqual(rec.assessment, "R BI-RADS 1 / L BI-RADS 5")
        let overlays = view(s).images[1].overlays
        XCTAssertTrue(overlays.contains { if case .box(_, _, 10, 10, .rgb, "GT 1") = $0 { return true }; return false }, "the sidecar's box: \(overlays)")
    }

    func testWrapBreaksAtSpaces() {
        XCTAssertEqual(Text.wrap("one two three four", 9), ["one two", "three", "four"])
        XCTAssertEqual(Text.wrap("abcdefghijkl", 5), ["abcde", "fghij", "kl"])
    }
}
