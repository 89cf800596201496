import Analysis
import XCTest
import Imaging
import Review
import TerminalGraphics
@testable import Workstation

/// Second-reader screening on an in-memory mammogram: blinded read, BI-RADS per breast, reveal,
/// discordance decisions, sign-off; arbitration; the statistics screen.
final class SecondReaderTests: XCTestCase {
    static let views = [("R", "CC"), ("L", "CC"), ("R", "MLO"), ("L", "MLO")]
    static let headers = views.enumerated().map { k, v in
        Fixtures.header(study: "5.5", series: "5.5.1", sop: "5.5.1.\(k)", name: "Roe^Mary", id: "MG1", modality: "MG",
                        description: "SCREENING MAMMO", instance: k + 1, laterality: v.0, view: v.1)
    }
    static let model = ModelIdentity(id: "mammo-demo", version: "0.2", sha256: "cafe")

    /// AI: a high-risk finding on LCC at (10, 10) and a low one on RCC at (20, 20). Pixel spacing 0.5 mm.
    static func ai() -> AIResult {
        AIResult(findings: [
            ReviewFinding(key: "mammo-demo:1", origin: .ai, label: "spiculated mass", probability: 0.93, risk: .high, seriesUID: "5.5.1",
                    sopUID: "5.5.1.1", centerX: 10, centerY: 10, diameterMM: 6, model: model),
            ReviewFinding(key: "mammo-demo:2", origin: .ai, label: "asymmetry", probability: 0.31, risk: .low, seriesUID: "5.5.1",
                    sopUID: "5.5.1.0", centerX: 20, centerY: 20, diameterMM: 4, model: model),
        ], model: model, notForClinicalUse: true)
    }

    static func stack() -> ImageStack {
        let frames = headers.map { h -> StackFrame in
            var values = [Float](repeating: 0, count: 32 * 32)
            for y in 0 ..< 32 { for x in 0 ..< 12 { values[y * 32 + x] = 1000 } }
            return StackFrame(width: 32, height: 32, values: values, rgb: [], sopUID: h.sopInstanceUID, path: h.path, frameIndex: 0,
                              rowSpacing: 0.5, columnSpacing: 0.5, position: [], fileWindow: nil, monochrome1: false,
                              laterality: h.laterality, viewPosition: h.viewPosition)
        }
        return ImageStack(seriesUID: "5.5.1", frames: frames, sliceSpacing: nil)
    }

    func loaded(_ workflow: Workflow = .secondReader) -> AppState {
        var s = AppState(columns: 130, rows: 40, reader: "alice")
        s.workflow = workflow
        _ = update(&s, .studiesLoaded(StudyIndex.group(Self.headers)))
        _ = update(&s, .aiResult(studyUID: "5.5", Self.ai()))
        return s
    }

    func opened() -> AppState {
        var s = loaded()
        let effects = Fixtures.keys(&s, [.enter])
        XCTAssertTrue(effects.contains(.screeningEvent(ScreeningEvent(reader: "alice", studyUID: "5.5", kind: .start))), "\(effects)")
        _ = update(&s, .seriesLoaded(Self.stack()))
        return s
    }

    /// Marks a point at (x, y) on viewport `k` of the hanging protocol.
    func mark(_ s: inout AppState, viewport k: Int, x: Double, y: Double, label: String) {
        while s.viewer!.display.activeViewport != k { Fixtures.keys(&s, [.char("w")]) }
        s.viewer!.display.cursor = ImagePoint(x: x, y: y)
        let effects = Fixtures.keys(&s, [.char("F")] + Fixtures.type(label) + [.enter])
        guard case .addReaderFinding(let r)? = effects.last else { return XCTFail("\(effects)") }
        XCTAssertEqual(r.sopUID, "5.5.1.\(k)")
    }

