import Foundation
import Imaging
import XCTest
@testable import Analysis

/// The deterministic parts of the MR stroke analysis, each against an independent computation:
/// the intensity reference (numpy's percentiles), resampling between stacks of different slice
/// positions, the DWI–FLAIR relative signal, the territory rule, and finding the sequences of the
/// committed stroke samples by their acquisition attributes.
final class MRStrokePartsTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testReferenceIntensityMatchesNumpy() throws {
        // numpy: p99 = np.percentile(a, 99) = 360.80017; np.median(a[a > 0.1 * p99]) = 90.0
        let a: [Float] = [0, 0, 0, 1, 2, 3, 50, 60, 70, 80, 90, 100, 110, 120, 400]
        XCTAssertEqual(try XCTUnwrap(MRIntensityReference.percentile(a, 99)), 360.8, accuracy: 1e-3)
        XCTAssertEqual(try XCTUnwrap(MRIntensityReference.reference(a.shuffled())), 90, accuracy: 1e-9)
        XCTAssertNil(MRIntensityReference.reference([0, 0, 0]), "a black volume has no reference")
        XCTAssertNil(MRIntensityReference.reference([]))
    }

    /// Two axial stacks 1.5 mm apart along z, the source holding its own z position in every voxel:
    /// resampled onto the target, each voxel must read the target's z (clamped at the source's ends).
    func testResamplingFollowsPatientPositionBetweenSlices() throws {
        func stack(z0: Double, step: Double, slices: Int, valueIsZ: Bool) throws -> Volume {
            let (c, r) = (6, 5)
            var voxels = [Float]()
            for k in 0 ..< slices { voxels += [Float](repeating: valueIsZ ? Float(z0 + Double(k) * step) : 0, count: c * r) }
            return try Volume(columns: c, rows: r, slices: slices, voxels: voxels, spacing: (column: 2, row: 2, slice: step),
                              origin: [-5, -4, z0], sopInstanceUIDs: (0 ..< slices).map { "1.2.\($0)" })
        }
        let source = try stack(z0: -10.5, step: 5, slices: 6, valueIsZ: true)   // z −10.5 … 14.5
        let target = try stack(z0: -12, step: 5, slices: 6, valueIsZ: false)    // z −12 … 13
        let out = SequenceResampling.resample(source, onto: target)
        let plane = 30
        for k in 0 ..< 6 {
            let z = -12 + 5 * Double(k)
            let expected = min(max(z, -10.5), 14.5)
            for i in 0 ..< plane { XCTAssertEqual(Double(out[k * plane + i]), expected, accuracy: 1e-4, "slice \(k)") }
        }
        // Shifted in-plane by one column (2 mm): the voxel past the source's edge reads air.
        let shifted = try Volume(columns: 6, rows: 5, slices: 1, voxels: [Float](repeating: 0, count: 30), spacing: (column: 2, row: 2, slice: 5),
                                 origin: [-3 + 2 * 6, -4, 0], sopInstanceUIDs: ["x"])
        XCTAssertEqual(SequenceResampling.resample(source, onto: shifted)[0], 0, "outside the source image is air")
    }

    /// A left-sided lesion whose FLAIR is 1.5 against 1.0 in the mirror region: rSI 1.5, no
    /// mismatch at the 1.15 threshold; the same lesion with FLAIR 1.0 is a mismatch. The midline
    /// comes from the head's extent (columns 2…9 → mirror of column 7 is column 4).
    func testMismatchComparesTheLesionWithItsMirrorAcrossTheHeadMidline() throws {
        let (c, r) = (12, 4)
        func planes(lesionFLAIR: Float) -> (flair: [Float], p: [Float]) {
            var flair = [Float](repeating: 0, count: c * r), p = [Float](repeating: 0, count: c * r)
            for y in 0 ..< r { for x in 2 ... 9 { flair[y * c + x] = 1.0 } }
            for y in 1 ... 2 { flair[y * c + 7] = lesionFLAIR; p[y * c + 7] = 0.9 }
            return (flair, p)
        }
        let bright = planes(lesionFLAIR: 1.5)
        let late = try XCTUnwrap(DWIFLAIRMismatch.assess(flair: bright.flair, probability: bright.p, columns: c, rows: r, slices: 1,
                                                           pixelThreshold: 0.5, rsiThreshold: 1.15))
        XCTAssertEqual(late.relativeSignal, 1.5, accuracy: 1e-6)
        XCTAssertFalse(late.mismatch)
        let dark = planes(lesionFLAIR: 1.0)
        let early = try XCTUnwrap(DWIFLAIRMismatch.assess(flair: dark.flair, probability: dark.p, columns: c, rows: r, slices: 1,
                                                            pixelThreshold: 0.5, rsiThreshold: 1.15))
        XCTAssertEqual(early.relativeSignal, 1.0, accuracy: 1e-6)
        XCTAssertTrue(early.mismatch)
        XCTAssertNil(DWIFLAIRMismatch.assess(flair: dark.flair, probability: [Float](repeating: 0, count: c * r), columns: c, rows: r,
                                             slices: 1, pixelThreshold: 0.5, rsiThreshold: 1.15), "no lesion, no call")
    }

    /// The phantom generator's territory centres (Training/phantoms/brain_mr.py, TERRITORIES) in
    /// its head (centre (0, 5, 40) mm, semi-axes 72 × 92 × 95 mm) land in their own territory.
    func testTerritoryRuleOnThePhantomTerritoryCentres() {
        let lo: [Double] = [-72, 5 - 92, 40 - 95], hi: [Double] = [72, 5 + 92, 40 + 95]
        let centres: [(String, [Double])] = [
            ("left MCA", [46, 0, 48]), ("right MCA", [-46, 0, 48]), ("left PCA", [24, 58, 32]), ("right PCA", [-24, 58, 32]),
            ("left ACA", [8, -38, 72]), ("right ACA", [-8, -38, 72]),
        ]
        for (name, c) in centres { XCTAssertEqual(VascularTerritory.name(center: c, headMinimum: lo, headMaximum: hi), name) }
    }

    /// Sequences are found by acquisition attributes on both kinds of stroke sample: classic
    /// single-frame (16, GRETA) and Enhanced MR with b0 and b1000 in one object (17, JONAS).
    func testFindsDWIADCAndFLAIRInTheStrokeSamples() throws {
        for name in ["16_MR_BRAIN_GRETA_2026", "17_MR_BRAIN_JONAS_2026"] {
            let path = repo.appendingPathComponent("SampleStudies/\(name)").path
            guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no SampleStudies/") }
            let study = try XCTUnwrap(StudyIndex.scan([path], cache: nil).studies.first)
            let (found, warnings) = MRSequenceVolumes.load(study.series, kinds: [.dwi, .adc, .flair])
            XCTAssertEqual(warnings, [], name)
            let stacks = try found.require([.dwi, .adc, .flair])
            XCTAssertEqual(stacks.map(\.volume.slices), [24, 24, 24], name)
            XCTAssertEqual(stacks[0].volume.spacing.slice, 5, accuracy: 1e-6)
            XCTAssertEqual(stacks[2].volume.origin[2] - stacks[0].volume.origin[2], 1.5, accuracy: 1e-3, "FLAIR starts 1.5 mm higher")
            XCTAssertEqual(stacks[0].frameNumbers != nil, name.hasPrefix("17"), "Enhanced frames carry frame numbers")
            XCTAssertThrowsError(try found.require([.t2])) { XCTAssertEqual("\($0)", "the study has no T2 series") }
        }
    }
}

