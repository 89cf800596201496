import Foundation
import Imaging
import Inference
import XCTest
@testable import Analysis

/// The content detector wired through the real pipeline: the committed models' `features` output,
/// on the real sample studies, for a volume (head CT, per-slice median) and a projection image
/// (radiograph). The detector here is a hand-made one (mean 0, identity precision) so the test
/// decides which side of the threshold the run falls on; the fitted ones are checked by
/// Tests/Conformance/trust.py.
final class AbstentionPipelineTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func entry(_ id: String, threshold: Double, calibration: PlattCalibration? = nil) throws -> ModelCatalog.Entry {
        let models = repo.appendingPathComponent("Models")
        guard FileManager.default.fileExists(atPath: models.appendingPathComponent("\(id).onnx").path) else { throw XCTSkip("no Models/") }
        let e = try XCTUnwrap(try ModelCatalog(folder: models).entries.first { $0.card.id == id })
        var trust = ModelTrust()
        trust.detector = try ContentOODDetector(featureOutput: "features", mean: [Double](repeating: 0, count: 64),
                                                precision: (0 ..< 64 * 64).map { $0 % 65 == 0 ? 1 : 0 }, threshold: threshold)
        trust.candidateCalibration = calibration
        return ModelCatalog.Entry(card: e.card, url: e.url, verified: e.verified, trust: trust)
    }

    private func study(_ name: String) throws -> StudyIndex.Study {
        try XCTUnwrap(StudyIndex.scan([repo.appendingPathComponent("SampleStudies/\(name)").path], cache: nil).studies.first)
    }

    func testVolumeRunAbstainsOnContentAndAllowShowsMarkedFindings() throws {
        let far = try entry("head-ct-haemorrhage-v1", threshold: 1e-6)
        let s = try study("11_CT_HEAD_CARLOS_2026")
        let abstained = StudyAnalysis.analyze(s, catalog: ModelCatalog(entries: [far]))
        XCTAssertEqual(abstained.runs.map(\.status), [.abstained])
        XCTAssertTrue(abstained.findings.isEmpty)
        XCTAssertTrue(abstained.heatmaps.isEmpty)
        XCTAssertGreaterThan(abstained.runs[0].withheld ?? 0, 0, "the haemorrhage was found and withheld")
        let check = try XCTUnwrap(abstained.runs[0].contentCheck)
        XCTAssertEqual(check.images, s.series[0].instances.count, "one distance per slice")
        XCTAssertTrue(abstained.runs[0].ood.contains { $0.hasPrefix("image content unlike") })
        XCTAssertTrue(abstained.abstained)

        let allowed = StudyAnalysis.analyze(s, catalog: ModelCatalog(entries: [far]), options: .init(ood: .allow))
        XCTAssertEqual(allowed.runs.map(\.status), [.findings])
        XCTAssertFalse(allowed.findings.isEmpty)
        XCTAssertTrue(allowed.findings.allSatisfy(\.ood))

        let near = try entry("head-ct-haemorrhage-v1", threshold: 1e9)
        let fine = StudyAnalysis.analyze(s, catalog: ModelCatalog(entries: [near]))
        XCTAssertEqual(fine.runs.map(\.status), [.findings])
        XCTAssertTrue(fine.runs[0].ood.isEmpty)
        XCTAssertFalse(fine.findings.contains(where: \.ood))
    }

    func testProjectionRunIsCheckedAndCalibrated() throws {
        let s = try study("07_CXR_YAMADA_2026")
        let far = StudyAnalysis.analyze(s, catalog: ModelCatalog(entries: [try entry("cxr-abnormality-v1", threshold: 1e-6)]))
        XCTAssertEqual(far.runs.map(\.status), [.abstained])
        XCTAssertTrue(far.imageScores.isEmpty && far.findings.isEmpty)
        // A calibration that halves the logit: every probability shown is the calibrated one.
        let cal = PlattCalibration(a: 0.5, b: 0)
        let raw = StudyAnalysis.analyze(s, catalog: ModelCatalog(entries: [try entry("cxr-abnormality-v1", threshold: 1e9)]),
                                        options: .init(threshold: 0.2))
        let calibrated = StudyAnalysis.analyze(s, catalog: ModelCatalog(entries: [try entry("cxr-abnormality-v1", threshold: 1e9, calibration: cal)]),
                                               options: .init(threshold: Float(cal(0.2))))
        XCTAssertEqual(calibrated.runs[0].calibrated, true)
        XCTAssertEqual(raw.findings.count, calibrated.findings.count, "the same threshold, moved to calibrated terms, keeps the same findings")
        for (r, c) in zip(raw.findings, calibrated.findings) { XCTAssertEqual(c.probability, cal(r.probability), accuracy: 1e-4) }
    }
}
