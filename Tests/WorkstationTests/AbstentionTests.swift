import XCTest
import Review
import TerminalGraphics
@testable import Workstation

/// An AI that abstained (input outside its validated range): the panel says so and why, its
/// findings stay hidden until W, and they never raise the worklist priority.
final class AbstentionTests: XCTestCase {
    private func abstainedResult(_ s: AppState) -> AIResult {
        var r = Fixtures.aiResult(study: s.entries[0].study)
        r.findings = r.findings.map { var f = $0; f.outOfDistribution = true; f.risk = .critical; return f }
        r.abstention = ["image content unlike the model's training images (feature distance 98.0 > 6.0; 5 of 5 image(s) over)"]
        return r
    }

    func testAbstainedStudyIsNotPrioritisedAndItsFindingsWaitForW() {
        var (s, stack) = Fixtures.state()
        _ = update(&s, .aiResult(studyUID: "1.1", abstainedResult(s)))
        XCTAssertEqual(s.entries[0].priority, "routine", "critical findings of an abstained run must not make the study STAT")
        XCTAssertFalse(view(s).contains("STAT"))
        XCTAssertTrue(view(s).contains("abstained"), "the worklist says the AI abstained, not \"2 findings, critical\"")
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        var screen = view(s)
        XCTAssertTrue(screen.contains("AI abstained: outside the") && screen.contains("validated range"))
        XCTAssertTrue(screen.contains("image content unlike"))
        XCTAssertTrue(screen.contains("2 finding(s) withheld"))
        XCTAssertTrue(s.findings.isEmpty)
        XCTAssertFalse(screen.contains("1. solid nodule"))
        Fixtures.keys(&s, [.char("W")])
        screen = view(s)
        XCTAssertEqual(s.findings.count, 2)
        XCTAssertTrue(screen.contains("1. solid nodule"))
        XCTAssertTrue(screen.contains("OOD, withheld"))
        Fixtures.keys(&s, [.char("W")])
        XCTAssertTrue(s.findings.isEmpty, "W hides them again")
    }

    func testWOnAStudyWhereTheAIDidNotAbstainSaysSo() {
        var (s, stack) = Fixtures.state()
        _ = update(&s, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: s.entries[0].study)))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        Fixtures.keys(&s, [.char("W")])
        XCTAssertEqual(s.message, "The AI did not abstain on this study")
        XCTAssertEqual(s.findings.count, 2)
    }

    func testUnknownSizeIsSaidNotZero() {
        var (s, stack) = Fixtures.state()
        var r = Fixtures.aiResult(study: s.entries[0].study)
        r.findings[0].diameterMM = nil
        _ = update(&s, .aiResult(studyUID: "1.1", r))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        let screen = view(s)
        XCTAssertTrue(screen.contains("size unknown"))
        XCTAssertFalse(screen.contains(" 0 mm"))
    }
}
