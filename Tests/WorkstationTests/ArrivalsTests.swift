import Imaging
import XCTest
@testable import Workstation

/// Studies that arrive while the worklist is open (`--watch`): merged, never reset.
final class ArrivalsTests: XCTestCase {
    func testNewStudyJoinsAndGrownStudyDropsStaleFindingsWhileOthersKeepTheirs() throws {
        var (state, _) = Fixtures.state()
        let (a, _) = Fixtures.ctStudy(uid: "1.1", slices: 5)
        let (b, _) = Fixtures.ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2", date: "20250505", slices: 5)
        _ = update(&state, .aiResult(studyUID: "1.1", Fixtures.aiResult(study: a)))
        _ = update(&state, .aiResult(studyUID: "2.2", Fixtures.aiResult(study: b)))
        state.entries[0].review = .inProgress

        // Study 2.2 received three more slices; a third study arrived; 1.1 is unchanged.
        let (bGrown, _) = Fixtures.ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2", date: "20250505", slices: 8)
        let (c, _) = Fixtures.ctStudy(uid: "3.3", name: "Poe^Edgar", id: "PID3", date: "20260301", slices: 2)
        _ = update(&state, .studiesRescanned([a, bGrown, c]))

        XCTAssertEqual(state.entries.map(\.uid), ["1.1", "2.2", "3.3"])
        let first = try XCTUnwrap(state.entries.first { $0.uid == "1.1" })
        XCTAssertNotNil(first.aiResult, "an unchanged study keeps its findings")
        XCTAssertEqual(first.review, .inProgress, "and its review status")
        let grown = try XCTUnwrap(state.entries.first { $0.uid == "2.2" })
        XCTAssertEqual(grown.study.instanceCount, 8)
        XCTAssertNil(grown.aiResult, "findings from fewer images are stale")
        XCTAssertEqual(grown.ai, .notRun(reason: "receiving images"))
        let new = try XCTUnwrap(state.entries.first { $0.uid == "3.3" })
        XCTAssertEqual(new.ordinal, 3)
        XCTAssertEqual(new.review, .unread)
        XCTAssertEqual(state.message, "1 new study arrived; 1 study received more images")

        // A rescan that finds nothing new changes nothing and says nothing.
        state.message = ""
        _ = update(&state, .studiesRescanned([a, bGrown, c]))
        XCTAssertEqual(state.entries.count, 3)
        XCTAssertEqual(state.message, "")
    }
}
