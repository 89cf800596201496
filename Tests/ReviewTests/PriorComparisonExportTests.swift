import Analysis
import DICOM
import Foundation
import XCTest
@_spi(Testing) @testable import Review

/// The comparison with the prior through the review store and the SR (issue 19): what the reader
/// saw when deciding is kept with the decision, a re-link or unlink is its own append-only row and
/// wins, the SR carries the change with time point context, and the nodule's Tracking UID is the
/// same in the prior's report and the follow-up's.
final class PriorComparisonExportTests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "lightbox-prior-sr-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    let model = ModelIdentity(id: "ldct", version: "1", sha256: String(repeating: "0f", count: 32))
    let current = "1.2.3", prior = "1.2.2"

    func growing() -> ReviewFinding {
        var f = ReviewFinding(key: "ldct:RLL-1", origin: .ai, label: "solid nodule", probability: 0.8, risk: .high,
                              seriesUID: "1.2.3.4", sopUID: "1.2.3.4.1", centerX: 20, centerY: 30, width: 8, height: 8,
                              diameterMM: 9.5, volumeML: 0.45, model: model)
        var p = PriorComparison(studyInstanceUID: prior, status: .growing)
        p.findingID = "RLL-1"; p.centerMM = [10, -20, 105.5]; p.diameterMM = 7; p.volumeML = 0.18
        p.diameterChangeMM = 2.5; p.meanDiameterChangeMM = 2.4; p.volumeChangePct = 150; p.volumeDoublingDays = 276; p.intervalDays = 365
        p.priorCategory = "3"
        f.prior = p
        return f
    }

    func sourceHeader() throws -> DataSet {
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.2")
        ds.set(.sopInstanceUID, .UI, "1.2.3.4.1")
        ds.set(.studyInstanceUID, .UI, current)
        ds.set(.seriesInstanceUID, .UI, "1.2.3.4")
        ds.set(.modality, .CS, "CT")
        return try DICOMFile.parse(try Part10Writer.data(ds)).dataSet
    }

    func export(_ findings: [ReviewedFinding], study: String) throws -> DICOMFile {
        var builder = MeasurementReportBuilder(reader: "ann", findings: findings, images: [:])
        builder.studyUID = study
        let url = URL(fileURLWithPath: dir + "/sr-\(study).dcm")
        try MeasurementReportDocument(builder: builder, source: try sourceHeader()).write(to: url)
        return try DICOMFile.read(url)
    }

    func testTheDecisionKeepsTheComparisonAndTheSRCarriesIt() throws {
        let store = try ReviewStore(path: dir + "/review.sqlite")
        try store.recordDecision(reader: "ann", studyUID: current, finding: growing(), decision: .accept)
        let stored = try XCTUnwrap(try store.reviewedFindings(studyUID: current, reader: "ann").first)
        XCTAssertEqual(stored.prior, growing().prior, "every field of the comparison back from the store")
        XCTAssertEqual(stored.priorSummary, "+2.4 mm, VDT 276 d, growing")

        let file = try export([stored], study: current)
        let back = try XCTUnwrap(try SRFindingsReader.read(file).first)
        XCTAssertEqual(back.prior?.status, .growing)
        XCTAssertEqual(back.prior?.studyInstanceUID, prior)
        XCTAssertEqual(back.prior?.volumeDoublingDays ?? 0, 276, accuracy: 1e-9)
        XCTAssertEqual(back.prior?.meanDiameterChangeMM ?? 0, 2.4, accuracy: 1e-9)
        XCTAssertEqual(back.prior?.diameterMM ?? 0, 7, accuracy: 1e-9)
        // Time point context in the measurement group.
        let group = try XCTUnwrap(measurementGroups(file).first)
        XCTAssertEqual(group.child(SRCodes.timePoint)?.text, "follow-up")
        XCTAssertEqual(group.child(SRCodes.timePointOrder)?.number, 2)
    }

    func testTheTrackingUIDIsSharedWithThePriorsReport() throws {
        // The follow-up's nodule, matched to the prior's RLL-1.
        let followUp = try export([ReviewedFinding(growing(), outcome: .accepted, reader: "ann")], study: current)
        // The prior's own report: its finding RLL-1, read with no prior of its own.
        let baseline = ReviewFinding(key: "ldct:RLL-1", origin: .ai, label: "solid nodule", seriesUID: "1.2.2.4", sopUID: "1.2.2.4.1",
                                     diameterMM: 7, model: model)
        let priorReport = try export([ReviewedFinding(baseline, outcome: .accepted, reader: "ann")], study: prior)
        let a = try XCTUnwrap(measurementGroups(followUp).first?.child(SRCodes.trackingUID)?.text)
        let b = try XCTUnwrap(measurementGroups(priorReport).first?.child(SRCodes.trackingUID)?.text)
        XCTAssertEqual(a, b)
        XCTAssertTrue(a.hasPrefix("2.25."))
        // A nodule new since the prior has its own.
        var new = growing()
        new.prior = PriorComparison(studyInstanceUID: prior, status: .new)
        let newReport = try export([ReviewedFinding(new, outcome: .accepted, reader: "ann")], study: current)
        XCTAssertNotEqual(measurementGroups(newReport).first?.child(SRCodes.trackingUID)?.text, a)
    }

    func testAReaderUnlinkIsAppendOnlyAndWinsOverTheDecision() throws {
        let store = try ReviewStore(path: dir + "/review.sqlite")
        try store.recordDecision(reader: "ann", studyUID: current, finding: growing(), decision: .accept)
        var unlinked = PriorComparison(studyInstanceUID: prior, status: .new)
        unlinked.intervalDays = 365
        try store.recordPriorLink(PriorLinkRecord(studyUID: current, findingKey: "ldct:RLL-1", analysisFindingID: "RLL-1",
                                                  comparison: unlinked), reader: "ann")
        let links = try store.priorLinks(studyUID: current)
        XCTAssertEqual(links.count, 1)
        XCTAssertEqual(links[0].reader, "ann")
        XCTAssertNil(links[0].priorFindingID)
        XCTAssertEqual(links[0].analysisFindingID, "RLL-1")
        XCTAssertEqual(try store.reviewedFindings(studyUID: current, reader: "ann").first?.prior?.status, .new)
        XCTAssertThrowsError(try store.rawQuery("DELETE FROM prior_links"), "append-only")
        XCTAssertThrowsError(try store.rawQuery("UPDATE prior_links SET prior_status = 'stable'"), "append-only")
        // Another reader's link is theirs alone.
        XCTAssertEqual(try store.reviewedFindings(studyUID: current, reader: "bob").count, 0)
        XCTAssertTrue(try store.effectivePriorLinks(studyUID: current, reader: "bob").isEmpty)
    }

    func measurementGroups(_ file: DICOMFile) -> [SRParsedItem] {
        let root = SRParsedItem(file.dataSet)
        return root.descendants.filter { $0.concept?.matches(SRCodes.measurementGroup) ?? false }
    }
}