    func testBlindedFirstReadHidesEveryTraceOfTheAI() {
        var s = loaded()
        var text = view(s).snapshot()
        XCTAssertTrue(text.contains("AI: hidden until reveal"))
        XCTAssertTrue(text.contains("SECOND READER"))
        XCTAssertFalse(text.contains("URGENT"), "priority from the AI's risk would leak the result")
        XCTAssertFalse(text.contains("2 findings"))
        s = opened()
        text = view(s).snapshot()
        XCTAssertTrue(text.contains("blinded first read"))
        XCTAssertFalse(text.contains("spiculated mass"))
        XCTAssertFalse(text.contains("asymmetry"))
        XCTAssertFalse(text.contains("NOT FOR CLINICAL USE"), "the banner names the model: not before the reveal")
        XCTAssertFalse(text.contains("mammo-demo"))
        XCTAssertTrue(view(s).images.allSatisfy { $0.overlays.isEmpty }, "no AI outlines")
        Fixtures.keys(&s, [.char("a")])
        XCTAssertEqual(s.message, "AI hidden until the reveal (R)")
        Fixtures.keys(&s, [.char("n")])
        XCTAssertEqual(s.message, "No findings")
        Fixtures.keys(&s, [.char("R")])
        XCTAssertEqual(s.message, "Record the BI-RADS for both breasts first (b), then reveal")
        Fixtures.keys(&s, [.char("S")])
        XCTAssertEqual(s.message, "Reveal the AI (R) before signing")
    }

    func testRevealListsDiscordancesThatNeedDecisionsBeforeSignOff() {
        var s = opened()
        // The reader finds the LCC mass (3 px = 1.5 mm from the AI's centre) and marks RMLO, which the AI did not flag.
        mark(&s, viewport: 1, x: 13, y: 10, label: "mass")
        mark(&s, viewport: 2, x: 5, y: 5, label: "focal asymmetry")
        Fixtures.keys(&s, [.char("b")])
        XCTAssertTrue(view(s).contains("0  0 incomplete — recall"), "BI-RADS choices are numbered from 0")
        Fixtures.keys(&s, [.char("1")])
        XCTAssertTrue(view(s).contains("LEFT breast BI-RADS"))
        let assess = Fixtures.keys(&s, [.char("4")])
        XCTAssertEqual(assess, [.screeningEvent(ScreeningEvent(reader: "alice", studyUID: "5.5", kind: .assess, rightBIRADS: 1, leftBIRADS: 4))])
        XCTAssertTrue(view(s).contains("Reader: R BI-RADS 1 / L BI-RADS 4"))

        let effects = Fixtures.keys(&s, [.char("R")])
        guard case .reveal("5.5", let items)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(items.map(\.kind), [.aiOnly, .readerOnly])
        XCTAssertEqual(items[0].findingKey, "mammo-demo:2")
        XCTAssertEqual(items[0].laterality, "R")
        XCTAssertEqual(items[1].label, "focal asymmetry")
        XCTAssertEqual(s.message, "AI revealed: 2 discordance(s) need a decision (A keep/accept, X reject)")
        let text = view(s).snapshot()
        XCTAssertTrue(text.contains("spiculated mass"))
        XCTAssertTrue(text.contains("NOT FOR CLINICAL USE"))
        XCTAssertTrue(text.contains("AI per breast: R 31% (1)  L 93% (1)"), text)
        XCTAssertTrue(text.contains("DISCORDANT: AI only"))
        XCTAssertTrue(text.contains("DISCORDANT: reader only"))
        XCTAssertTrue(text.contains("2 discordance(s) to decide before S"))
        XCTAssertEqual(Fixtures.keys(&s, [.char("R")]), [])
        XCTAssertEqual(s.message, "The AI is already revealed")

        // Sign-off waits for both decisions.
        XCTAssertEqual(Fixtures.keys(&s, [.char("S")]), [])
        XCTAssertTrue(s.message.hasPrefix("2 discordance(s) need a decision"))
        let aiOnly = s.findings.firstIndex { $0.key == "mammo-demo:2" }!
        s.viewer!.review.selection = aiOnly
        var d = Fixtures.keys(&s, [.char("X"), .char("1")])
        guard case .recordDecision(_, let f, .reject, "artefact / not a lesion", _)? = d.first else { return XCTFail("\(d)") }
        XCTAssertEqual(f.key, "mammo-demo:2")
        s.viewer!.review.selection = s.findings.firstIndex { $0.label == "focal asymmetry" }!
        d = Fixtures.keys(&s, [.char("A")])
        guard case .recordDecision(_, let g, .accept, nil, _)? = d.first else { return XCTFail("\(d)") }
        XCTAssertEqual(g.origin, .reader)
        XCTAssertTrue(view(s).contains("Ready to sign (S)"))
        // Undo takes back the decision, not the discordant mark itself.
        XCTAssertEqual(Fixtures.keys(&s, [.char("u")]).count, 1)
        XCTAssertEqual(Fixtures.keys(&s, [.char("u")]).count, 1, "the reject of the AI-only region")
        XCTAssertEqual(Fixtures.keys(&s, [.char("u")]), [])
        XCTAssertTrue(s.message.hasPrefix("Marks of the blinded read stay after the reveal"))
        XCTAssertEqual(s.readerMarksCount, 2)
        s.viewer!.review.selection = aiOnly
        Fixtures.keys(&s, [.char("X"), .char("1")])
        s.viewer!.review.selection = s.findings.firstIndex { $0.label == "focal asymmetry" }!
        Fixtures.keys(&s, [.char("A")])
        let signed = Fixtures.keys(&s, [.char("S")])
        XCTAssertEqual(signed, [
            .signOff(studyUID: "5.5", assessment: "R BI-RADS 1 / L BI-RADS 4", undecided: 0, forced: false),
            .audit(action: "sign", studyUID: "5.5", detail: "R BI-RADS 1 / L BI-RADS 4"),
            .screeningEvent(ScreeningEvent(reader: "alice", studyUID: "5.5", kind: .sign, rightBIRADS: 1, leftBIRADS: 4, detail: "recall")),
        ])
        XCTAssertEqual(Fixtures.keys(&s, [.char("F")]), [])
        XCTAssertEqual(s.message, "Signed: the read is closed")
    }

