import Foundation
import XCTest
@testable import Analysis

/// The figures `lightbox validate` computes, on hand-worked examples, and its lesion-matching rule.
final class SiteValidationTests: XCTestCase {
    typealias C = ValidationMetrics.Candidate

    func testAUCCountsTiesAsHalf() throws {
        XCTAssertEqual(try XCTUnwrap(ValidationMetrics.auc(scores: [0.9, 0.8, 0.3, 0.1], labels: [true, true, false, false])), 1)
        XCTAssertEqual(try XCTUnwrap(ValidationMetrics.auc(scores: [0.1, 0.9], labels: [true, false])), 0)
        // pos {0.5, 0.7}, neg {0.5, 0.2}: pairs (0.5,0.5)=½ (0.5,0.2)=1 (0.7,0.5)=1 (0.7,0.2)=1 → 3.5/4
        XCTAssertEqual(try XCTUnwrap(ValidationMetrics.auc(scores: [0.5, 0.7, 0.5, 0.2], labels: [true, true, false, false])), 0.875)
        XCTAssertNil(ValidationMetrics.auc(scores: [0.5], labels: [true]))
    }

    func testFROCAndOperatingPoint() throws {
        // 4 targets over 2 units: hits at 0.9, 0.6, 0.3; false marks at 0.8, 0.5, 0.2; a duplicate at 0.95.
        let cands = [C(probability: 0.95, hit: false, duplicate: true), C(probability: 0.9, hit: true), C(probability: 0.8, hit: false),
                     C(probability: 0.6, hit: true), C(probability: 0.5, hit: false), C(probability: 0.3, hit: true),
                     C(probability: 0.2, hit: false)]
        XCTAssertEqual(try XCTUnwrap(ValidationMetrics.froc(cands, targets: 4, units: 2, fp: 0.5)), 0.5)   // down to 0.6: 1 FP = 0.5/unit
        XCTAssertEqual(try XCTUnwrap(ValidationMetrics.froc(cands, targets: 4, units: 2, fp: 1)), 0.75)    // down to 0.3: 2 FP
        XCTAssertEqual(try XCTUnwrap(ValidationMetrics.froc(cands, targets: 4, units: 2, fp: 2)), 0.75)
        let op = ValidationMetrics.operatingPoint(cands, targets: 4, units: 2, threshold: 0.55)
        XCTAssertEqual(try XCTUnwrap(op.sensitivity), 0.5)
        XCTAssertEqual(op.falseMarksPerUnit, 0.5)
    }

    func testECEOfAPerfectlyAndABadlyCalibratedSet() throws {
        // Ten marks at p = 0.75 with 3 in 4 hits → ECE 0 (bin 0.7–0.8).
        let good = (0 ..< 8).map { C(probability: 0.75, hit: $0 % 4 != 0) }
        XCTAssertEqual(try XCTUnwrap(ValidationMetrics.ece(good)), 0, accuracy: 1e-12)
        // Everything at p = 1.0 with half right → ECE 0.5 (the "AI 100 %" problem).
        let bad = (0 ..< 10).map { C(probability: 1, hit: $0 % 2 == 0) }
        XCTAssertEqual(try XCTUnwrap(ValidationMetrics.ece(bad)), 0.5, accuracy: 1e-12)
        XCTAssertEqual(ValidationMetrics.reliability(bad).last?.count, 10, "p = 1 falls in the last bin")
    }

    private func finding(px: [Double], mm: [Double] = [], sop: String = "1.2.3") -> Finding {
        Finding(label: "x", probability: 0.9, risk: .high, centerMM: mm, diameterMM: 5, sopInstanceUID: sop, centerPX: px,
                bboxPX: [0, 0, 1, 1], ood: false, model: .init(id: "m", version: "1", sha256: "0"))
    }

    private func truth(_ json: String) throws -> GroundTruth { try JSONDecoder().decode(GroundTruth.self, from: Data(json.utf8)) }

