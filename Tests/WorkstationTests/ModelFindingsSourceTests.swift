import Analysis
import Foundation
import Imaging
import XCTest
@testable import Workstation

/// The workstation's background AI on the real sample studies and bundled models: 2-D models
/// (mammography per breast, chest radiograph) as well as CT, with heatmaps on the images' own
/// pixel grids, and a second open answered from the analysis cache.
final class ModelFindingsSourceTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func study(_ folder: String) throws -> StudyIndex.Study {
        let index = StudyIndex.scan([Self.root.appendingPathComponent("SampleStudies/\(folder)").path], cache: nil)
        return try XCTUnwrap(index.studies.first)
    }

    func source(cache: URL) throws -> ModelFindingsSource {
        try ModelFindingsSource(modelsFolder: Self.root.appendingPathComponent("Models"), cache: AnalysisCache(folder: cache))
    }

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-mfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testMammogramGetsPerBreastAssessmentsFindingsOnItsViewsAndHeatmapsOnTheirPixels() throws {
        let exam = try study("03_MG_BEATRIZ_2026")
        let result = try XCTUnwrap(try source(cache: try temporaryFolder()).analyze(exam) { _ in })
        XCTAssertEqual(result.model?.id, "mammo-suspicion-v1")
        XCTAssertTrue(result.notForClinicalUse)
        XCTAssertEqual(result.summary.count, 2, "one line per breast: \(result.summary)")
        XCTAssertTrue(result.summary.contains { $0.hasPrefix("R breast: ") && $0.contains("BI-RADS") })
        XCTAssertTrue(result.summary.contains { $0.hasPrefix("L breast: ") })
        let views = Dictionary(uniqueKeysWithValues: exam.series.flatMap(\.instances).map { ($0.sopInstanceUID, $0) })
        XCTAssertFalse(result.findings.isEmpty, "the exam holds a mass and a distortion")
        for f in result.findings {
            let view = try XCTUnwrap(views[f.sopUID], "a finding names one of the exam's images")
            XCTAssertEqual(f.seriesUID, view.seriesInstanceUID)
            let x = try XCTUnwrap(f.centerX), y = try XCTUnwrap(f.centerY)
            XCTAssertTrue((0 ..< Double(view.columns)).contains(x) && (0 ..< Double(view.rows)).contains(y))
        }
        XCTAssertFalse(result.heatmaps.isEmpty)
        for (sop, map) in result.heatmaps {
            let view = try XCTUnwrap(views[sop])
            XCTAssertEqual(map.sourceColumns, view.columns, "the map knows the pixels of the image it registers to")
            XCTAssertEqual(map.sourceRows, view.rows)
        }
    }

    func testChestRadiographRunsTheRadiographModelAndReopensFromTheCache() throws {
        let cxr = try study("07_CXR_YAMADA_2026")
        let cache = try temporaryFolder()
        let first = try XCTUnwrap(try source(cache: cache).analyze(cxr) { _ in })
        XCTAssertEqual(first.model?.id, "cxr-abnormality-v1")
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        XCTAssertFalse(cached.isEmpty, "the run is cached")
        let second = try XCTUnwrap(try source(cache: cache).analyze(cxr) { _ in })
        XCTAssertEqual(second.findings, first.findings)
        XCTAssertEqual(second.summary, first.summary)
    }

    /// The not-for-clinical-use banner comes from the card, not from a constant: a card that
    /// clears the flag (here a copy of the radiograph card) drops it.
    func testNotForClinicalUseIsReadFromTheCard() throws {
        let models = try temporaryFolder()
        for ext in ["onnx", "json"] {
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Models/cxr-abnormality-v1.\(ext)"),
                                             to: models.appendingPathComponent("cxr-abnormality-v1.\(ext)"))
        }
        let cardURL = models.appendingPathComponent("cxr-abnormality-v1.json")
        var card = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: cardURL)) as? [String: Any])
        card["not_for_clinical_use"] = false
        try JSONSerialization.data(withJSONObject: card).write(to: cardURL)
        let cleared = try ModelFindingsSource(modelsFolder: models, cache: nil).analyze(try study("07_CXR_YAMADA_2026")) { _ in }
        XCTAssertEqual(cleared?.notForClinicalUse, false)
        XCTAssertNil(cleared?.cardWarning)
        let bundled = try source(cache: try temporaryFolder()).analyze(try study("07_CXR_YAMADA_2026")) { _ in }
        XCTAssertEqual(bundled?.notForClinicalUse, true)
    }
}
