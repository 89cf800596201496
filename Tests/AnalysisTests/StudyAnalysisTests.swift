import Foundation
import Imaging
import Inference
import XCTest
@testable import Analysis

/// End to end on the real sample studies (real DICOM, the committed models): 2-D and 3-D paths,
/// the cache, and bad input (corrupt slice, unverified model).
final class StudyAnalysisTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func catalog() throws -> ModelCatalog {
        let models = repo.appendingPathComponent("Models")
        guard FileManager.default.fileExists(atPath: models.appendingPathComponent("head-ct-haemorrhage-v1.onnx").path) else { throw XCTSkip("no Models/") }
        return try ModelCatalog(folder: models)
    }

    private func study(_ path: String) throws -> StudyIndex.Study {
        let index = StudyIndex.scan([path], cache: nil)
        return try XCTUnwrap(index.studies.first, "no study in \(path)")
    }

    private func sample(_ name: String) -> String { repo.appendingPathComponent("SampleStudies/\(name)").path }

    private func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-analysis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// The IPH of the sample head CT (sidecar: centre and diameter).
    private func iph() throws -> (center: [Double], radius: Double) {
        let data = try Data(contentsOf: URL(fileURLWithPath: sample("11_CT_HEAD_CARLOS_2026") + "/ground_truth.json"))
        let gt = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let lesion = try XCTUnwrap((gt["lesions"] as? [[String: Any]])?.first)
        return (try XCTUnwrap(lesion["center_mm"] as? [Double]), try XCTUnwrap(lesion["diameter_mm"] as? Double) / 2)
    }

    private func hits(_ findings: [Finding], _ lesion: (center: [Double], radius: Double)) -> [Finding] {
        findings.filter { f in
            f.centerMM.count == 3 && zip(f.centerMM, lesion.center).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() <= lesion.radius
        }
    }

    func testHeadCTFindsTheHaemorrhageAndTheCacheReturnsIt() throws {
        let catalog = try catalog()
        let s = try study(sample("11_CT_HEAD_CARLOS_2026"))
        let cache = AnalysisCache(folder: try tempDir())
        let first = StudyAnalysis.analyze(s, catalog: catalog, cache: cache)
        XCTAssertEqual(first.runs.map(\.status), [.findings])
        XCTAssertFalse(first.runs[0].cached)
        let found = hits(first.findings, try iph())
        XCTAssertEqual(found.count, 1, "the IPH is found once")
        XCTAssertGreaterThan(try XCTUnwrap(found.first?.volumeABC2ML), 0)
        XCTAssertFalse(first.heatmaps.isEmpty)

        let second = StudyAnalysis.analyze(s, catalog: catalog, cache: cache)
        XCTAssertTrue(second.runs[0].cached)
        XCTAssertEqual(second.findings, first.findings)
        XCTAssertEqual(second.heatmaps, first.heatmaps)

        // A corrupt entry is ignored, recomputed and written again.
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.folder.path).filter { $0.hasSuffix(".f32") }
        XCTAssertEqual(entries.count, 1)
        try Data([1, 2, 3]).write(to: cache.folder.appendingPathComponent(entries[0]))
        let third = StudyAnalysis.analyze(s, catalog: catalog, cache: cache)
        XCTAssertFalse(third.runs[0].cached)
        XCTAssertEqual(third.findings, first.findings)
        XCTAssertTrue(StudyAnalysis.analyze(s, catalog: catalog, cache: cache).runs[0].cached)
    }

    func testNormalHeadCTHasNoFindingsAtTheValidatedOperatingPoint() throws {
        let r = StudyAnalysis.analyze(try study(sample("12_CT_HEAD_FRANK_2026")), catalog: try catalog())
        XCTAssertEqual(r.runs.map(\.status), [.noFindings])
        XCTAssertEqual(r.findings, [])
    }

    func testMammogramGetsPerBreastScoresAndRegisteredHeatmaps() throws {
        let r = StudyAnalysis.analyze(try study(sample("02_MG_ALICE_2026")), catalog: try catalog())
        XCTAssertEqual(r.runs.count, 1)
        XCTAssertEqual(r.imageScores.count, 4)
        XCTAssertEqual(Set(r.imageScores.compactMap(\.laterality)), ["L", "R"])
        XCTAssertEqual(r.breasts.map(\.laterality), ["L", "R"])
        for b in r.breasts { XCTAssertTrue((1 ... 10).contains(b.suspicionScore)) }
        XCTAssertEqual(r.heatmaps.count, 4)
        let h = try XCTUnwrap(r.heatmaps.first)
        XCTAssertEqual(h.onSourceGrid().count, 800 * 1000)
        XCTAssertEqual(h.sourceColumns, 800)
        for f in r.findings {
            XCTAssertEqual(f.centerMM.count, 3)
            XCTAssertNotNil(f.suspicionScore)
            XCTAssertTrue(["L", "R"].contains(f.laterality ?? ""))
            XCTAssertTrue(r.imageScores.contains { $0.sopInstanceUID == f.sopInstanceUID })
        }
    }

    func testCorruptSliceIsLeftOutWithAWarning() throws {
        let dir = try tempDir()
        let src = URL(fileURLWithPath: sample("11_CT_HEAD_CARLOS_2026"))
        let files = try FileManager.default.contentsOfDirectory(atPath: src.path).filter { $0.hasSuffix(".dcm") }.sorted()
        for f in files { try FileManager.default.copyItem(at: src.appendingPathComponent(f), to: dir.appendingPathComponent(f)) }
        let victim = dir.appendingPathComponent(files[5])
        let bytes = try Data(contentsOf: victim)
        try bytes.prefix(bytes.count * 2 / 3).write(to: victim)
        let r = StudyAnalysis.analyze(try study(dir.path), catalog: try catalog())
        XCTAssertEqual(r.runs.first?.status, .findings)
        XCTAssertTrue(r.runs.first?.warnings.contains { $0.contains("skipped unreadable slice \(files[5])") } ?? false, "\(r.runs)")
        XCTAssertEqual(hits(r.findings, try iph()).count, 1)
    }

    func testModelWhoseSHA256DoesNotMatchIsNotRunAndOthersAre() throws {
        let good = try catalog()
        let tampered = ModelCatalog(entries: good.entries.map {
            $0.card.id == "head-ct-haemorrhage-v1" ? ModelCatalog.Entry(card: $0.card, url: $0.url, verified: false) : $0
        })
        let head = StudyAnalysis.analyze(try study(sample("11_CT_HEAD_CARLOS_2026")), catalog: tampered)
        XCTAssertEqual(head.runs.map(\.status), [.error])
        XCTAssertTrue(head.runs[0].message?.contains("sha256") ?? false)
        XCTAssertTrue(head.hasErrors)
        let mg = StudyAnalysis.analyze(try study(sample("02_MG_ALICE_2026")), catalog: tampered)
        XCTAssertFalse(mg.hasErrors)
        XCTAssertEqual(mg.imageScores.count, 4)
    }

    func testStudyWithoutAFittingModelSaysSo() throws {
        let r = StudyAnalysis.analyze(try study(sample("11_CT_HEAD_CARLOS_2026")), catalog: ModelCatalog(entries: []))
        XCTAssertTrue(r.noApplicableModel)
        XCTAssertEqual(r.runs.map(\.status), [.noApplicableModel])
    }

    /// The radiograph path is generic: any card with a heatmap + score output and percentile
    /// normalisation runs. Here the committed mammography network is re-carded for chest
    /// radiographs (same .onnx, so its sha256 still verifies; it keeps the card's two-channel
    /// input, whose second channel repeats the image) and run on the CR sample, which is
    /// MONOCHROME1 and must be inverted first.
    func testRadiographPathRunsFromTheCardAlone() throws {
        let dir = try tempDir()
        let models = repo.appendingPathComponent("Models")
        try FileManager.default.copyItem(at: models.appendingPathComponent("mammo-suspicion-v1.onnx"),
                                         to: dir.appendingPathComponent("cxr-test.onnx"))
        var card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: models.appendingPathComponent("mammo-suspicion-v1.json"))) as? [String: Any])
        card["id"] = "cxr-test"
        // This test is about the card-driven 2-D path: the mammography content detector would
        // rightly refuse a radiograph, and its two-view rule needs a second view.
        card.removeValue(forKey: "ood_detector")
        if var post = card["postprocessing"] as? [String: Any] {
            post.removeValue(forKey: "two_view_support"); post.removeValue(forKey: "mirror_suppression"); card["postprocessing"] = post
        }
        card["intended_use"] = ["modality": "DX", "body_part": "CHEST", "views": ["PA"], "pixel_spacing_range": [0.3, 0.5],
                                "photometric_interpretation": "MONOCHROME2"]
        var outputs = try XCTUnwrap(card["outputs"] as? [String: Any])
        outputs["labels"] = ["abnormality"]
        outputs["risk_levels"] = ["abnormality": [["name": "low", "threshold": 0.1], ["name": "high", "threshold": 0.6]]]
        card["outputs"] = outputs
        try JSONSerialization.data(withJSONObject: card).write(to: dir.appendingPathComponent("cxr-test.json"))
        let catalog = try ModelCatalog(folder: dir)
        XCTAssertEqual(catalog.entries.map(\.verified), [true])

        let cr = try study(sample("08_CR_DMITRI_2026"))
        XCTAssertEqual(cr.first.modality, "CR")
        let r = StudyAnalysis.analyze(cr, catalog: catalog, options: .init(threshold: 0.3))
        XCTAssertEqual(r.runs.count, 1)
        XCTAssertEqual(r.runs[0].ood, [])
        XCTAssertTrue([.findings, .noFindings].contains(r.runs[0].status), "\(r.runs)")
        // The mammography card reads a second, other-breast channel; a radiograph has none (one warning
        // says so). MONOCHROME1 raises nothing: the card's inversion handles it.
        XCTAssertEqual(r.runs[0].warnings.count, 1, "\(r.runs[0].warnings)")
        XCTAssertTrue(r.runs[0].warnings.allSatisfy { $0.contains("without the other breast") }, "\(r.runs[0].warnings)")
        XCTAssertEqual(r.imageScores.count, 1)
        XCTAssertTrue(r.breasts.isEmpty)
        let h = try XCTUnwrap(r.heatmaps.first)
        XCTAssertEqual([h.width, h.height, h.sourceColumns, h.sourceRows], [208, 256, 1024, 1024])
        for f in r.findings {
            XCTAssertEqual(f.label, "abnormality")
            XCTAssertNil(f.suspicionScore)
            XCTAssertEqual(f.risk, f.probability >= 0.6 ? .high : .low)
            XCTAssertEqual(f.centerMM.count, 3)
        }

        // MONOCHROME1 inversion: the model input equals that of the same pixels inverted by hand.
        let header = try XCTUnwrap(cr.series.first?.instances.first)
        let image = try ProjectionImage.load(header)
        XCTAssertEqual(image.photometricInterpretation, "MONOCHROME1")
        let top = Float((1 << image.bitsStored) - 1)
        let inverted = ProjectionImage(sopInstanceUID: image.sopInstanceUID, columns: image.columns, rows: image.rows,
                                       values: image.values.map { top - $0 }, photometricInterpretation: "MONOCHROME2",
                                       bitsStored: image.bitsStored, pixelSpacing: image.pixelSpacing, imagePosition: image.imagePosition,
                                       imageOrientation: image.imageOrientation, laterality: "", viewPosition: "PA")
        let entry = try XCTUnwrap(catalog.entries.first)
        let analyzer = ImageAnalyzer(model: try Inference.Model.load(entry.url), card: entry.card, details: entry.details)
        XCTAssertEqual(try analyzer.input(for: image), try analyzer.input(for: inverted))
        XCTAssertNotEqual(try analyzer.input(for: image), try analyzer.input(for: ProjectionImage(
            sopInstanceUID: "x", columns: image.columns, rows: image.rows, values: image.values, photometricInterpretation: "MONOCHROME2",
            bitsStored: image.bitsStored, pixelSpacing: nil, imagePosition: nil, imageOrientation: nil, laterality: "", viewPosition: "")))
    }
}