    func testProjectionMatchingUsesTheBoxAndTheRadius() throws {
        let gt = try truth("""
        {"lesions": [{"diameter_mm": 10, "malignant": true, "appearances": [
            {"view": "LCC", "sop_instance_uid": "1.2.3", "center_px": [100, 100], "box_px": [80, 90, 140, 110]},
            {"view": "LMLO", "sop_instance_uid": "9.9", "center_px": [50, 50], "box_px": [40, 40, 60, 60]}]}]}
        """)
        let s = (column: 0.2, row: 0.2)
        // Inside the box, far from the centre (35 px = 7 mm > 5 mm radius): a hit.
        XCTAssertEqual(LesionMatching.hit(finding(px: [135, 100]), truth: gt, volumetric: false, spacing: s)?.sopInstanceUID, "1.2.3")
        // Outside the box (+2 mm = 10 px) and beyond 5 mm of the centre: a false mark.
        XCTAssertNil(LesionMatching.hit(finding(px: [100, 140]), truth: gt, volumetric: false, spacing: s))
        // Right place, other image: a false mark there.
        XCTAssertNil(LesionMatching.hit(finding(px: [100, 100], sop: "7.7"), truth: gt, volumetric: false, spacing: s))
        XCTAssertEqual(LesionMatching.targets(gt, volumetric: false, sops: ["1.2.3", "9.9"]).count, 2, "each appearance is a target")
    }

    /// Without pixel spacing only the box itself counts: 1 mm per pixel is never assumed, so neither
    /// the 5 mm radius nor the 2 mm widening applies (at 1 mm per pixel, 4 px outside the box hit).
    /// The sidecar uses `bbox_px`, the corners' name before the rename to `box_px`: it still reads.
    func testProjectionMatchingWithoutSpacingUsesTheBoxOnly() throws {
        let gt = try truth("""
        {"lesions": [{"diameter_mm": 10, "malignant": true, "appearances": [
            {"view": "LCC", "sop_instance_uid": "1.2.3", "center_px": [100, 100], "bbox_px": [80, 90, 140, 110]},
            {"view": "LMLO", "sop_instance_uid": "9.9", "center_px": [50, 50]}]}]}
        """)
        XCTAssertEqual(LesionMatching.hit(finding(px: [135, 100]), truth: gt, volumetric: false, spacing: nil)?.sopInstanceUID, "1.2.3")
        XCTAssertNil(LesionMatching.hit(finding(px: [100, 111]), truth: gt, volumetric: false, spacing: nil))
        XCTAssertNil(LesionMatching.hit(finding(px: [51, 50], sop: "9.9"), truth: gt, volumetric: false, spacing: nil))
    }

