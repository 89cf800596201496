import Foundation
import Imaging
import XCTest
@testable import Analysis

/// Priors on synthetic pairs: the registration recovers a known shift and rotation, the matching and
/// the comparison give the statuses, volume doubling times and Lung-RADS categories a radiologist
/// would, and the JSON carries them.
final class PriorComparisonTests: XCTestCase {
    /// A chest phantom, analytic in patient space (mm): body ellipse, two lungs of unequal size,
    /// a spine, a heart, and vessels in the lungs (structure for the registration).
    static func phantom(_ p: [Double]) -> Float {
        let (x, y, z) = (p[0], p[1], p[2])
        func inside(_ c: [Double], _ r: [Double]) -> Bool {
            let a = (x - c[0]) / r[0], b = (y - c[1]) / r[1], d = (z - c[2]) / r[2]
            return a * a + b * b + d * d <= 1
        }
        guard (x / 160) * (x / 160) + (y / 115) * (y / 115) <= 1 else { return -1000 }
        if abs(x) < 18 && y > 55 && y < 95 { return 400 }                          // spine
        let vessels: [([Double], Double)] = [([-60, -20, -30], 7), ([-85, 25, 10], 6), ([-50, 10, 60], 8), ([75, -30, 20], 7),
                                             ([90, 20, -40], 6), ([60, 0, 70], 7), ([-70, -40, -70], 6), ([80, 35, -80], 8)]
        for (c, r) in vessels where inside(c, [r, r, r]) { return 40 }
        if inside([-15, 0, -20], [45, 40, 50]) { return 40 }                        // heart
        if inside([-75, 0, 0], [55, 75, 115]) || inside([70, 5, 10], [50, 70, 105]) { return -850 }
        return 40
    }

    /// The phantom sampled on a grid, seen through `t` (p_phantom = t(p_grid)).
    static func volume(_ t: RigidTransform, n: Int = 64, slices: Int = 64, spacing: Double = 5.5) throws -> Volume {
        var voxels = [Float](repeating: 0, count: n * n * slices)
        let origin = [-Double(n - 1) / 2 * spacing, -Double(n - 1) / 2 * spacing, -Double(slices - 1) / 2 * spacing]
        for k in 0 ..< slices {
            for j in 0 ..< n {
                for i in 0 ..< n {
                    let p = [origin[0] + Double(i) * spacing, origin[1] + Double(j) * spacing, origin[2] + Double(k) * spacing]
                    voxels[(k * n + j) * n + i] = phantom(t.apply(p))
                }
            }
        }
        return try Volume(columns: n, rows: n, slices: slices, voxels: voxels, spacing: (spacing, spacing, spacing), origin: origin,
                          sopInstanceUIDs: (0 ..< slices).map { "1.2.3.\($0)" })
    }

    func testRigidTransformRoundTrips() {
        let t = RigidTransform(anglesDeg: [2, -3, 4], translation: [10, -5, 12])
        XCTAssertEqual(t.rotationDeg[0], 2, accuracy: 1e-9)
        XCTAssertEqual(t.rotationDeg[1], -3, accuracy: 1e-9)
        XCTAssertEqual(t.rotationDeg[2], 4, accuracy: 1e-9)
        let p = [30.0, -40, 50]
        let q = t.inverse.apply(t.apply(p))
        for k in 0 ..< 3 { XCTAssertEqual(q[k], p[k], accuracy: 1e-9) }
        XCTAssertEqual(RigidTransform(matrix: t.homogeneous), t)
    }