/// The committed stroke model through `StudyAnalysis`, on the committed samples.
final class StrokeStudyAnalysisTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func catalog() throws -> ModelCatalog {
        let models = repo.appendingPathComponent("Models")
        guard FileManager.default.fileExists(atPath: models.appendingPathComponent("mr-stroke-dwi-v1.onnx").path) else { throw XCTSkip("no stroke model") }
        // Without the brain-mask model: its 128³ 3-D network takes minutes in a debug build; the
        // release binary's use of it is checked by Tests/Conformance/analyze_cli.py.
        return ModelCatalog(entries: try ModelCatalog(folder: models).entries.filter { $0.card.task == .heatmap })
    }

    func testAcuteStrokeSampleGivesOneCriticalInfarctWithTerritoryAndMismatch() throws {
        let study = try XCTUnwrap(StudyIndex.scan([repo.appendingPathComponent("SampleStudies/16_MR_BRAIN_GRETA_2026").path], cache: nil).studies.first)
        let result = StudyAnalysis.analyze(study, catalog: try catalog())
        let run = try XCTUnwrap(result.runs.first { $0.model?.id == "mr-stroke-dwi-v1" })
        XCTAssertEqual(run.status, .findings, "\(run)")
        XCTAssertEqual(result.runs.filter { $0.status == .noApplicableModel }.count, 0, "the sequences the model read are not 'no applicable model'")
        let f = try XCTUnwrap(result.findings.first)
        XCTAssertEqual(result.findings.count, 1)
        XCTAssertEqual(f.label, "acute infarct")
        XCTAssertEqual(f.risk, .critical)
        XCTAssertEqual(f.territory, "left MCA")
        XCTAssertEqual(f.dwiFlairMismatch, true)
        XCTAssertEqual(try XCTUnwrap(f.volumeML), 18.81, accuracy: 18.81 * 0.2, "within 20 % of the sidecar's volume")
        XCTAssertEqual(f.seriesInstanceUID, run.seriesInstanceUID, "reported under the DWI series")
    }

    /// A brain-mask model whose file does not match its card is not run, and the stroke run says
    /// its findings are not limited to the brain (the mask is not a model the user runs, so no
    /// other run would report it).
    func testUnverifiedBrainMaskIsReportedNotSkippedSilently() throws {
        let study = try XCTUnwrap(StudyIndex.scan([repo.appendingPathComponent("SampleStudies/16_MR_BRAIN_GRETA_2026").path], cache: nil).studies.first)
        _ = try catalog()  // skips without the stroke model
        let installed = try ModelCatalog(folder: repo.appendingPathComponent("Models"))
        guard let mask = installed.brainMask else { throw XCTSkip("no brain-mask model installed") }
        // (Marked unverified, the 3-D mask model is never run: this stays quick in a debug build.)
        let tampered = ModelCatalog(entries: installed.entries.map {
            $0.card.id == mask.card.id ? ModelCatalog.Entry(card: $0.card, url: $0.url, verified: false) : $0
        })
        let result = StudyAnalysis.analyze(study, catalog: tampered)
        let run = try XCTUnwrap(result.runs.first { $0.model?.id == "mr-stroke-dwi-v1" })
        XCTAssertTrue(run.warnings.contains { $0.contains("\(mask.card.id) not run") && $0.contains("not limited to the brain") }, "\(run.warnings)")
        let withoutMask = StudyAnalysis.analyze(study, catalog: try catalog()).runs.first { $0.model?.id == "mr-stroke-dwi-v1" }
        XCTAssertFalse(withoutMask?.warnings.contains { $0.contains("not run") } ?? true, "no mask installed: nothing to report")
    }

    /// A brain MR without the stroke protocol (its T1 series alone): the model abstains and says
    /// what the study lacks; it is not an error.
    func testWithoutTheThreeSequencesTheModelAbstains() throws {
        let source = repo.appendingPathComponent("SampleStudies/16_MR_BRAIN_GRETA_2026")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-t1only-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasPrefix("MR06_") {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let study = try XCTUnwrap(StudyIndex.scan([dir.path], cache: nil).studies.first)
        let result = StudyAnalysis.analyze(study, catalog: try catalog())
        let run = try XCTUnwrap(result.runs.first { $0.model?.id == "mr-stroke-dwi-v1" })
        XCTAssertEqual(run.status, .abstained)
        XCTAssertTrue(run.ood.contains { $0.contains("no DWI") && $0.contains("ADC") && $0.contains("FLAIR") }, "\(run.ood)")
        XCTAssertTrue(result.findings.isEmpty)
    }
}
