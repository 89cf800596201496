import Analysis
import DICOM
import Foundation
import Imaging
import Review
import XCTest
@testable import Workstation

/// The workstation finds an SR in a study folder and shows its findings on the study's images:
/// a copy of a sample mammogram plus a report written by the exporter.
final class SRFindingsSourceTests: XCTestCase {
    func testFindingsOfAnSRInTheStudyAreShown() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sample = repo.appendingPathComponent("SampleStudies/02_MG_ALICE_2026")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-srsource-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["MG_LCC.dcm", "MG_LMLO.dcm"] {
            try FileManager.default.copyItem(at: sample.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let lcc = try DICOMFile.read(dir.appendingPathComponent("MG_LCC.dcm"), options: .init(stopBeforePixelData: true))
        let image = try XCTUnwrap(SRSourceImage(dataSet: lcc.dataSet))

        // Nothing to show before the report exists; the fallback's reason is kept.
        let source = SRFindingsSource(fallback: SidecarFindingsSource())
        let before = try XCTUnwrap(StudyIndex.scan([dir.path]).studies.first)
        XCTAssertNil(try source.analyze(before) { _ in })

        let findings = [
            ReviewedFinding(ReviewFinding(key: "m:1", origin: .ai, label: "spiculated mass", probability: 0.9, risk: .critical,
                            seriesUID: image.seriesInstanceUID, sopUID: image.sopInstanceUID, centerX: 262, centerY: 360,
                            width: 125, height: 147, diameterMM: 14, model: ModelIdentity(id: "breast", version: "1", sha256: "")),
                            outcome: .accepted, reader: "ann"),
            ReviewedFinding(ReviewFinding(key: "m:2", origin: .ai, label: "artefact", sopUID: image.sopInstanceUID, centerX: 10, centerY: 10),
                            outcome: .rejected, reason: "skin fold", reader: "ann"),
            ReviewedFinding(ReviewFinding(key: "r:1", origin: .reader, label: "calcifications", sopUID: image.sopInstanceUID,
                            centerX: 325, centerY: 375), outcome: .addedByReader, reader: "ann"),
        ]
        let doc = MeasurementReportDocument(builder: MeasurementReportBuilder(reader: "ann", findings: findings,
                                                                               images: [image.sopInstanceUID: image]), source: lcc.dataSet)
        try doc.write(to: dir.appendingPathComponent("report.dcm"))

        let study = try XCTUnwrap(StudyIndex.scan([dir.path]).studies.first)
        let result = try XCTUnwrap(try source.analyze(study) { _ in })
        XCTAssertEqual(result.findings.map(\.key), ["sr:m:1", "sr:r:1"], "rejected findings are not shown")
        let mass = result.findings[0]
        XCTAssertEqual(mass.label, "spiculated mass")
        XCTAssertEqual(mass.risk, .critical)
        XCTAssertEqual(mass.sopUID, image.sopInstanceUID)
        XCTAssertEqual(mass.seriesUID, image.seriesInstanceUID)
        XCTAssertEqual(try XCTUnwrap(mass.centerX), 262, accuracy: 1e-3)
        XCTAssertEqual(try XCTUnwrap(mass.centerY), 360, accuracy: 1e-3)
        XCTAssertEqual(mass.width, 125, accuracy: 1e-3)
        XCTAssertEqual(mass.probability ?? 0, 0.9, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result.findings[1].centerX), 325, accuracy: 1e-3)
        XCTAssertTrue(result.notForClinicalUse)
    }
}
