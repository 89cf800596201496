import Foundation
import XCTest
@testable import Workstation

/// The results outbox without an archive: a failed send keeps the job on disk with its error and a
/// back-off, a later success removes it, the worklist summary names the study, and studies are
/// matched to the archive whose local folder holds them. `Tests/Conformance/results_archive.py`
/// sends to a real Orthanc.
final class ResultsOutboxTests: XCTestCase {
    struct Down: Error, CustomStringConvertible { var description: String { "connection refused" } }

    func testAFailedSendStaysQueuedWithItsErrorUntilASendSucceeds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = ResultsOutbox(folder: dir)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try outbox.enqueue(studyUID: "1.2.3", archive: "pacs", files: [("sr.dcm", Data([1, 2])), ("seg.dcm", Data([3]))], now: t0)

        var left = outbox.attemptDue(now: t0) { _, _, _ in throw Down() }
        XCTAssertEqual(left.count, 1)
        XCTAssertEqual(left[0].attempts, 1)
        XCTAssertEqual(left[0].lastError, "connection refused")
        XCTAssertEqual(left[0].nextAttempt, t0.addingTimeInterval(10))
        XCTAssertEqual(ResultsOutbox.summary(left)["1.2.3"], "results not sent to pacs (1 try)")

        // Not due yet: nothing is tried. A new outbox on the same folder (another process) sees the job.
        var tried = 0
        left = ResultsOutbox(folder: dir).attemptDue(now: t0.addingTimeInterval(5)) { _, _, _ in tried += 1 }
        XCTAssertEqual(tried, 0)
        XCTAssertEqual(left.count, 1)

        var sent: [String] = []
        left = outbox.attemptDue(now: t0.addingTimeInterval(11)) { archive, files, study in
            sent = [archive, study] + files.map(\.lastPathComponent)
            XCTAssertEqual(try Data(contentsOf: files[0]), Data([1, 2]))
        }
        XCTAssertEqual(sent, ["pacs", "1.2.3", "sr.dcm", "seg.dcm"])
        XCTAssertTrue(left.isEmpty)
        XCTAssertTrue(outbox.jobs().isEmpty)
    }

    func testBackOffDoublesUpToTenMinutes() {
        XCTAssertEqual([1, 2, 3, 7, 20].map(ResultsOutbox.backoff(attempts:)), [10, 20, 40, 600, 600])
    }

    func testAStudyGoesToTheArchiveWhoseFolderHoldsIt() throws {
        let a = ResultsDestination(folder: "/cache/archives/pacs", archive: .init(name: "pacs", baseURL: URL(string: "http://p/dicom-web")!))
        XCTAssertEqual(ResultsDestination.find([a], paths: ["/cache/archives/pacs/1.2/x.dcm"])?.archive.name, "pacs")
        XCTAssertNil(ResultsDestination.find([a], paths: ["/cache/archives/pacs2/1.2/x.dcm", "/data/y.dcm"]))
    }
}