    func testVolumeMatchingUsesMillimetres() throws {
        let gt = try truth(#"{"lesions": [{"diameter_mm": 6, "center_mm": [10, 20, 30]}, {"diameter_mm": 30, "center_mm": [100, 0, 0]}]}"#)
        XCTAssertEqual(LesionMatching.hit(finding(px: [0, 0], mm: [13, 24, 30]), truth: gt, volumetric: true, spacing: nil)?.lesion, 0)  // 5 mm
        XCTAssertNil(LesionMatching.hit(finding(px: [0, 0], mm: [16, 20, 30]), truth: gt, volumetric: true, spacing: nil))                 // 6 mm
        XCTAssertEqual(LesionMatching.hit(finding(px: [0, 0], mm: [114, 0, 0]), truth: gt, volumetric: true, spacing: nil)?.lesion, 1)  // r = 15
    }

    func testFiguresLeaveAbstainedUnitsOutAndBootstrapIsRepeatable() throws {
        func unit(_ k: Int, _ hit: Bool, abstained: Bool = false) -> SiteValidation.Unit {
            SiteValidation.Unit(caseIndex: k, score: hit ? 0.9 : 0.1, label: hit, candidates: [C(probability: hit ? 0.9 : 0.6, hit: hit)],
                                targets: hit ? 1 : 0, abstained: abstained)
        }
        let units = (0 ..< 10).map { unit($0, $0 % 2 == 0) } + [unit(10, false, abstained: true)]
        let f = SiteValidation.figures(units, threshold: 0.5)
        XCTAssertEqual(f.units, 10)
        XCTAssertEqual(f.abstentionRate, 1.0 / 11, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(f.sensitivity), 1)
        XCTAssertEqual(f.falseMarksPerUnit, 0.5)
        XCTAssertEqual(try XCTUnwrap(f.auc), 1)
        let a = SiteValidation.bootstrap(units, threshold: 0.5, resamples: 200)
        XCTAssertEqual(a["sensitivity"], SiteValidation.bootstrap(units, threshold: 0.5, resamples: 200)["sensitivity"])
        let fp = try XCTUnwrap(a["false_marks_per_unit"])
        XCTAssertLessThanOrEqual(fp[0], 0.5)
        XCTAssertGreaterThanOrEqual(fp[1], 0.5)
    }

    func testVerdictNamesWhatFellBelowTheCard() {
        var card = CardFigures()
        card.values = ["auc": 0.95, "froc_sensitivity_at_1_fp": 0.9, "ece": 0.03]
        card.intervals = ["froc_sensitivity_at_1_fp": [0.85, 0.95]]
        let worse = SiteValidation.Figures(auc: 0.93, sensitivity: nil, falseMarksPerUnit: 0, froc: ["1": 0.7], ece: 0.2,
                                           abstentionRate: 0.2, units: 10, targets: 10)
        let v = card.verdicts(site: worse)
        XCTAssertTrue(v.contains { $0.hasPrefix("froc_sensitivity_at_1_fp is 0.700") }, "\(v)")
        XCTAssertTrue(v.contains { $0.hasPrefix("ECE") })
        XCTAssertTrue(v.contains { $0.contains("abstained on 20%") })
        XCTAssertFalse(v.contains { $0.hasPrefix("auc") }, "0.93 is within 0.05 of a card AUC without an interval")
        let same = SiteValidation.Figures(auc: 0.95, sensitivity: nil, falseMarksPerUnit: 0, froc: ["1": 0.9], ece: 0.03,
                                          abstentionRate: 0, units: 10, targets: 10)
        XCTAssertTrue(card.verdicts(site: same).isEmpty)
        // With the site's own intervals: a drop its interval cannot rule out is a note, not a verdict.
        let noisy = card.assess(site: worse, siteCI: ["froc_sensitivity_at_1_fp": [0.5, 0.9], "ece": [0.1, 0.3]])
        XCTAssertFalse(noisy.verdicts.contains { $0.hasPrefix("froc") })
        XCTAssertTrue(noisy.notes.contains { $0.hasPrefix("froc_sensitivity_at_1_fp is 0.700") && $0.contains("more cases would tell") })
        XCTAssertTrue(noisy.verdicts.contains { $0.hasPrefix("ECE") }, "the whole ECE interval is above the card's + 0.05")
    }

    /// A card with `validation.workstation` is compared on those figures (the same pipeline as the
    /// site's); one without falls back to evaluate.py's `in_distribution` and `operating_point.held_out`.
    func testCardFiguresPreferTheWorkstationSection() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cardfigures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let legacy: [String: Any] = [
            "validation": ["in_distribution": ["figures": ["image_auc": 0.99, "ece": 0.01],
                                               "ci95": ["image_auc": [0.97, 1.0]]]],
            "operating_point": ["held_out": ["sensitivity": 0.93, "false_marks_per_image": 0.1]],
        ]
        var both = legacy
        both["validation"] = ["in_distribution": (legacy["validation"] as! [String: Any])["in_distribution"]!,
                              "workstation": ["figures": ["auc": 0.98, "ece": 0.04, "sensitivity": 0.95, "false_marks_per_unit": 0.2],
                                              "ci95": ["ece": [0.02, 0.09]]]]
        func card(_ json: [String: Any], _ name: String) throws -> CardFigures {
            let url = dir.appendingPathComponent(name)
            try JSONSerialization.data(withJSONObject: json).write(to: url)
            return CardFigures(cardAt: url.path)
        }
        let old = try card(legacy, "legacy.json")
        XCTAssertEqual(old.values["auc"], 0.99)
        XCTAssertEqual(old.values["ece"], 0.01)
        XCTAssertEqual(old.values["sensitivity"], 0.93)
        XCTAssertEqual(old.intervals["auc"], [0.97, 1.0])
        let ws = try card(both, "both.json")
        XCTAssertEqual(ws.values["auc"], 0.98)
        XCTAssertEqual(ws.values["ece"], 0.04)
        XCTAssertEqual(ws.values["false_marks_per_unit"], 0.2)
        XCTAssertEqual(ws.intervals["ece"], [0.02, 0.09])
        XCTAssertNil(ws.intervals["auc"], "evaluate.py's interval is not mixed into the workstation figures")
    }
}
