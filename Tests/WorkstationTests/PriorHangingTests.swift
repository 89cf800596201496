import Analysis
import XCTest
import Imaging
import Review
@testable import Workstation

/// A CT follow-up read against its prior on the in-memory screen: the two studies of one patient
/// a year apart, the prior in its own frame of reference 100 mm higher (another table position),
/// the analysis's registration saying so, and a nodule that grew.
final class PriorHangingTests: XCTestCase {
    let currentUID = "1.1", priorUID = "1.0"

    func study(_ uid: String, date: String, z0: Double, frame: String) -> ([InstanceHeader], ImageStack) {
        let series = uid + ".1"
        let headers = (0 ..< 10).map { k in
            var h = Fixtures.header(study: uid, series: series, sop: "\(series).\(k + 1)", date: date, instance: k + 1, z: z0 + Double(k) * 2)
            h.frameOfReferenceUID = frame
            return h
        }
        let frames = headers.map { h in
            StackFrame(width: 32, height: 32, values: [Float](repeating: -1000, count: 32 * 32), rgb: [], sopUID: h.sopInstanceUID, path: h.path,
                       frameIndex: 0, rowSpacing: 0.5, columnSpacing: 0.5, position: h.imagePosition, fileWindow: nil,
                       monochrome1: false, laterality: "", viewPosition: "", orientation: [1, 0, 0, 0, 1, 0])
        }
        return (headers, ImageStack(seriesUID: series, frames: frames, sliceSpacing: 2))
    }

    /// The AI result of the follow-up: one growing nodule on slice 4 (z 8) matched to the prior's
    /// nodule "P1" at prior z 108, and one prior nodule "P2" that resolved.
    func aiResult(_ current: StudyIndex.Study) -> AIResult {
        let s = current.series[0]
        var f = ReviewFinding(key: "ldct:1", origin: .ai, label: "solid nodule", probability: 0.8, risk: .high,
                              seriesUID: s.seriesInstanceUID, sopUID: s.instances[4].sopInstanceUID, centerX: 16, centerY: 16,
                              width: 6, height: 6, diameterMM: 9.5, volumeML: 0.45)
        f.category = "4B"
        var p = PriorComparison(studyInstanceUID: priorUID, status: .growing)
        p.findingID = "P1"; p.centerMM = [8, 8, 108]; p.diameterMM = 7; p.volumeML = 0.18
        p.diameterChangeMM = 2.5; p.meanDiameterChangeMM = 3.1; p.volumeChangePct = 150; p.volumeDoublingDays = 210; p.intervalDays = 365
        f.prior = p
        var result = AIResult(findings: [f], model: ModelIdentity(id: "ldct", version: "1", sha256: ""), notForClinicalUse: true)
        result.registration = PriorRegistration(priorStudyInstanceUID: priorUID, priorSeriesInstanceUID: priorUID + ".1",
                                                transform: RigidTransform(rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [0, 0, 100]),
                                                method: "test", seconds: 0)
        var resolved = ResolvedFinding(studyInstanceUID: priorUID, findingID: "P2", label: "solid nodule", centerMM: [4, 4, 112])
        resolved.diameterMM = 6; resolved.volumeML = 0.11
        result.resolved = [resolved]
        return result
    }

    func open() -> AppState {
        var s = AppState(columns: 160, rows: 40, reader: "alice")
        let (current, currentStack) = study(currentUID, date: "20260110", z0: 0, frame: "FOR-NOW")
        let (prior, priorStack) = study(priorUID, date: "20250110", z0: 100, frame: "FOR-THEN")
        let studies = StudyIndex.group(current + prior)
        _ = update(&s, .studiesLoaded(studies))
        let c = studies.first { $0.studyInstanceUID == currentUID }!
        _ = update(&s, .aiResult(studyUID: currentUID, aiResult(c)))
        let effects = openStudy(&s, currentUID)
        let loads = effects.compactMap { if case .loadSeries(let uid) = $0 { return uid } else { return nil } }
        XCTAssertEqual(Set(loads), [currentUID + ".1", priorUID + ".1"], "the prior's volume is read with the current one")
        _ = update(&s, .seriesLoaded(currentStack))
        _ = update(&s, .seriesLoaded(priorStack))
        return s
    }

