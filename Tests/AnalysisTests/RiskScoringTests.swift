import XCTest
@testable import Analysis

final class RiskScoringTests: XCTestCase {
    func testLungRADSBaselineTable() {
        XCTAssertEqual(LungRADS.category(type: .solid, meanDiameterMM: 5.9), .two)
        XCTAssertEqual(LungRADS.category(type: .solid, meanDiameterMM: 6.0), .three)
        XCTAssertEqual(LungRADS.category(type: .solid, meanDiameterMM: 7.96), .fourA)  // rounds to 8.0
        XCTAssertEqual(LungRADS.category(type: .solid, meanDiameterMM: 14.9), .fourA)
        XCTAssertEqual(LungRADS.category(type: .solid, meanDiameterMM: 15), .fourB)
        XCTAssertEqual(LungRADS.category(type: .partSolid, meanDiameterMM: 5, solidComponentMM: 3), .two)
        XCTAssertEqual(LungRADS.category(type: .partSolid, meanDiameterMM: 18, solidComponentMM: 5), .three)
        XCTAssertEqual(LungRADS.category(type: .partSolid, meanDiameterMM: 18, solidComponentMM: 7), .fourA)
        XCTAssertEqual(LungRADS.category(type: .partSolid, meanDiameterMM: 18, solidComponentMM: 8), .fourB)
        XCTAssertEqual(LungRADS.category(type: .groundGlass, meanDiameterMM: 29), .two)
        XCTAssertEqual(LungRADS.category(type: .groundGlass, meanDiameterMM: 30), .three)
        XCTAssertEqual(LungRADS.category(type: .solid, meanDiameterMM: 10, suspiciousFeatures: true), .fourX)
        XCTAssertEqual(LungRADS.category(type: .solid, meanDiameterMM: 4, suspiciousFeatures: true), .two)
        XCTAssertEqual(LungRADS.Category.fourX.risk, .critical)
    }

    func testBrockModelValueAndDirections() throws {
        let patient = BrockModel.Patient(age: 62, female: false)
        let base = BrockModel.Nodule(diameterMM: 10, type: .solid, upperLobe: false, spiculated: false, count: 4)
        // At the reference point (age 62, male, 10 mm solid, 4 nodules) every term but the intercept
        // and size is zero: logit = −6.7892 − 5.3854 × (1 − 1.58113883).
        let expected = 1 / (1 + exp(-(-6.7892 - 5.3854 * (1 - 1.58113883))))
        XCTAssertEqual(try XCTUnwrap(BrockModel.probability(patient: patient, nodule: base)), expected, accuracy: 1e-9)
        func p(_ n: BrockModel.Nodule, _ pt: BrockModel.Patient = patient) -> Double { BrockModel.probability(patient: pt, nodule: n)! }
        var bigger = base; bigger.diameterMM = 20
        var spiculated = base; spiculated.spiculated = true
        var partSolid = base; partSolid.type = .partSolid
        var ggn = base; ggn.type = .groundGlass
        XCTAssertGreaterThan(p(bigger), p(base))
        XCTAssertGreaterThan(p(spiculated), p(base))
        XCTAssertGreaterThan(p(partSolid), p(base))
        XCTAssertLessThan(p(ggn), p(base))
        XCTAssertGreaterThan(p(base, .init(age: 62, female: true)), p(base))
        XCTAssertNil(BrockModel.probability(patient: patient, nodule: .init(diameterMM: 0, type: .solid, upperLobe: false, spiculated: false, count: 1)))
    }

    func testBIRADSBandsAndSuspicionScore() {
        XCTAssertEqual(BreastSuspicion.birads(0.0001), .two)
        XCTAssertEqual(BreastSuspicion.birads(0.02), .three)
        XCTAssertEqual(BreastSuspicion.birads(0.05), .fourA)
        XCTAssertEqual(BreastSuspicion.birads(0.3), .fourB)
        XCTAssertEqual(BreastSuspicion.birads(0.9), .fourC)
        XCTAssertEqual(BreastSuspicion.birads(0.95), .five)
        XCTAssertEqual(BreastSuspicion.score(0), 1)
        XCTAssertEqual(BreastSuspicion.score(0.5), 9)
        XCTAssertEqual(BreastSuspicion.score(0.99), 10)
        let scores = stride(from: 0.0, through: 1.0, by: 0.01).map(BreastSuspicion.score)
        XCTAssertEqual(scores, scores.sorted(), "the score must rise with probability")
    }

    func testABCOver2OnAnEllipsoid() {
        // Ellipsoid semi-axes 20 × 15 × 10 mm: true volume 4/3·π·abc = 12.566 mL; ABC/2 = π/6·ABC ≈ 0.52 ABC.
        let a = 40.0, b = 30.0, slice = 1.0
        var areas: [Double] = []
        for z in stride(from: -10.0, through: 10.0, by: slice) {
            let f = max(0, 1 - (z / 10) * (z / 10))
            areas.append(Double.pi * 20 * 15 * f)
        }
        let v = HaemorrhageVolume.abcOver2(a: a, b: b, sliceAreas: areas, sliceThicknessMM: slice)
        // Kothari's weighting: 11 slices with area ≥ 75% of the largest (|z| ≤ 5) count 1, the 6 with
        // 25–75% count ½, so C = 14 mm and ABC/2 = 40·30·14/2 = 8.4 mL: the known underestimate of the
        // bedside method for ellipsoids (true 12.6 mL), within the ±35% the literature reports.
        XCTAssertEqual(v, 8.4, accuracy: 1e-9)
        XCTAssertEqual(v, 4.0 / 3.0 * Double.pi * 20 * 15 * 10 / 1000, accuracy: 0.35 * 12.566)
        XCTAssertEqual(HaemorrhageVolume.millilitres(voxels: 1000, spacing: (0.5, 0.5, 4)), 1.0, accuracy: 1e-12)
        XCTAssertEqual(HaemorrhageVolume.abcOver2(a: 10, b: 10, sliceAreas: [], sliceThicknessMM: 5), 0)
    }
}
