import Foundation
import Review
import XCTest
@testable import Workstation

/// The report editor: `d` drafts from the kept findings, typing / Enter / Backspace / arrows edit
/// in place (wide characters take two cells), Esc keeps the draft, and the sign-off saves the text
/// with it in the store.
final class ReportEditorTests: XCTestCase {
    func openWithFindings() -> AppState {
        var (s, stack) = Fixtures.state()
        _ = update(&s, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: s.entries[0].study)))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        return s
    }

    var editor: (AppState) -> ReportEditor? = { s in
        if case .reportEditor(let e)? = s.modal { return e }
        return nil
    }

    func testDraftFromKeptFindingsEditTypeNewlineBackspaceThenKeepAndSign() {
        var s = openWithFindings()
        // Accept the solid nodule; reject the ground-glass one.
        Fixtures.keys(&s, [.char("A"), .char("n"), .char("X"), .char("1")])
        Fixtures.keys(&s, [.char("d")])
        guard let e = editor(s) else { return XCTFail("no editor") }
        XCTAssertEqual(e.lines.first, "FINDINGS:")
        var screen = view(s)
        XCTAssertTrue(screen.contains("1. Solid nodule, 4.0 mm. Lung-RADS v2022 category 2 (benign appearance or behavior)."), screen.snapshot())
        XCTAssertFalse(screen.contains("Ground-glass"), "the rejected finding is left out")
        XCTAssertTrue(screen.contains("IMPRESSION:"))
        XCTAssertTrue(screen.contains("Esc keep draft & close"))

        // To the end of the first finding's line, then type, Enter, type, Backspace.
        Fixtures.keys(&s, [.down, .end] + Fixtures.type(" Stable.") + [.enter] + Fixtures.type("2. Scar, 山田x") + [.backspace])
        guard let edited = editor(s) else { return XCTFail() }
        XCTAssertEqual(edited.lines[1], "1. Solid nodule, 4.0 mm. Lung-RADS v2022 category 2 (benign appearance or behavior). Stable.")
        XCTAssertEqual(edited.lines[2], "2. Scar, 山田")
        XCTAssertEqual(edited.row, 2)
        XCTAssertEqual(edited.column, 11)
        screen = view(s)
        XCTAssertTrue(screen.contains("2. Scar, 山田"))
        XCTAssertEqual(screen.cursor?.column, 1 + 9 + 4, "the kanji take two cells each")
        XCTAssertEqual(screen.cursor?.row, 2 + 2)
        // Backspace at a line's start joins it to the line above; Enter splits it again.
        Fixtures.keys(&s, [.home, .backspace])
        XCTAssertTrue(editor(s)!.lines[1].hasSuffix("Stable.2. Scar, 山田"))
        Fixtures.keys(&s, [.enter])
        XCTAssertEqual(editor(s)!.lines[2], "2. Scar, 山田")
        // Control characters never enter the text.
        Fixtures.keys(&s, [.char("\u{1B}"), .char("\u{202E}")])
        XCTAssertEqual(editor(s)!.lines[2], "2. Scar, 山田")

        // Esc keeps the draft: one save, the text split into its sections.
        let effects = Fixtures.keys(&s, [.escape])
        XCTAssertNil(s.modal)
        guard case .saveReport("1.1", let kept)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(kept.findings, "1. Solid nodule, 4.0 mm. Lung-RADS v2022 category 2 (benign appearance or behavior). Stable.\n2. Scar, 山田")
        XCTAssertTrue(kept.impression.hasPrefix("Lung-RADS v2022 category 2: benign appearance or behavior (finding 1)."), kept.impression)
        XCTAssertTrue(view(s).contains("Report: draft kept"))
        // Reopening shows the kept text, not a new draft.
        Fixtures.keys(&s, [.char("d")])
        XCTAssertEqual(editor(s)?.lines[2], "2. Scar, 山田")
        XCTAssertEqual(Fixtures.keys(&s, [.escape]), [], "unchanged: nothing saved")
        XCTAssertEqual(s.viewer?.report.text, kept)

        // The sign-off carries the text.
        let signed = Fixtures.keys(&s, [.char("S"), .char("1")])
        XCTAssertEqual(signed.first, .signOff(studyUID: "1.1", assessment: "normal", undecided: 0, forced: false, report: kept))
    }

    func testF2KeepsAndGoesToTheSignOff() {
        var s = openWithFindings()
        Fixtures.keys(&s, [.char("d")] + Fixtures.type("x") + [.function(2)])
        guard case .prompt(let p)? = s.modal, p.purpose == .signAssessment else { return XCTFail("\(String(describing: s.modal))") }
        let effects = Fixtures.keys(&s, [.char("2"), .char("!")])
        guard case .signOff(_, "benign", 2, true, let report?)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertTrue(report.findings.hasPrefix("xFINDINGS:"), "typed before the heading: the heading is no longer alone on its line")
    }

    func testEditorMotions() {
        var e = ReportEditor(text: "ab\nc\n山田太郎")
        e.move(.lineEnd); e.move(.down)
        XCTAssertEqual([e.row, e.column], [1, 1], "down keeps the column where the line is long enough")
        e.move(.right); e.move(.right)
        XCTAssertEqual([e.row, e.column], [2, 1], "right wraps to the next line")
        e.deleteForward()
        XCTAssertEqual(e.lines[2], "山太郎")
        e.move(.up); e.move(.lineEnd); e.deleteForward()
        XCTAssertEqual(e.lines, ["ab", "c山太郎"])
        e.move(.pageUp(10)); e.move(.lineStart); e.backspace()
        XCTAssertEqual(e.text, "ab\nc山太郎", "backspace at the very start does nothing")
        // A label carrying terminal escapes (from a model card or an SR) is drawn and saved without them.
        XCTAssertEqual(ReportEditor(text: "1. nodule\u{1B}[31m\u{202E}x\n").lines, ["1. nodule[31mx", ""])
    }

    /// Through the runtime: the text is in the store with the sign-off, and a restart shows it signed.
    func testSignedReportIsStoredWithTheSignOff() throws {
        let dir = NSTemporaryDirectory() + "lightbox-report-ws-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func runtime() throws -> Runtime {
            var options = WorkstationOptions(paths: [], databasePath: dir + "/review.sqlite", reader: "alice")
            options.configPath = nil
            let rt = try Runtime(options: options)
            rt.state.columns = 120; rt.state.rows = 30
            let (a, stack) = Fixtures.ctStudy(uid: "1.1")
            rt.dispatch(.studiesLoaded([a]))
            rt.dispatch(.aiResult(studyUID: "1.1", Fixtures.aiResult(study: a)))
            rt.dispatch(.key(.enter))
            rt.dispatch(.seriesLoaded(stack))
            return rt
        }
        var rt = try runtime()
        for k: Key in [.char("A"), .char("n"), .char("A"), .char("d"), .down, .end, .char("!"), .escape, .char("S"), .char("3")] {
            rt.dispatch(.key(k))
        }
        let rows = try rt.store.reports(studyUID: "1.1", reader: "alice")
        XCTAssertEqual(rows.count, 2, "the kept draft, then the signed text")
        XCTAssertNil(rows[0].signoffID)
        XCTAssertEqual(rows[1].signoffID, try rt.store.signoffs(studyUID: "1.1", reader: "alice").last?.id)
        XCTAssertTrue(rows[1].text.findings.hasPrefix("1. Solid nodule, 4.0 mm."), rows[1].text.findings)
        XCTAssertTrue(rows[1].text.findings.contains("behavior).!"), rows[1].text.findings)
        rt = try runtime()
        XCTAssertTrue(view(rt.state).contains("Report: signed with the sign-off"), view(rt.state).snapshot())
        rt.dispatch(.key(.char("d")))
        XCTAssertTrue(view(rt.state).contains("behavior).!"))
    }
}
