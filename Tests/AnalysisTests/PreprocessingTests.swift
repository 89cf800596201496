import Foundation
import Imaging
import XCTest
@testable import Analysis

/// The 2-D preprocessing must reproduce training's numpy/torch operations exactly.
final class PreprocessingTests: XCTestCase {
    func testAreaAverageHasAdaptivePoolingBoxes() {
        // 5 → 2 columns: torch adaptive_avg_pool boxes are [0, 3) and [2, 5) (they overlap).
        let src: [Float] = [1, 2, 3, 4, 5]
        XCTAssertEqual(ImageResampling.areaAverage(src, width: 5, height: 1, toWidth: 2, toHeight: 1), [2, 4])
        // Integer factor: a plain 2×2 mean.
        let sq: [Float] = [0, 2, 4, 6,
                           2, 4, 6, 8]
        XCTAssertEqual(ImageResampling.areaAverage(sq, width: 4, height: 2, toWidth: 2, toHeight: 1), [2, 6])
        // 1000 → 256 rows: the first box is rows 0..<4, the second 3..<8.
        let rows = (0 ..< 1000).map { Float($0) }
        let pooled = ImageResampling.areaAverage(rows, width: 1, height: 1000, toWidth: 1, toHeight: 256)
        XCTAssertEqual(pooled[0], 1.5)
        XCTAssertEqual(pooled[1], 5)
        XCTAssertEqual(pooled[255], (996 + 997 + 998 + 999) / 4)
    }

