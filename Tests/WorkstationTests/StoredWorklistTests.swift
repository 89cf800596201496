import Imaging
import TerminalGraphics
import XCTest
@testable import Workstation

/// A worklist shown from the study index store (`studiesFromStore`) and then checked against the
/// disk (`studiesVerified`): it becomes what the scan found, keeps places, statuses and the
/// selection, and never drops the study open in the viewer.
final class StoredWorklistTests: XCTestCase {
    func testCheckedWorklistTakesTheScansStudiesAndKeepsTheOpenOne() throws {
        var state = AppState(columns: 140, rows: 30, reader: "alice")
        let (a, _) = Fixtures.ctStudy(uid: "1.1", name: "Doe^Jane", id: "PID1", date: "20260105", slices: 5)
        let (b, _) = Fixtures.ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2", date: "20260104", slices: 5)
        let (c, _) = Fixtures.ctStudy(uid: "3.3", name: "Poe^Edgar", id: "PID3", date: "20260103", slices: 3)
        let (d, _) = Fixtures.ctStudy(uid: "4.4", name: "Moe^Mary", id: "PID4", date: "20260102", slices: 2)
        _ = update(&state, .studiesFromStore([a, b, c, d]))
        XCTAssertTrue(state.worklistUnverified)
        XCTAssertTrue(view(state).contains("4/4 studies (as last indexed; checking the files)"), view(state).snapshot())
        state.entries[1].review = .inProgress
        _ = update(&state, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: a)))
        _ = update(&state, .aiResult(studyUID: "2.2", Fixtures.aiResult(study: b)))
        // The reader has study 4.4 open and the selection on 3.3.
        _ = openStudy(&state, "4.4")
        state.worklistSelection = try XCTUnwrap(state.visibleOrder.firstIndex { state.entries[$0].uid == "3.3" })

        // On disk: 1.1 unchanged, 2.2 rewritten with the same count, 3.3 and 4.4 gone, 5.5 new.
        let (bRewritten, _) = Fixtures.ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2", date: "20260104", slices: 5)
        let (e, _) = Fixtures.ctStudy(uid: "5.5", name: "Zoe^Zed", id: "PID5", date: "20260101", slices: 1)
        _ = update(&state, .studiesVerified([a, bRewritten, e], changed: ["2.2", "5.5"]))

        XCTAssertFalse(state.worklistUnverified)
        XCTAssertEqual(state.entries.map(\.uid), ["1.1", "2.2", "4.4", "5.5"], "3.3 is gone; the open 4.4 stays")
        XCTAssertEqual(state.entryPositions, ["1.1": 0, "2.2": 1, "4.4": 2, "5.5": 3])
        XCTAssertEqual(state.entries.map(\.ordinal), [1, 2, 4, 5], "the new study does not reuse a removed one's ordinal")
        XCTAssertNotNil(state.entries[0].aiResult, "an unchanged study keeps its findings")
        XCTAssertNil(state.entries[1].aiResult, "findings on files changed since are stale")
        XCTAssertEqual(state.entries[1].review, .inProgress, "and keeps its review status")
        XCTAssertEqual(state.message, "Worklist checked against the files: 1 new, 1 changed, 1 no longer on disk, removed")
        XCTAssertFalse(view(state).contains("as last indexed"))
        // The selection was on a study that left: it stays in range.
        XCTAssertLessThan(state.worklistSelection, state.visibleOrder.count)

        // A check that finds the store right changes nothing and says nothing.
        state.message = ""
        _ = update(&state, .studiesFromStore([a, b]))
        _ = update(&state, .studiesVerified([a, b], changed: []))
        XCTAssertEqual(state.entries.map(\.uid), ["1.1", "2.2"])
        XCTAssertEqual(state.message, "")
    }

    func testSelectionFollowsItsStudyWhenOthersLeaveOrArrive() throws {
        var state = AppState(columns: 140, rows: 30, reader: "alice")
        let studies = (1 ... 4).map { Fixtures.ctStudy(uid: "7.\($0)", id: "P\($0)", date: "2026010\($0)", slices: 1).0 }
        _ = update(&state, .studiesFromStore(studies))
        let selected = "7.2"
        state.worklistSelection = try XCTUnwrap(state.visibleOrder.firstIndex { state.entries[$0].uid == selected })
        // 7.4 (listed above it) leaves and a newer 7.5 (listed first) arrives: both move its position.
        let newer = Fixtures.ctStudy(uid: "7.5", id: "P5", date: "20260109", slices: 1).0
        _ = update(&state, .studiesVerified(studies.filter { $0.studyInstanceUID != "7.4" } + [newer], changed: ["7.5"]))
        XCTAssertEqual(state.entries.count, 4)
        XCTAssertEqual(state.entries[state.visibleOrder[0]].uid, "7.5")
        XCTAssertEqual(state.entries[state.visibleOrder[state.worklistSelection]].uid, selected)
    }

    func testTheOpenStudyChangedOnDiskIsReadAgain() throws {
        var state = AppState(columns: 140, rows: 30, reader: "alice")
        let (a, stack) = Fixtures.ctStudy(uid: "1.1", slices: 5)
        _ = update(&state, .studiesFromStore([a]))
        _ = openStudy(&state, "1.1")
        _ = update(&state, .seriesLoaded(stack))
        XCTAssertNotNil(state.stacks[stack.seriesUID])
        let (grown, _) = Fixtures.ctStudy(uid: "1.1", slices: 7)
        let effects = update(&state, .studiesVerified([grown], changed: ["1.1"]))
        XCTAssertNil(state.stacks[stack.seriesUID], "the images of the old files are dropped")
        XCTAssertEqual(effects, [.loadSeries(seriesUID: stack.seriesUID)])
        XCTAssertEqual(state.currentEntry?.study.instanceCount, 7)
        // Unchanged: nothing is read again.
        _ = update(&state, .seriesLoaded(stack))
        XCTAssertEqual(update(&state, .studiesVerified([grown], changed: [])), [])
    }
}
