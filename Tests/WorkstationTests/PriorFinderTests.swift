import Imaging
import XCTest
@testable import Workstation

/// `PriorFinder` (a worklist's priors found at once, by patient) gives what `priorStudy(for:in:)`
/// gives over the whole worklist, study by study.
final class PriorFinderTests: XCTestCase {
    func testAgreesWithTheWholeWorklistSearch() {
        var studies: [StudyIndex.Study] = []
        // Three patients with CT and MR studies on several dates, one without a Patient ID.
        for (k, (id, modality, date)) in [("P1", "CT", "20240101"), ("P1", "CT", "20250101"), ("P1", "MR", "20250601"),
                                          ("P1", "CT", "20260101"), ("P2", "CT", "20250101"), ("P2", "CT", "20260101"),
                                          ("P3", "MR", "20260101"), ("", "CT", "20200101"), ("", "CT", "20260101")].enumerated() {
            let uid = "5.\(k)"
            studies += StudyIndex.group([Fixtures.header(study: uid, series: uid + ".1", sop: uid + ".1.1", id: id, date: date,
                                                         modality: modality)])
        }
        var state = AppState(columns: 120, rows: 30, reader: "alice")
        _ = update(&state, .studiesLoaded(studies))
        let finder = PriorFinder(state.entries)
        for entry in state.entries {
            XCTAssertEqual(finder.prior(for: entry)?.uid, priorStudy(for: entry, in: state.entries)?.uid, entry.uid)
        }
        // Some do have priors: the newest earlier study of the same patient and modality.
        XCTAssertEqual(finder.prior(for: state.entries[state.entryIndex(uid: "5.3")!])?.uid, "5.1")
        XCTAssertEqual(finder.prior(for: state.entries[state.entryIndex(uid: "5.5")!])?.uid, "5.4")
        XCTAssertNil(finder.prior(for: state.entries[state.entryIndex(uid: "5.2")!]), "no earlier MR")
        XCTAssertNil(finder.prior(for: state.entries[state.entryIndex(uid: "5.8")!]), "no Patient ID, no prior")
    }
}