    func testPercentilesInterpolateLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [1, 99.5]) = [1.04, 9.88]
        let p = ImageResampling.percentiles([10, 2, 4, 1, 3], [1, 99.5])
        XCTAssertEqual(Double(p[0]), 1.04, accuracy: 1e-5)
        XCTAssertEqual(Double(p[1]), 9.88, accuracy: 1e-5)
        let n = ImageResampling.percentileNormalised([0, 50, 100], low: 0, high: 100)
        XCTAssertEqual(n, [0, 0.5, 1])
    }

    /// The candidate rule is structured fields of the card, required: a card without it (or with a
    /// malformed one) is an error, never a silent default.
    func testCardCandidateRuleIsStructuredAndRequired() throws {
        let ct = try CardDetails(json: ["postprocessing": ["candidate_rule": ["minimum_peak": 0.1, "window": 7, "slice_window": 3,
                                                                             "suppression_mm": 10]]]).candidates
        XCTAssertEqual(ct.window, 7)
        XCTAssertEqual(ct.sliceWindow, 3)
        XCTAssertEqual(ct.minimumPeak, 0.1)
        XCTAssertEqual(ct.suppressionMM, 10)
        XCTAssertNil(ct.suppressionPX)
        let mg = try CardDetails(json: ["postprocessing": ["candidate_rule": ["minimum_peak": 0.2, "window": 5, "suppression_px": 8]]]).candidates
        XCTAssertEqual(mg.window, 5)
        XCTAssertEqual(mg.sliceWindow, 1)
        XCTAssertEqual(mg.minimumPeak, 0.2)
        XCTAssertEqual(mg.suppressionPX, 8)
        XCTAssertNil(mg.suppressionMM)
        let details = try CardDetails(json: ["preprocessing": ["invert_monochrome1": false, "resample": "bilinear to 256x256"],
                                             "postprocessing": ["candidate_rule": ["minimum_peak": 0.1, "window": 7, "suppression_px": 8]]])
        XCTAssertFalse(details.invertMonochrome1)
        XCTAssertFalse(details.areaResample)
        // The prose alone no longer counts, and every malformed rule is named.
        let prose: [String: Any] = ["candidates": "local maxima (7x7) of the heatmap with p >= 0.1, greedy suppression within 8 px"]
        XCTAssertThrowsError(try CardDetails(json: ["postprocessing": prose]))
        for bad: [String: Any] in [["minimum_peak": 1.5, "window": 7, "suppression_px": 8],
                                   ["minimum_peak": 0.1, "window": 6, "suppression_px": 8],
                                   ["minimum_peak": 0.1, "window": 7],
                                   ["minimum_peak": 0.1, "window": 7, "suppression_px": 8, "suppression_mm": 10]] {
            XCTAssertThrowsError(try CardDetails(json: ["postprocessing": ["candidate_rule": bad]]), "\(bad)")
        }
    }

    func testPeaksAreLocalMaximaWithSuppression() {
        var map = [Float](repeating: 0, count: 40 * 20)
        map[5 * 40 + 5] = 0.9      // strongest
        map[5 * 40 + 7] = 0.85     // 2 px away: inside the 7×7 window → not a local maximum
        map[5 * 40 + 9] = 0.8      // 4 px away: a maximum, 8 mm from the strongest at 2 mm/px → suppressed
        map[5 * 40 + 14] = 0.7     // 9 px away: 18 mm → kept
        map[15 * 40 + 35] = 0.6    // far away: kept
        map[15 * 40 + 20] = 0.05   // below the floor
        var rule = CardDetails.CandidateRule()
        let peaks = PeakCandidates.find(map, columns: 40, rows: 20, rule: rule, spacing: (column: 2, row: 2, slice: 1))
        XCTAssertEqual(peaks.map(\.probability), [0.9, 0.7, 0.6])
        XCTAssertEqual(peaks.map(\.x), [5, 14, 35])
        // A radius in model pixels (the mammography card's "8 px"), 10 px here: 0.7 is 9 px away.
        rule.suppressionMM = nil
        rule.suppressionPX = 10
        let px = PeakCandidates.find(map, columns: 40, rows: 20, rule: rule, spacing: (column: 2, row: 2, slice: 1))
        XCTAssertEqual(px.map(\.probability), [0.9, 0.6])
    }

    func testSaturatedPlateauIsSuppressedToSpacedPeaks() {
        // Every voxel equals its neighbourhood maximum: 163 840 "maxima" must thin out quickly.
        let (n, slices) = (64, 40)
        let map = [Float](repeating: 1, count: n * n * slices)
        let spacing = (column: 1.5, row: 1.5, slice: 2.5)
        let start = Date()
        let peaks = PeakCandidates.find(map, columns: n, rows: n, slices: slices, rule: .init(), spacing: spacing)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertGreaterThan(peaks.count, 20)
        for (i, p) in peaks.enumerated() { for q in peaks[..<i] {
            let d = (pow(Double(p.x - q.x) * 1.5, 2) + pow(Double(p.y - q.y) * 1.5, 2) + pow(Double(p.z - q.z) * 2.5, 2)).squareRoot()
            XCTAssertGreaterThan(d, 10)
        } }
    }

    func testNoduleTypeFromTheSolidCoreFraction() {
        let voxelML = 0.001   // 1 mm³ voxels
        XCTAssertEqual(NoduleTyping.classify(hu: [Float](repeating: 35, count: 300) + [Float](repeating: -600, count: 100), voxelML: voxelML).type, .solid)
        // 50 solid voxels (core ≈ 4.6 mm) in 1000 ground-glass voxels → part-solid.
        let part = NoduleTyping.classify(hu: [Float](repeating: 35, count: 50) + [Float](repeating: -540, count: 950), voxelML: voxelML)
        XCTAssertEqual(part.type, .partSolid)
        XCTAssertEqual(part.solidFraction, 0.05, accuracy: 1e-9)
        XCTAssertEqual(part.solidCoreMM, NoduleTyping.sphereDiameterMM(volumeML: 0.05), accuracy: 1e-9)
        // A couple of noisy voxels are not a solid core.
        XCTAssertEqual(NoduleTyping.classify(hu: [Float](repeating: -560, count: 998) + [-250, -280], voxelML: voxelML).type, .groundGlass)
    }

    func testBreastAssessmentTakesTheMostSuspiciousView() {
        let m = ModelIdentity(id: "mg", version: "1", sha256: "x")
        let scores = [ImageScore(sopInstanceUID: "1", laterality: "L", view: "CC", probability: 0.62, model: m),
                      ImageScore(sopInstanceUID: "2", laterality: "L", view: "MLO", probability: 0.30, model: m),
                      ImageScore(sopInstanceUID: "3", laterality: "R", view: "CC", probability: 0.005, model: m)]
        let finding = Finding(label: "suspicious lesion", probability: 0.9, risk: .high, centerMM: [], diameterMM: 10,
                              sopInstanceUID: "1", centerPX: [10, 10], bboxPX: [5, 5, 10, 10], ood: false, model: m)
        let breasts = BreastAssessment.summarise(scores, findings: [finding], ood: false)
        XCTAssertEqual(breasts.map(\.laterality), ["L", "R"])
        XCTAssertEqual(breasts[0].probability, 0.62)
        XCTAssertEqual(breasts[0].suspicionScore, 9)
        XCTAssertEqual(breasts[0].birads, "4C")
        XCTAssertEqual(breasts[0].sopInstanceUIDs, ["1", "2"])
        XCTAssertEqual(breasts[0].findings, 1)
        XCTAssertEqual(breasts[1].suspicionScore, 1)
        XCTAssertEqual(breasts[1].birads, "1", "no finding on the right breast: negative")
        // The same right breast with a finding on it gets the category of its score.
        let rightFinding = Finding(label: "suspicious lesion", probability: 0.6, risk: .high, centerMM: [], diameterMM: 10,
                                   sopInstanceUID: "3", centerPX: [10, 10], bboxPX: [5, 5, 10, 10], ood: false, model: m)
        XCTAssertEqual(BreastAssessment.summarise(scores, findings: [rightFinding], ood: false)[1].birads, "3")
    }
}

/// Haemorrhage components confined to an edge slice (where the context channels are replicated
/// copies) are dropped; the same blob with through-plane extent is kept.
final class EdgeSliceTests: XCTestCase {
    func testEdgeSliceOnlyHaemorrhageIsDropped() {
        let n = 32, slices = 6
        func run(_ zs: [Int]) throws -> [Finding] {
            var heat = [Float](repeating: 0, count: n * n * slices)
            for z in zs { for y in 10 ..< 20 { for x in 10 ..< 20 { heat[(z * n + y) * n + x] = 0.9 } } }
            let volume = try Volume(columns: n, rows: n, slices: slices, voxels: [Float](repeating: 40, count: heat.count),
                                spacing: (column: 1, row: 1, slice: 5), sopInstanceUIDs: (0 ..< slices).map { "2.25.\($0)" })
            let x = VolumeFindingExtractor(kind: .haemorrhage, threshold: 0.5, model: .init(id: "t", version: "1", sha256: "0"))
            return x.findings(volume: volume, probabilities: heat)
        }
        XCTAssertEqual(try run([5]).count, 0)
        XCTAssertEqual(try run([0]).count, 0)
        XCTAssertEqual(try run([4, 5]).count, 1)
        XCTAssertEqual(try run([2]).count, 1)
    }
}