    /// An AI that abstained (input outside its validated range) is not a second reader: what it
    /// withheld raises no "AI only" discordance at the reveal.
    func testAnAbstainingAIRaisesNoDiscordance() {
        var s = AppState(columns: 130, rows: 40, reader: "alice")
        s.workflow = .secondReader
        _ = update(&s, .studiesLoaded(StudyIndex.group(Self.headers)))
        var ai = Self.ai()
        ai.findings = ai.findings.map { var f = $0; f.outOfDistribution = true; return f }
        ai.abstention = ["image content unlike the model's training images"]
        _ = update(&s, .aiResult(studyUID: "5.5", ai))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(Self.stack()))
        Fixtures.keys(&s, [.char("b"), .char("1"), .char("1")])
        XCTAssertEqual(Fixtures.keys(&s, [.char("R")]), [.reveal(studyUID: "5.5", discordances: [])])
    }

    func testRevealWaitsForTheAIAndNeedsNoDecisionWhenItAgrees() {
        var s = AppState(columns: 130, rows: 40, reader: "alice")
        s.workflow = .secondReader
        _ = update(&s, .studiesLoaded(StudyIndex.group(Self.headers)))
        _ = update(&s, .aiStatus(studyUID: "5.5", .running(progress: 0.4)))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(Self.stack()))
        Fixtures.keys(&s, [.char("b"), .char("1"), .char("1")])
        XCTAssertEqual(Fixtures.keys(&s, [.char("R")]), [])
        XCTAssertEqual(s.message, "The AI has not finished on this study; reveal when it has")
        XCTAssertFalse(view(s).contains("running 40%"), "AI progress is fine, but not its result")
        _ = update(&s, .aiResult(studyUID: "5.5", AIResult(findings: [], model: Self.model, notForClinicalUse: true)))
        let effects = Fixtures.keys(&s, [.char("R")])
        XCTAssertEqual(effects, [.reveal(studyUID: "5.5", discordances: [])])
        XCTAssertEqual(s.message, "AI revealed: it agrees with your marks")
        let signed = Fixtures.keys(&s, [.char("S")])
        XCTAssertTrue(signed.contains(.screeningEvent(ScreeningEvent(reader: "alice", studyUID: "5.5", kind: .sign, rightBIRADS: 1,
                                                                      leftBIRADS: 1, detail: "routine"))))
    }

    func testStoreSnapshotRestoresTheRevealAfterRestart() {
        var s = opened()
        let events = [ScreeningEvent(reader: "alice", studyUID: "5.5", kind: .assess, rightBIRADS: 2, leftBIRADS: 0),
                      ScreeningEvent(reader: "alice", studyUID: "5.5", kind: .reveal)]
        let items = [DiscordanceRecord(reader: "alice", studyUID: "5.5", findingKey: "mammo-demo:1", kind: .aiOnly, label: "spiculated mass",
                                       sopUID: "5.5.1.1", x: 10, y: 10)]
        let read = ScreeningRead(events: events, discordances: items, reader: "alice", arbitrating: false)
        _ = update(&s, .reviewLoaded(studyUID: "5.5", ReviewSnapshot(decisions: [:], readerFindings: [], signoff: nil, screening: read)))
        XCTAssertTrue(s.revealed.contains("5.5"))
        XCTAssertFalse(s.isBlinded("5.5"))
        XCTAssertEqual(s.pendingDiscordances.count, 1)
        XCTAssertTrue(view(s).contains("Reader: R BI-RADS 2 / L BI-RADS 0"))
        XCTAssertTrue(view(s).contains("1 discordance(s) to decide before S"))
    }

    func testArbitratorSeesTheFirstReadAndRecordsArbitration() {
        var s = loaded(.arbitration)
        s.filter = .discordant
        _ = update(&s, .discordanceQueue(["5.5"]))
        XCTAssertEqual(s.visibleEntries.map(\.uid), ["5.5"])
        XCTAssertTrue(view(s).contains("discordant"))
        XCTAssertTrue(view(s).contains("ARBITRATION"))
        s.reader = "carol"
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(Self.stack()))
        let events = [ScreeningEvent(reader: "alice", studyUID: "5.5", kind: .sign, rightBIRADS: 1, leftBIRADS: 4)]
        let items = [
            DiscordanceRecord(reader: "alice", studyUID: "5.5", findingKey: "mammo-demo:2", kind: .aiOnly, label: "asymmetry", sopUID: "5.5.1.0", x: 20, y: 20),
            DiscordanceRecord(reader: "alice", studyUID: "5.5", findingKey: "reader-x", kind: .readerOnly, label: "focal asymmetry", sopUID: "5.5.1.2", x: 5, y: 5),
        ]
        _ = update(&s, .reviewLoaded(studyUID: "5.5", ReviewSnapshot(decisions: [:], readerFindings: [], signoff: nil,
                                                                    screening: ScreeningRead(events: events, discordances: items, reader: "carol", arbitrating: true))))
        let text = view(s).snapshot()
        XCTAssertTrue(text.contains("First read alice: R 1 L 4"))
        XCTAssertTrue(text.contains("alice: focal asymmetry"), "the first reader's mark is on the list")
        XCTAssertTrue(text.contains("spiculated mass"), "no blinding for the arbitrator")
        XCTAssertEqual(s.pendingDiscordances.count, 2)
        Fixtures.keys(&s, [.char("b"), .char("2"), .char("2")])
        s.viewer!.review.selection = s.findings.firstIndex { $0.key == "mammo-demo:2" }!
        Fixtures.keys(&s, [.char("A")])
        s.viewer!.review.selection = s.findings.firstIndex { $0.key == "reader-x" }!
        Fixtures.keys(&s, [.char("X"), .char("2")])
        let signed = Fixtures.keys(&s, [.char("S")])
        XCTAssertTrue(signed.contains(.screeningEvent(ScreeningEvent(reader: "carol", studyUID: "5.5", kind: .arbitrate, rightBIRADS: 2,
                                                                      leftBIRADS: 2, detail: "routine"))), "\(signed)")
        XCTAssertFalse(s.discordanceQueue.contains("5.5"))
    }

    func testStatisticsScreenAndViewKey() {
        var s = loaded()
        XCTAssertEqual(Fixtures.keys(&s, [.char("I")]), [.loadStats])
        _ = update(&s, .report(title: "Screening statistics", lines: ["Studies read: 3", "Recall rate: 33.3%"]))
        XCTAssertTrue(view(s).contains("Recall rate: 33.3%"))
        Fixtures.keys(&s, [.char("x")])
        XCTAssertNil(s.modal)
        var plain = Fixtures.state().0
        XCTAssertEqual(Fixtures.keys(&plain, [.char("I")]), [])
        Fixtures.keys(&plain, [.enter, .char("b")])
        XCTAssertTrue(plain.message.hasPrefix("Per-breast BI-RADS is for --second-reader"))
        s = opened()
        XCTAssertEqual(s.viewer?.display.activeViewport, 0)
        Fixtures.keys(&s, [.char("w")])
        XCTAssertEqual(s.message, "Active view: LCC")
        Fixtures.keys(&s, [.char("w"), .char("w"), .char("w")])
        XCTAssertEqual(s.viewer?.display.activeViewport, 0)
    }

    /// The reveal of a blinded read on a 0.2 mm mammogram (the spacing from the headers, as the
    /// study index reads it): the 10 mm minimum is 50 px, so a mark 30 px (6 mm) from the AI's
    /// 6 mm mass agrees and one 150 px (30 mm) away is discordant both ways. Without spacing, two
    /// points never agree and the reveal message says why. (1 mm per pixel called 30 px 30 mm.)
    func testRevealOnAPointTwoMillimetreMammogramMatchesInMillimetres() {
        func reveal(markX: Double, spacing: [Double]) -> (items: [DiscordanceRecord], message: String) {
            let headers = Self.views.enumerated().map { k, v in
                Fixtures.header(study: "5.5", series: "5.5.1", sop: "5.5.1.\(k)", name: "Roe^Mary", id: "MG1", modality: "MG",
                                description: "SCREENING MAMMO", instance: k + 1, laterality: v.0, view: v.1, pixelSpacing: spacing)
            }
            var s = AppState(columns: 130, rows: 40, reader: "alice")
            s.workflow = .secondReader
            _ = update(&s, .studiesLoaded(StudyIndex.group(headers)))
            _ = update(&s, .aiResult(studyUID: "5.5", AIResult(findings: [
                ReviewFinding(key: "mammo-demo:1", origin: .ai, label: "spiculated mass", probability: 0.93, risk: .high, seriesUID: "5.5.1",
                        sopUID: "5.5.1.1", centerX: 100, centerY: 100, diameterMM: 6, model: Self.model),
            ], model: Self.model, notForClinicalUse: true)))
            Fixtures.keys(&s, [.enter])
            let frames = headers.map { h in
                StackFrame(width: 300, height: 300, values: [Float](repeating: 0, count: 300 * 300), rgb: [], sopUID: h.sopInstanceUID,
                           path: h.path, frameIndex: 0, rowSpacing: spacing.first, columnSpacing: spacing.last, position: [],
                           fileWindow: nil, monochrome1: false, laterality: h.laterality, viewPosition: h.viewPosition)
            }
            _ = update(&s, .seriesLoaded(ImageStack(seriesUID: "5.5.1", frames: frames, sliceSpacing: nil)))
            mark(&s, viewport: 1, x: markX, y: 100, label: "mass")
            Fixtures.keys(&s, [.char("b"), .char("1"), .char("4")])
            guard case .reveal("5.5", let items)? = Fixtures.keys(&s, [.char("R")]).first else {
                XCTFail("no reveal: \(s.message)")
                return ([], s.message)
            }
            return (items, s.message)
        }
        XCTAssertEqual(reveal(markX: 130, spacing: [0.2, 0.2]).items, [])
        let far = reveal(markX: 250, spacing: [0.2, 0.2])
        XCTAssertEqual(far.items.map(\.kind), [.aiOnly, .readerOnly])
        XCTAssertEqual(far.message, "AI revealed: 2 discordance(s) need a decision (A keep/accept, X reject)")
        let unknown = reveal(markX: 105, spacing: [])
        XCTAssertEqual(unknown.items.map(\.kind), [.aiOnly, .readerOnly])
        XCTAssertEqual(unknown.message, "AI revealed: 2 discordance(s) need a decision (A keep/accept, X reject)"
                       + " — no pixel spacing on 1 image: marks there agree with the AI only inside an outlined box")
    }
}

extension AppState {
    var readerMarksCount: Int { viewer?.review.readerFindings.filter { !$0.removed }.count ?? 0 }
}