    func testAFollowUpCTOpensBesideItsPriorLinkedThroughTheRegistration() {
        var s = open()
        XCTAssertEqual(s.viewer?.display.layout, .sideBySide)
        let vps = s.viewports
        XCTAssertEqual(vps.map(\.stackUID), [currentUID + ".1", priorUID + ".1"])
        XCTAssertTrue(vps[1].title.hasPrefix("PRIOR · 12 months earlier"), vps[1].title)
        XCTAssertTrue(view(s).contains("PRIOR · 12 months earlier"))
        // Each step keeps the prior at the same anatomy: current z maps to prior z + 100.
        Fixtures.keys(&s, [.char("g")])
        for _ in 0 ..< 6 {
            let (a, b) = (s.viewports[0].plane!.origin[2], s.viewports[1].plane!.origin[2])
            XCTAssertEqual(b, a + 100, accuracy: 1e-9)
            Fixtures.keys(&s, [.char("j")])
        }
        // Without the registration the scanners' positions are all there is: the prior stays at its nearest slice to z.
        s.entries[s.entryIndex(uid: currentUID)!].aiResult?.registration = nil
        Fixtures.keys(&s, [.char("g"), .char("j")])
        XCTAssertEqual(s.viewports[1].sliceIndex, 0)
    }

    func testThePanelShowsTheChangeAndAJumpShowsThePriorNodule() {
        var s = open()
        let screen = view(s)
        XCTAssertTrue(screen.contains("+3.1 mm, VDT 210 d, growing, Lung-RADS 4B"), screen.snapshot())
        XCTAssertTrue(screen.contains("Resolved since the prior:"))
        XCTAssertTrue(screen.contains("solid nodule 6 mm, Z 112"))
        Fixtures.keys(&s, [.char("n")])
        XCTAssertEqual(s.viewports[0].sliceIndex, 4, "the current nodule's slice")
        XCTAssertEqual(s.viewports[1].sliceIndex, 4, "the prior nodule's slice (prior z 108)")
        let marks = s.priorMarks(on: s.viewports[1].plane!, sliceSpacing: 2)
        XCTAssertEqual(marks.count, 1)
        XCTAssertEqual(marks.first?.label, "prior: solid nodule")
        XCTAssertEqual(marks.first?.x ?? 0, 16, accuracy: 1e-9)
    }

    func testUnlinkingAndRelinkingAreRecordedAndChangeTheComparison() {
        var s = open()
        Fixtures.keys(&s, [.char("n"), .char("U")])
        guard case .prompt(let p)? = s.modal, case .relinkPrior(let key, let ids) = p.purpose else { return XCTFail("no prompt") }
        XCTAssertEqual(key, "ldct:1")
        XCTAssertEqual(ids, ["", "P1", "P2"], "unlink, the analysis's match, the resolved nodule")
        // 1: unlink.
        var effects = Fixtures.keys(&s, [.char("1")])
        guard case .recordPriorLink(let unlink)? = effects.first else { return XCTFail("not recorded: \(effects)") }
        XCTAssertEqual(unlink.comparison.status, .new)
        XCTAssertEqual(unlink.analysisFindingID, "P1")
        XCTAssertEqual(s.findings.first?.prior?.status, .new)
        XCTAssertTrue(view(s).contains("new, Lung-RADS 4B"))
        XCTAssertEqual(Set(s.resolvedPriorNodules.compactMap(\.findingID)), ["P1", "P2"], "the unlinked match resolved")
        // Re-link to P2 (6 mm, 0.11 mL a year ago): growing, its doubling time worked out again.
        Fixtures.keys(&s, [.char("U")])
        effects = Fixtures.keys(&s, [.char("3")])
        guard case .recordPriorLink(let relink)? = effects.first else { return XCTFail("not recorded: \(effects)") }
        XCTAssertEqual(relink.priorFindingID, "P2")
        XCTAssertEqual(relink.comparison.status, .growing)
        let vdt = 365 * log(2) / log(0.45 / 0.11)
        XCTAssertEqual(relink.comparison.volumeDoublingDays ?? 0, vdt, accuracy: 1e-6)
        XCTAssertEqual(s.resolvedPriorNodules.compactMap(\.findingID), ["P1"])
    }
}
