import DICOMweb
import Foundation
import Imaging
import XCTest
@testable import Workstation

/// Sign-off with `store_results = true`, without a terminal and with the archive down: the runtime
/// queues the study's SR in the outbox off the UI loop, the worker's send fails and the job stays
/// with its error, and the worklist shows the study's results as not sent. (No analysis here, so no
/// SEG; `Tests/Conformance/results_archive.py` sends SR and SEG to a real Orthanc.)
final class ResultsOnSignOffTests: XCTestCase {
    func testSignOffQueuesTheSRForTheStudysArchiveAndTheWorklistSaysItIsNotSent() throws {
        let dir = NSTemporaryDirectory() + "lightbox-results-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let mirror = dir + "/archives/pacs"
        try FileManager.default.createDirectory(atPath: mirror, withIntermediateDirectories: true)
        let sample = AnalysisQueueTests.sampleStudies.appendingPathComponent("07_CXR_YAMADA_2026/DX_PA.dcm").path
        try FileManager.default.copyItem(atPath: sample, toPath: mirror + "/DX_PA.dcm")

        var options = WorkstationOptions(paths: [mirror], databasePath: dir + "/review.sqlite", reader: "alice")
        options.configPath = nil
        var archive = ArchiveConfiguration(name: "pacs", baseURL: URL(string: "http://127.0.0.1:1/dicom-web")!)
        archive.storeResults = true
        options.resultsDestinations = [ResultsDestination(folder: mirror, archive: archive)]
        options.outbox = ResultsOutbox(folder: URL(fileURLWithPath: dir + "/outbox"))
        let rt = try Runtime(options: options)
        rt.state.columns = 200; rt.state.rows = 30
        let studies = StudyIndex.scan([mirror]).studies
        XCTAssertEqual(studies.count, 1)
        let uid = try XCTUnwrap(studies.first?.studyInstanceUID)
        rt.dispatch(.studiesLoaded(studies))
        rt.startResultsWorker()
        defer { rt.resultsWorker?.stop() }

        rt.perform(.signOff(studyUID: uid, assessment: "no finding", undecided: 0, forced: false))
        var jobs: [ResultsOutbox.Job] = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            jobs = options.outbox.jobs()
            if jobs.first?.attempts ?? 0 >= 1 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(jobs.count, 1)
        XCTAssertEqual(jobs.first?.studyUID, uid)
        XCTAssertEqual(jobs.first?.archive, "pacs")
        XCTAssertEqual(jobs.first?.files, ["sr.dcm"])
        XCTAssertNotNil(jobs.first?.lastError)

        // The worker's report reaches the worklist.
        let until = Date().addingTimeInterval(10)
        while Date() < until, rt.state.resultsPending[uid] == nil {
            for m in rt.inbox.drain() { rt.dispatch(m) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(rt.state.resultsPending[uid], "results not sent to pacs (1 try)")
        rt.state.modal = nil
        rt.state.viewer = nil
        XCTAssertTrue(view(rt.state).contains("[results not sent to pacs (1 try)]"), view(rt.state).snapshot())
    }
}