    /// The prior is the phantom shifted by (9, −6, 11) mm and rotated 3° about z and 2° about x: the
    /// registration finds p_prior = R · p_current + t within 2 mm over the lungs.
    func testRegistrationRecoversShiftAndRotation() throws {
        // Current: the phantom as is. Prior: the patient lay differently, so a phantom point q is
        // at prior position truth(q): prior voxel at p shows phantom(truth⁻¹(p)).
        let truth = RigidTransform(anglesDeg: [2, 0, 3], translation: [9, -6, 11])
        let current = try Self.volume(.identity)
        let prior = try Self.volume(truth.inverse)
        let start = Date()
        let r = LungRegistration.register(current: current, prior: prior)
        let seconds = Date().timeIntervalSince(start)
        for p in [[-75.0, 0, 0], [70, 5, 10], [-60, -20, -60], [80, 30, 60], [0, 0, 0]] {
            let found = r.transform.apply(p), expected = truth.apply(p)
            let error = sqrt(zip(found, expected).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
            XCTAssertLessThan(error, 2, "point \(p): found \(found), expected \(expected)")
        }
        XCTAssertLessThan(r.rmsAfter, r.rmsBefore / 2)
        print("registration: \(r.evaluations) evaluations, \(String(format: "%.2f", seconds)) s (debug build), rms \(r.rmsBefore) → \(r.rmsAfter) HU")
    }

    private func nodule(_ label: String = "solid nodule", at c: [Double], long: Double, short: Double, ml: Double,
                        id: String) -> Finding {
        var f = Finding(label: label, probability: 0.9, risk: .intermediate, centerMM: c, diameterMM: long, sopInstanceUID: "1.2.\(id)",
                        centerPX: [0, 0], bboxPX: [0, 0, 1, 1], ood: false, model: .init(id: "lung", version: "1", sha256: ""))
        f.shortDiameterMM = short; f.volumeML = ml; f.id = id; f.solidFraction = label == "solid nodule" ? 1 : 0.3
        return f
    }

    /// Growing, stable, new and resolved, with the prior moved by a known transform.
    func testComparisonStatusesDoublingTimeAndCategories() throws {
        let t = RigidTransform(anglesDeg: [1, -2, 3], translation: [12, -8, 20])  // p_prior = t(p_current)
        let days = 364.0
        let grownML = 0.113 * 2.5  // 6 mm sphere → 2.5×: VDT = 364 · ln 2 / ln 2.5 ≈ 275 d
        let current = [
            nodule(at: [-60, 20, -30], long: 8.6, short: 7.6, ml: grownML, id: "c1"),     // growing (mean 6 → 8.1)
            nodule(at: [55, -10, 40], long: 5.2, short: 4.6, ml: 0.057, id: "c2"),        // stable
            nodule(at: [70, 30, -60], long: 7.2, short: 6.4, ml: 0.17, id: "c3"),         // new (6.8 mm → 4A)
            nodule(at: [-40, -30, 60], long: 9.5, short: 8.5, ml: 0.40, id: "c4"),        // shrinking (from 12)
        ]
        let prior = [
            nodule(at: t.apply([-59, 21, -31]), long: 6.5, short: 5.5, ml: 0.113, id: "p1"),
            nodule(at: t.apply([56, -10, 41]), long: 5.0, short: 4.8, ml: 0.055, id: "p2"),
            nodule(at: t.apply([10, 60, 0]), long: 5.5, short: 5.0, ml: 0.07, id: "p3"),    // resolved
            nodule(at: t.apply([-41, -29, 59]), long: 12.5, short: 11.5, ml: 0.9, id: "p4"),
        ]
        let out = NoduleComparison.compare(current: current, prior: prior, transform: t, days: days, priorStudyInstanceUID: "9.9")
        let byID = Dictionary(uniqueKeysWithValues: out.current.map { ($0.id!, $0) })
        let grown = try XCTUnwrap(byID["c1"]?.prior)
        XCTAssertEqual(grown.status, .growing)
        XCTAssertEqual(grown.findingID, "p1")
        XCTAssertEqual(try XCTUnwrap(grown.volumeDoublingDays), days * log(2) / log(2.5), accuracy: 1)
        XCTAssertEqual(try XCTUnwrap(grown.volumeChangePct), 150, accuracy: 0.1)
        XCTAssertEqual(try XCTUnwrap(grown.diameterChangeMM), 2.1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(grown.meanDiameterChangeMM), 2.1, accuracy: 1e-9)
        XCTAssertEqual(byID["c1"]?.category, "4B")     // solid, growing, ≥ 8 mm
        XCTAssertEqual(byID["c2"]?.prior?.status, .stable)
        XCTAssertEqual(byID["c2"]?.category, "2")
        XCTAssertEqual(byID["c3"]?.prior?.status, .new)
        XCTAssertNil(byID["c3"]?.prior?.diameterMM)
        XCTAssertEqual(byID["c3"]?.category, "4A")     // new solid 6–8 mm
        XCTAssertEqual(byID["c4"]?.prior?.status, .shrinking)
        XCTAssertNil(byID["c4"]?.prior?.volumeDoublingDays)
        XCTAssertEqual(out.resolved.map(\.findingID), ["p3"])
        let back = try XCTUnwrap(out.resolved.first?.centerInCurrentMM)
        for (a, b) in zip(back, [10.0, 60, 0]) { XCTAssertEqual(a, b, accuracy: 0.01) }
    }

    /// Without the registration the same pairs would not match (the shift exceeds the gate).
    func testMatchingNeedsTheRegistration() {
        let t = RigidTransform(anglesDeg: [0, 0, 0], translation: [25, 0, 0])
        let c = [nodule(at: [0, 0, 0], long: 6, short: 6, ml: 0.1, id: "c")]
        let p = [nodule(at: t.apply([0, 0, 0]), long: 6, short: 6, ml: 0.1, id: "p")]
        XCTAssertEqual(NoduleComparison.compare(current: c, prior: p, transform: t, days: 365, priorStudyInstanceUID: "1").current[0].prior?.status, .stable)
        XCTAssertEqual(NoduleComparison.compare(current: c, prior: p, transform: .identity, days: 365, priorStudyInstanceUID: "1").current[0].prior?.status, .new)
    }

    /// The assignment is optimal, not greedy: two nodules close together swap only if that is cheaper overall.
    func testHungarianAssignmentIsOptimal() {
        // Gate 8 + 0.5 · 6 = 11 mm. Greedy would pair current 1 with prior 0 (2 mm) and leave the others
        // 12 mm apart, beyond the gate; the optimum pairs 0–0 and 1–1 (5 mm each).
        let current: [NoduleMatching.Item] = [.init(center: [0, 0, 0], diameterMM: 6), .init(center: [7, 0, 0], diameterMM: 6)]
        let prior: [NoduleMatching.Item] = [.init(center: [5, 0, 0], diameterMM: 6), .init(center: [12, 0, 0], diameterMM: 6)]
        let pairs = NoduleMatching.match(current: current, prior: prior)
        XCTAssertEqual(pairs.map { [$0.current, $0.prior] }, [[0, 0], [1, 1]])
        XCTAssertEqual(NoduleMatching.hungarian([[4, 1, 3], [2, 0, 5], [3, 2, 2]]), [1, 0, 2])
    }

    func testLungRADSWithComparison() {
        typealias L = LungRADS
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 3.5, comparison: .new), .two)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 5, comparison: .new), .three)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 7, comparison: .new), .fourA)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 8, comparison: .new), .fourB)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 7.9, comparison: .growing), .fourA)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 8, comparison: .growing), .fourB)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 6, comparison: .slowGrowing), .fourB)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 12, comparison: .stable), .two)
        XCTAssertEqual(L.category(type: .partSolid, meanDiameterMM: 5, comparison: .new), .three)
        XCTAssertEqual(L.category(type: .partSolid, meanDiameterMM: 9, solidComponentMM: 3, comparison: .new), .fourA)
        XCTAssertEqual(L.category(type: .partSolid, meanDiameterMM: 9, solidComponentMM: 5, comparison: .growing), .fourB)
        XCTAssertEqual(L.category(type: .groundGlass, meanDiameterMM: 20, comparison: .growing), .two)
        XCTAssertEqual(L.category(type: .groundGlass, meanDiameterMM: 31, comparison: .new), .three)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 7, comparison: .baseline), .three)
        XCTAssertEqual(L.category(type: .solid, meanDiameterMM: 7, comparison: .new, suspiciousFeatures: true), .fourX)
    }

    /// Slow growth: +2 mm over two years is not "growth within 12 months" but is v2022's slow-growing 4B.
    func testSlowGrowingSolidNodule() {
        let c = [nodule(at: [0, 0, 0], long: 7, short: 6, ml: 0.15, id: "c")]
        let p = [nodule(at: [0, 0, 0], long: 5, short: 4, ml: 0.05, id: "p")]
        let twoYears = NoduleComparison.compare(current: c, prior: p, transform: .identity, days: 730, priorStudyInstanceUID: "1").current[0]
        XCTAssertEqual(twoYears.prior?.status, .growing)
        XCTAssertEqual(twoYears.category, "4B")
        let oneYear = NoduleComparison.compare(current: c, prior: p, transform: .identity, days: 365, priorStudyInstanceUID: "1").current[0]
        XCTAssertEqual(oneYear.category, "4A")  // growing < 8 mm
    }

    func testDoublingTimeIsSchwartz() {
        XCTAssertEqual(NoduleChange.doublingDays(priorML: 0.1, currentML: 0.2, days: 300)!, 300, accuracy: 1e-9)
        XCTAssertEqual(NoduleChange.doublingDays(priorML: 0.1, currentML: 0.4, days: 300)!, 150, accuracy: 1e-9)
        XCTAssertNil(NoduleChange.doublingDays(priorML: 0.2, currentML: 0.1, days: 300))
        XCTAssertNil(NoduleChange.doublingDays(priorML: 0.1, currentML: 0.2, days: 0))
    }

    /// `prior`, `registration` and `resolved` survive the JSON round trip (docs/ANALYSIS_JSON.md).
    func testJSONRoundTrip() throws {
        var f = nodule(at: [1, 2, 3], long: 8, short: 7, ml: 0.2, id: "c")
        var pc = PriorComparison(studyInstanceUID: "1.2.3", status: .growing)
        pc.volumeDoublingDays = 210; pc.diameterChangeMM = 3.1; pc.centerMM = [4, 5, 6]
        f.prior = pc
        let data = try JSONEncoder().encode(f)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let prior = try XCTUnwrap(json["prior"] as? [String: Any])
        XCTAssertEqual(prior["status"] as? String, "growing")
        XCTAssertEqual(prior["volume_doubling_days"] as? Double, 210)
        XCTAssertEqual(prior["study_instance_uid"] as? String, "1.2.3")
        XCTAssertEqual(try JSONDecoder().decode(Finding.self, from: data).prior, pc)
        var run = StudyAnalysis.Run(seriesInstanceUID: "1", model: nil, status: .findings, message: nil, ood: [], warnings: [],
                                    findings: 1, seconds: 0, cached: false)
        run.registration = PriorRegistration(priorStudyInstanceUID: "1.2.3", priorSeriesInstanceUID: "1.2.3.1",
                                             transform: RigidTransform(anglesDeg: [0, 0, 2], translation: [1, 2, 3]), method: "rigid", seconds: 0.1)
        run.resolved = [ResolvedFinding(prior: nodule(at: [0, 0, 0], long: 5, short: 5, ml: 0.06, id: "p"), studyInstanceUID: "1.2.3", centerInCurrentMM: nil)]
        let runBack = try JSONDecoder().decode(StudyAnalysis.Run.self, from: JSONEncoder().encode(run))
        XCTAssertEqual(runBack, run)
        XCTAssertEqual(runBack.registration?.transform.rotationDeg[2] ?? 0, 2, accuracy: 1e-9)
    }
}
