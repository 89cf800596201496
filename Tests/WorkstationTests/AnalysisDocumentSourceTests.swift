import Analysis
import Foundation
import Review
import TerminalGraphics
import XCTest
@testable import Workstation

/// `analysis.json` as the workstation meets it: through `AnalysisDocument`, the one reader and
/// writer of the format, and `AIResult(document:study:)`, the one view of it.
final class AnalysisDocumentSourceTests: XCTestCase {
    func testSidecarParsesIssue6Schema() throws {
        let json = """
        {"model": {"id": "lung-nodule", "version": "2.0", "sha256": "ff", "clinical_use": false},
         "findings": [{"id": 3, "label": "nodule", "probability": 0.8, "risk": "HIGH", "sop_instance_uid": "1.2",
                       "series_instance_uid": "1", "center_px": [10, 11], "bbox_px": [5, 6, 10, 10], "diameter_mm": 6.5, "ood": true, "category": "4B"},
                      {"probability": 0.1}]}
        """
        let study = Fixtures.ctStudy(uid: "S").0
        let document = try AnalysisDocument.decode(Data(json.utf8))
        XCTAssertEqual(document.problems, ["finding left out: no label"])
        let r = SidecarFindingsSource.result(document, study: study)
        XCTAssertEqual(r.findings.count, 1)
        let f = r.findings[0]
        XCTAssertEqual(f.key, "lung-nodule:3")
        XCTAssertEqual(f.risk, .high)
        XCTAssertEqual(f.width, 10)
        XCTAssertTrue(f.outOfDistribution)
        XCTAssertEqual(f.category, "4B")
        // A bare array of findings, each with its own model (the Analysis module's encoding).
        let bare = SidecarFindingsSource.result(try AnalysisDocument.decode(Data(#"[{"label": "mass", "probability": 0.7, "risk": "critical", "bbox_px": [1, 2, 4, 6], "model": {"id": "mg", "version": "1", "sha256": "aa"}}]"#.utf8)), study: study)
        XCTAssertEqual(bare.findings.first?.key, "mg:1")
        XCTAssertEqual(bare.findings.first?.centerX, 3)
        XCTAssertEqual(bare.findings.first?.centerY, 5)
        XCTAssertEqual(bare.model?.id, "mg")
        XCTAssertTrue(bare.notForClinicalUse)
        XCTAssertTrue(r.notForClinicalUse)
        XCTAssertEqual(r.model, ModelIdentity(id: "lung-nodule", version: "2.0", sha256: "ff"))
    }

    func testHeatmapFromNPYBesideTheFileFollowsToggleAndOpacity() throws {
        let dir = NSTemporaryDirectory() + "lightbox-heat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A 4×8 float32 map, NPY v1.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 8), }"
        while (10 + header.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0]) + Data(header.utf8)
        for i in 0 ..< 32 { var v = Float(i) / 31; npy.append(Data(bytes: &v, count: 4)) }
        try npy.write(to: URL(fileURLWithPath: dir + "/h.npy"))
        var (s, stack) = Fixtures.state()
        let sop = s.entries[0].study.series[0].instances[2].sopInstanceUID
        let json = #"{"findings": [], "heatmaps": [{"sop_instance_uid": "\#(sop)", "npy": "h.npy"}, {"sop_instance_uid": "x", "npy": "../etc.npy"}]}"#
        let document = try AnalysisDocument.decode(Data(json.utf8), directory: URL(fileURLWithPath: dir))
        XCTAssertEqual(document.problems.count, 1, "the map outside the folder is left out, and said so")
        let r = SidecarFindingsSource.result(document, study: s.entries[0].study)
        XCTAssertEqual(r.heatmaps.count, 1)
        XCTAssertEqual(r.heatmaps[sop]?.width, 8)
        _ = update(&s, .aiResult(studyUID: "1.1", r))
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        func heat() -> ScalarOverlay? {
            for o in view(s).images[0].overlays { if case .heatmap(let h) = o { return h } }
            return nil
        }
        XCTAssertEqual(heat()?.width, 32, "resampled to the image grid")
        XCTAssertEqual(heat()?.opacity, 0.5)
        Fixtures.keys(&s, [.char("o")])
        XCTAssertEqual(heat()?.opacity, 0.75)
        Fixtures.keys(&s, [.char("h")])
        XCTAssertNil(heat())
        Fixtures.keys(&s, [.char("h"), .char("a")])
        XCTAssertNil(heat(), "the AI key hides the heatmap too")
    }


    /// What `lightbox analyze --json` writes, saved beside the study, comes back with its heatmap,
    /// abstention reasons, banner and keys: before, the sidecar reader expected `{sop, npy}` maps
    /// and silently dropped the analyzer's inline ones.
    func testTheAnalyzersOwnDocumentKeepsHeatmapsAndKeys() throws {
        let (study, _) = Fixtures.ctStudy(uid: "1.1")
        let series = study.series[0]
        let sop = series.instances[1].sopInstanceUID
        let model = ModelIdentity(id: "ldct-demo", version: "1", sha256: "ab")
        var finding = Analysis.Finding(label: "nodule", probability: 0.83, risk: .high, centerMM: [1, 2, 3], diameterMM: nil,
                                       sopInstanceUID: sop, centerPX: [12, 13], bboxPX: [8, 9, 8, 8], ood: false, model: model)
        finding.id = "\(sop):1"
        finding.seriesInstanceUID = series.seriesInstanceUID
        let map = ModelGridHeatmap(sopInstanceUID: sop, width: 4, height: 4, values: (0 ..< 16).map { Float($0) / 15 },
                                   sourceColumns: 32, sourceRows: 32)
        let run = StudyAnalysis.Run(seriesInstanceUID: series.seriesInstanceUID, model: model, status: .findings, message: nil,
                                    ood: [], warnings: ["slice 3 unreadable"], findings: 1, seconds: 0.1, cached: false)
        let written = AnalysisDocument(studyInstanceUID: "1.1",
                                       models: [.init(id: "ldct-demo", version: "1", sha256: "ab", clinicalUse: false, warning: "synthetic")],
                                       findings: [finding], runs: [run], heatmaps: [map])
        let data = try written.encoded()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains(#""diameter_mm" : null"#), "an unknown size is null, not absent: \(text.prefix(400))")
        XCTAssertTrue(text.contains(#""size_unknown" : "no pixel spacing""#))
        let read = try AnalysisDocument.decode(data)
        XCTAssertEqual(read, written)
        let r = SidecarFindingsSource.result(read, study: study)
        XCTAssertEqual(r.findings.map(\.key), ["ldct-demo:\(sop):1"], "the key the in-process run gives the same finding")
        XCTAssertEqual(r.findings.first?.seriesUID, series.seriesInstanceUID)
        XCTAssertNil(r.findings.first?.diameterMM)
        XCTAssertEqual(r.heatmaps[sop]?.width, 4, "kept on the model grid (the view samples only what it shows)")
        XCTAssertEqual(r.heatmaps[sop]?.sourceColumns, 32, "and registered to the image's own grid")
        XCTAssertTrue(r.notForClinicalUse)
        XCTAssertEqual(r.cardWarning, "synthetic — slice 3 unreadable")
        XCTAssertTrue(try written.encoded(heatmaps: false).count < data.count)
        // Another study's document shows nothing.
        XCTAssertTrue(SidecarFindingsSource.result(read, study: Fixtures.ctStudy(uid: "2.2").0).findings.isEmpty)
    }

    /// Sizes from the file are checked when read: a map whose values do not fill its grid, a
    /// probability outside 0…1 or a non-finite centre cost only themselves, never a trap later.
    func testBadValuesAreLeftOutAndNamed() throws {
        let json = """
        {"study_instance_uid": "1.1", "models": [{"id": "m", "clinical_use": true}],
         "findings": [{"label": "a", "probability": 1.5, "risk": "high"},
                      {"label": "b", "probability": 0.5, "risk": "severe"},
                      {"label": "c", "probability": 0.5, "risk": "low", "center_px": [1], "bbox_px": [0, 0, -3, 2]},
                      {"label": "d", "probability": 0.4, "risk": "low", "model": {"id": "m"}}],
         "heatmaps": [{"sop_instance_uid": "x", "width": 4, "height": 4, "values": [0.5], "source_columns": 8, "source_rows": 8},
                      {"sop_instance_uid": "y", "width": 100000, "height": 1, "values": [], "source_columns": 8, "source_rows": 8}],
         "runs": [{"status": "findings"}]}
        """
        let d = try AnalysisDocument.decode(Data(json.utf8))
        XCTAssertEqual(d.findings.map(\.label), ["c", "d"])
        XCTAssertEqual(d.findings[0].bboxPX, [], "a negative size is no box")
        XCTAssertEqual(d.findings[0].centerPX, [])
        XCTAssertTrue(d.heatmaps.isEmpty)
        XCTAssertTrue(d.runs.isEmpty)
        XCTAssertEqual(d.problems.count, 5, "\(d.problems)")
        XCTAssertTrue(d.problems.contains { $0.contains("1.5") }, "\(d.problems)")
        XCTAssertFalse(d.notForClinicalUse)
        XCTAssertThrowsError(try AnalysisDocument.decode(Data("not json".utf8)))
        XCTAssertThrowsError(try AnalysisDocument.decode(Data("42".utf8)))
    }
}
