import Foundation
import XCTest
@testable import Analysis

/// The card's trust sections: calibration, the content detector, the operating point, and what an
/// out-of-distribution run becomes under each policy.
final class TrustTests: XCTestCase {
    func testPlattIdentityAndInverse() {
        let identity = PlattCalibration(a: 1, b: 0)
        for p in [0.01, 0.3, 0.5, 0.9, 0.999] { XCTAssertEqual(identity(p), p, accuracy: 1e-9) }
        let c = PlattCalibration(a: 0.6, b: -1.2)
        for p in [0.05, 0.2, 0.5, 0.8, 0.97] { XCTAssertEqual(c(c.raw(p)), p, accuracy: 1e-9) }
        // Shrinks an overconfident model: a raw 0.999 is well below 0.999 once calibrated.
        XCTAssertLessThan(c(0.999), 0.96)
        XCTAssertLessThan(c(0.2), c(0.8), "monotone")
    }

    func testMahalanobisWithIdentityPrecisionIsEuclidean() throws {
        let d = try ContentOODDetector(featureOutput: "features", mean: [1, 2, 3], precision: [1, 0, 0, 0, 1, 0, 0, 0, 1], threshold: 2)
        XCTAssertEqual(try XCTUnwrap(d.distance([1, 2, 3])), 0, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(d.distance([4, 6, 3])), 5, accuracy: 1e-9)
        XCTAssertNil(d.distance([1, 2]), "a feature vector of the wrong length is not scored")
        let scaled = try ContentOODDetector(featureOutput: "f", mean: [0, 0], precision: [4, 0, 0, 0.25], threshold: 1)
        XCTAssertEqual(try XCTUnwrap(scaled.distance([1, 2])), (4.0 + 1.0).squareRoot(), accuracy: 1e-9)
    }

    func testRunVerdictIsTheMedian() throws {
        let d = try ContentOODDetector(featureOutput: "f", mean: [0], precision: [1], threshold: 3)
        // Two odd slices of five do not refuse the scan; three do.
        XCTAssertFalse(try XCTUnwrap(d.assess([1, 1, 1, 9, 9])).outOfDistribution)
        let check = try XCTUnwrap(d.assess([1, 1, 9, 9, 9]))
        XCTAssertTrue(check.outOfDistribution)
        XCTAssertEqual(check.imagesOver, 3)
        XCTAssertTrue(check.reason.contains("9.0 > 3.0"), check.reason)
        XCTAssertNil(d.assess([]))
    }

    func testMalformedDetectorsAreRejected() {
        XCTAssertThrowsError(try ContentOODDetector(featureOutput: "f", mean: [0, 0], precision: [1, 0, 0], threshold: 1))
        XCTAssertThrowsError(try ContentOODDetector(featureOutput: "f", mean: [.nan], precision: [1], threshold: 1))
        XCTAssertThrowsError(try ContentOODDetector(featureOutput: "f", mean: [0], precision: [1], threshold: 0))
        XCTAssertThrowsError(try ContentOODDetector(featureOutput: "f", mean: [], precision: [], threshold: 1))
    }

    func testModelTrustReadsTheCardSections() throws {
        let json = """
        {"id": "x", "outputs": {"risk_levels_space": "calibrated"},
         "ood_detector": {"method": "mahalanobis", "feature_output": "features", "dimension": 2, "mean": [0.5, -1],
                          "precision": [[2, 0], [0, 3]], "threshold": 4.5, "aggregate": "median"},
         "calibration": {"method": "platt", "candidates": {"a": 0.7, "b": -0.4}, "image_score": {"a": 1.1, "b": 0.2}},
         "operating_point": {"threshold": 0.4, "raw_threshold": 0.62}}
        """
        let t = try ModelTrust(cardJSON: Data(json.utf8))
        XCTAssertEqual(t.detector?.featureOutput, "features")
        XCTAssertEqual(t.detector?.precision, [2, 0, 0, 3])
        XCTAssertEqual(t.detector?.threshold, 4.5)
        XCTAssertEqual(t.candidateCalibration, PlattCalibration(a: 0.7, b: -0.4))
        XCTAssertEqual(t.scoreCalibration, PlattCalibration(a: 1.1, b: 0.2))
        XCTAssertEqual(t.operatingPoint?.rawThreshold, 0.62)
        XCTAssertTrue(t.riskLevelsCalibrated)
        XCTAssertTrue(t.isCalibrated)
        // A card without the sections: nothing, and no error.
        let plain = try ModelTrust(cardJSON: Data(#"{"id": "y"}"#.utf8))
        XCTAssertNil(plain.detector)
        XCTAssertFalse(plain.isCalibrated)
    }

    func testCorruptTrustSectionsThrow() {
        let ragged = #"{"ood_detector": {"method": "mahalanobis", "feature_output": "f", "mean": [0, 0], "precision": [[1, 0], [0]], "threshold": 1}}"#
        XCTAssertThrowsError(try ModelTrust(cardJSON: Data(ragged.utf8)))
        let energy = #"{"ood_detector": {"method": "energy", "feature_output": "f", "mean": [0], "precision": [[1]], "threshold": 1}}"#
        XCTAssertThrowsError(try ModelTrust(cardJSON: Data(energy.utf8)))
        let decreasing = #"{"calibration": {"candidates": {"a": -1, "b": 0}}}"#
        XCTAssertThrowsError(try ModelTrust(cardJSON: Data(decreasing.utf8)), "a decreasing calibration would reorder findings")
        let badPoint = #"{"operating_point": {"threshold": 1.5, "raw_threshold": 0.5}}"#
        XCTAssertThrowsError(try ModelTrust(cardJSON: Data(badPoint.utf8)))
    }

    private func output(ood: [String], findings: Int) -> StudyAnalysis.RunOutput {
        let model = ModelIdentity(id: "m", version: "1", sha256: "0")
        let f = Finding(label: "nodule", probability: 0.9, risk: .critical, centerMM: [0, 0, 0], diameterMM: 8,
                        sopInstanceUID: "1.2", centerPX: [1, 1], bboxPX: [0, 0, 2, 2], ood: !ood.isEmpty, model: model)
        let run = StudyAnalysis.Run(seriesInstanceUID: "1", model: model, status: findings > 0 ? .findings : .noFindings, message: nil,
                                    ood: ood, warnings: [], findings: findings, seconds: 0, cached: false)
        return StudyAnalysis.RunOutput(run: run, findings: Array(repeating: f, count: findings),
                                       imageScores: [ImageScore(sopInstanceUID: "1.2", probability: 0.9, model: model)], heatmaps: [])
    }

    func testAbstainingWithholdsEverythingAndSaysWhy() {
        let ood = output(ood: ["image content unlike the model's training images"], findings: 3)
        let abstained = ood.applying(.abstain)
        XCTAssertEqual(abstained.run.status, .abstained)
        XCTAssertEqual(abstained.run.withheld, 3)
        XCTAssertEqual(abstained.run.findings, 0)
        XCTAssertTrue(abstained.findings.isEmpty)
        XCTAssertTrue(abstained.imageScores.isEmpty)
        XCTAssertEqual(abstained.run.ood, ood.run.ood, "the reasons stay")
        let allowed = ood.applying(.allow)
        XCTAssertEqual(allowed.findings.count, 3)
        XCTAssertTrue(allowed.findings.allSatisfy(\.ood))
        // In-distribution output passes through either way.
        let fine = output(ood: [], findings: 2)
        XCTAssertEqual(fine.applying(.abstain).findings.count, 2)
        XCTAssertEqual(fine.applying(.abstain).run.status, .findings)
    }
}
