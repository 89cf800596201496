import Foundation
import XCTest
@testable import Analysis

/// Mammography priors on synthetic views: the breast frame found on the image (chest wall, nipple,
/// depth, half-width), positions normalised to it, present-on-prior matching on the same view,
/// statuses, and the stable-finding rule.
final class MammographyComparisonTests: XCTestCase {
    static let model = ModelIdentity(id: "mammo-test", version: "1", sha256: "x")

    /// A breast view 800×1000: a half-ellipse attached to the chest wall (last column for a right
    /// breast, first for a left one), `depth` px deep, `half` px tall either side of row `axis`,
    /// on dark air.
    static func view(depth: Double, half: Double, axis: Double = 500, right: Bool = true,
                     columns: Int = 800, rows: Int = 1000) -> [Float] {
        var v = [Float](repeating: 90, count: columns * rows)
        for r in 0 ..< rows {
            for c in 0 ..< columns {
                let t = right ? Double(columns - 1 - c) : Double(c)
                let w = Double(r) - axis
                if (t / depth) * (t / depth) + (w / half) * (w / half) <= 1 { v[r * columns + c] = 1500 + Float((r * 7 + c * 13) % 50) }
            }
        }
        return v
    }

    static func finding(_ id: String, sop: String, lat: String = "R", view: String = "CC", at px: (Double, Double),
                        diameter: Double, p: Double = 0.8) -> Finding {
        var f = Finding(label: "suspicious lesion", probability: p, risk: .high, centerMM: [], diameterMM: diameter, sopInstanceUID: sop,
                        centerPX: [px.0, px.1], bboxPX: [Int(px.0) - 10, Int(px.1) - 10, 20, 20], ood: false, model: model)
        f.id = id; f.laterality = lat; f.view = view
        return f
    }

    func testFrameFindsChestWallNippleDepthAndWidth() throws {
        let right = try XCTUnwrap(BreastFrame.estimate(values: Self.view(depth: 500, half: 380), columns: 800, rows: 1000,
                                                       spacing: (0.2, 0.2)))
        XCTAssertTrue(right.chestWallAtLastColumn)
        XCTAssertEqual(right.depthPX, 500, accuracy: 8)
        XCTAssertEqual(right.halfWidthPX, 380, accuracy: 8)
        XCTAssertEqual(right.nippleRow, 500, accuracy: 6)
        XCTAssertEqual(right.nippleColumn, 299, accuracy: 8)
        XCTAssertEqual(right.depthMM, 100, accuracy: 2)
        let left = try XCTUnwrap(BreastFrame.estimate(values: Self.view(depth: 450, half: 300, axis: 560, right: false),
                                                      columns: 800, rows: 1000))
        XCTAssertFalse(left.chestWallAtLastColumn)
        XCTAssertEqual(left.depthPX, 450, accuracy: 8)
        XCTAssertEqual(left.nippleRow, 560, accuracy: 6)
        XCTAssertEqual(left.halfWidthPX, 300, accuracy: 8)
        // The nipple is depth 1, offset 0; the chest wall on the axis depth 0; the lower skin line
        // at the chest wall offset 1.
        let n = left.position(column: left.nippleColumn, row: left.nippleRow)
        XCTAssertEqual(n.depth, 1, accuracy: 0.001); XCTAssertEqual(n.offset, 0, accuracy: 0.001)
        XCTAssertEqual(left.position(column: 0, row: left.nippleRow + left.halfWidthPX).offset, 1, accuracy: 0.001)
        let back = left.pixel(of: BreastPosition(depth: 0.4, offset: -0.3))
        let again = left.position(column: back.column, row: back.row)
        XCTAssertEqual(again.depth, 0.4, accuracy: 1e-9); XCTAssertEqual(again.offset, -0.3, accuracy: 1e-9)
        XCTAssertNil(BreastFrame.estimate(values: [Float](repeating: 7, count: 800 * 1000), columns: 800, rows: 1000))
    }

    /// The same place in a breast compressed 4 % less deep and 4 % wider: pixels differ by > 15 px,
    /// normalised positions agree within 0.02.
    func testNormalisedPositionsCancelCompression() throws {
        let a = try XCTUnwrap(BreastFrame.estimate(values: Self.view(depth: 500, half: 380), columns: 800, rows: 1000))
        let b = try XCTUnwrap(BreastFrame.estimate(values: Self.view(depth: 480, half: 395, axis: 520), columns: 800, rows: 1000))
        let p = BreastPosition(depth: 0.55, offset: -0.4)
        let pa = a.pixel(of: p), pb = b.pixel(of: p)
        XCTAssertGreaterThan(hypot(pa.column - pb.column, pa.row - pb.row), 15)
        let qa = a.position(column: pa.column, row: pa.row), qb = b.position(column: pa.column, row: pa.row)
        XCTAssertGreaterThan(a.distanceMM(qa, qb), 15, "the same pixel is elsewhere in the other breast")
        let back = b.position(column: pb.column, row: pb.row)
        XCTAssertEqual(back.depth, 0.55, accuracy: 0.02); XCTAssertEqual(back.offset, -0.4, accuracy: 0.02)
    }

    func frames() throws -> [String: BreastFrame] {
        let cur = try XCTUnwrap(BreastFrame.estimate(values: Self.view(depth: 500, half: 380), columns: 800, rows: 1000, spacing: (0.2, 0.2)))
        let pri = try XCTUnwrap(BreastFrame.estimate(values: Self.view(depth: 440, half: 420, axis: 540), columns: 800, rows: 1000, spacing: (0.2, 0.2)))
        return ["cur-RCC": cur, "cur-RMLO": cur, "pri-RCC": pri, "pri-RMLO": pri]
    }

    func testPresentOnPriorMatchingAndStatus() throws {
        let fr = try frames()
        let cur = fr["cur-RCC"]!, pri = fr["pri-RCC"]!
        func at(_ f: BreastFrame, _ d: Double, _ o: Double) -> (Double, Double) { let p = f.pixel(of: .init(depth: d, offset: o)); return (p.column, p.row) }
        let current = [
            Self.finding("stable", sop: "cur-RCC", at: at(cur, 0.5, -0.3), diameter: 9),
            Self.finding("growing", sop: "cur-RCC", at: at(cur, 0.3, 0.5), diameter: 14),
            Self.finding("new", sop: "cur-RCC", at: at(cur, 0.8, 0.1), diameter: 8),
            Self.finding("other-view", sop: "cur-RMLO", view: "MLO", at: at(cur, 0.6, 0.0), diameter: 8),
        ]
        let prior = [
            Self.finding("p-stable", sop: "pri-RCC", at: at(pri, 0.51, -0.31), diameter: 9.5),
            Self.finding("p-growing", sop: "pri-RCC", at: at(pri, 0.3, 0.48), diameter: 9),
            Self.finding("p-far", sop: "pri-RCC", at: at(pri, 0.2, -0.8), diameter: 8),
            // Same place as "other-view" but on the CC: a different view never matches.
            Self.finding("p-cc-only", sop: "pri-RCC", at: at(pri, 0.6, 0.0), diameter: 8),
            // A huge prior finding at "new"'s place: sizes too different to be the same lesion.
            Self.finding("p-huge", sop: "pri-RCC", at: at(pri, 0.8, 0.1), diameter: 30),
        ]
        let out = MammographyComparison.compare(current: current, prior: prior, frames: fr, days: 400, priorStudyInstanceUID: "1.2.3")
        let by = Dictionary(uniqueKeysWithValues: out.map { ($0.id!, $0.prior!) })
        XCTAssertEqual(by["stable"]?.presentOnPrior, true)
        XCTAssertEqual(by["stable"]?.status, .stable)
        XCTAssertEqual(by["stable"]?.findingID, "p-stable")
        XCTAssertEqual(by["stable"]?.diameterChangeMM ?? 99, -0.5, accuracy: 0.01)
        XCTAssertLessThan(by["stable"]?.distanceMM ?? 99, 2)
        XCTAssertEqual(by["growing"]?.status, .growing)
        XCTAssertEqual(by["growing"]?.findingID, "p-growing")
        XCTAssertEqual(by["new"]?.status, .new)
        XCTAssertEqual(by["new"]?.presentOnPrior, false)
        XCTAssertNil(by["new"]?.findingID)
        XCTAssertEqual(by["other-view"]?.status, .new)
        XCTAssertEqual(by["stable"]?.intervalDays, 400)
        XCTAssertEqual(by["stable"]?.breastPosition?.depth ?? 0, 0.5, accuracy: 0.02)
        // Pixel distance of the stable pair is large (the breast moved), normalised it is small.
        let a = current[0].centerPX, b = prior[0].centerPX
        XCTAssertGreaterThan(hypot(a[0] - b[0], a[1] - b[1]) * 0.2, 5)
    }

    func testStableRuleLowersOnlyStableFindingsAfterAYear() throws {
        let fr = try frames()
        let cur = fr["cur-RCC"]!, pri = fr["pri-RCC"]!
        func at(_ f: BreastFrame, _ d: Double, _ o: Double) -> (Double, Double) { let p = f.pixel(of: .init(depth: d, offset: o)); return (p.column, p.row) }
        let current = [
            Self.finding("stable-strong", sop: "cur-RCC", at: at(cur, 0.5, -0.3), diameter: 9, p: 0.98),
            Self.finding("stable-weak", sop: "cur-RCC", at: at(cur, 0.3, 0.5), diameter: 9, p: 0.7),
            Self.finding("new", sop: "cur-RMLO", view: "MLO", at: at(cur, 0.8, 0.1), diameter: 8, p: 0.7),
        ]
        let prior = [
            Self.finding("p1", sop: "pri-RCC", at: at(pri, 0.5, -0.3), diameter: 9),
            Self.finding("p2", sop: "pri-RCC", at: at(pri, 0.3, 0.5), diameter: 9),
        ]
        let scores = [ImageScore(sopInstanceUID: "cur-RCC", laterality: "R", view: "CC", probability: 0.3, model: Self.model),
                      ImageScore(sopInstanceUID: "cur-RMLO", laterality: "R", view: "MLO", probability: 0.6, model: Self.model)]
        let breastsBefore = BreastAssessment.summarise(scores, findings: current, ood: false)
        func run(days: Double?) -> ([Finding], [BreastAssessment], [Finding]) {
            var f = MammographyComparison.compare(current: current, prior: prior, frames: fr, days: days, priorStudyInstanceUID: "1.2.3")
            var b = breastsBefore
            let below = MammographyComparison.applyStableRule(findings: &f, breasts: &b, imageScores: scores, threshold: 0.458,
                                                              days: days, priorStudyInstanceUID: "1.2.3")
            return (f, b, below)
        }
        // 400 days: stable × 0.5; the weak one (0.35) falls under the threshold and is no longer a mark.
        var (f, b, below) = run(days: 400)
        XCTAssertEqual(below.map(\.id), ["stable-weak"])
        XCTAssertEqual(f.map(\.id), ["stable-strong", "new"])
        XCTAssertEqual(f[0].probability, 0.49, accuracy: 1e-9)
        XCTAssertEqual(f[0].prior?.probabilityBeforePrior, 0.98)
        XCTAssertEqual(f[0].prior?.suspicionFactor, 0.5)
        XCTAssertEqual(f[0].suspicionScore, BreastSuspicion.score(0.49 * 0.3))
        XCTAssertEqual(f[1].probability, 0.7, "a new finding is never lowered")
        XCTAssertNil(f[1].prior?.suspicionFactor)
        // The breast has a new finding: its probability stays; the summary counts.
        XCTAssertEqual(b[0].probability, 0.6)
        XCTAssertEqual(b[0].findings, 2)
        XCTAssertEqual(b[0].prior?.presentOnPrior, 2)
        XCTAssertEqual(b[0].prior?.new, 1)
        XCTAssertEqual(b[0].prior?.stableNotMarked, 1)
        XCTAssertNil(b[0].prior?.factor)
        // 800 days: × 0.25 (both stable ones under the threshold).
        (f, b, below) = run(days: 800)
        XCTAssertEqual(Set(below.compactMap(\.id)), ["stable-strong", "stable-weak"])
        XCTAssertEqual(below.first { $0.id == "stable-strong" }?.probability ?? 0, 0.245, accuracy: 1e-9)
        // Under 11 months, or without dates: nothing changes.
        for days in [200.0, nil] {
            (f, b, below) = run(days: days)
            XCTAssertTrue(below.isEmpty)
            XCTAssertEqual(f.map(\.probability), [0.98, 0.7, 0.7])
            XCTAssertEqual(b, breastsBefore.map { var x = $0; x.prior = b[0].prior; return x })
        }
    }

    /// A stable finding whose lesion is new or growing on the breast's other view (same depth from
    /// the chest wall) is not lowered.
    func testStableFindingNotLoweredWhenTheOtherViewChanges() throws {
        let fr = try frames()
        let cur = fr["cur-RCC"]!, pri = fr["pri-RCC"]!
        func at(_ f: BreastFrame, _ d: Double, _ o: Double) -> (Double, Double) { let p = f.pixel(of: .init(depth: d, offset: o)); return (p.column, p.row) }
        var f = MammographyComparison.compare(
            current: [Self.finding("cc", sop: "cur-RCC", at: at(cur, 0.5, -0.3), diameter: 9, p: 0.9),
                      Self.finding("mlo", sop: "cur-RMLO", view: "MLO", at: at(cur, 0.55, 0.2), diameter: 14, p: 0.9)],
            prior: [Self.finding("p-cc", sop: "pri-RCC", at: at(pri, 0.5, -0.3), diameter: 9),
                    Self.finding("p-mlo", sop: "pri-RMLO", view: "MLO", at: at(pri, 0.55, 0.2), diameter: 9)],
            frames: fr, days: 400, priorStudyInstanceUID: "1.2.3")
        XCTAssertEqual(f.map { $0.prior?.status }, [.stable, .growing])
        var b: [BreastAssessment] = []
        let below = MammographyComparison.applyStableRule(findings: &f, breasts: &b, imageScores: [], threshold: 0.458,
                                                          days: 400, priorStudyInstanceUID: "1.2.3")
        XCTAssertTrue(below.isEmpty)
        XCTAssertEqual(f.map(\.probability), [0.9, 0.9])
        XCTAssertNil(f[0].prior?.suspicionFactor)
    }

    /// A breast whose only findings are stable has its probability lowered too, and is BI-RADS 1
    /// when none of them is still a mark.
    func testBreastWithOnlyStableFindings() throws {
        let fr = try frames()
        let cur = fr["cur-RCC"]!, pri = fr["pri-RCC"]!
        let pc = cur.pixel(of: .init(depth: 0.5, offset: 0.2)), pp = pri.pixel(of: .init(depth: 0.5, offset: 0.2))
        var f = MammographyComparison.compare(current: [Self.finding("s", sop: "cur-RCC", at: (pc.column, pc.row), diameter: 10, p: 0.6)],
                                              prior: [Self.finding("p", sop: "pri-RCC", at: (pp.column, pp.row), diameter: 10)],
                                              frames: fr, days: 365, priorStudyInstanceUID: "1.2.3")
        let scores = [ImageScore(sopInstanceUID: "cur-RCC", laterality: "R", view: "CC", probability: 0.4, model: Self.model)]
        var b = BreastAssessment.summarise(scores, findings: f, ood: false)
        XCTAssertEqual(b[0].birads, BreastSuspicion.birads(0.4).rawValue)
        let below = MammographyComparison.applyStableRule(findings: &f, breasts: &b, imageScores: scores, threshold: 0.458,
                                                          days: 365, priorStudyInstanceUID: "1.2.3")
        XCTAssertEqual(below.count, 1)
        XCTAssertTrue(f.isEmpty)
        XCTAssertEqual(b[0].probability, 0.2, accuracy: 1e-9)
        XCTAssertEqual(b[0].prior?.factor, 0.5)
        XCTAssertEqual(b[0].prior?.probabilityBeforePrior, 0.4)
        XCTAssertEqual(b[0].birads, "1")
        XCTAssertEqual(b[0].findings, 0)
    }

    func testJSONCarriesPresentOnPrior() throws {
        var c = PriorComparison(studyInstanceUID: "1.2.3", status: .stable)
        c.presentOnPrior = true
        c.breastPosition = .init(depth: 0.5, offset: -0.25)
        c.suspicionFactor = 0.5
        let data = try JSONEncoder().encode(c)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(o["present_on_prior"] as? Bool, true)
        XCTAssertEqual((o["breast_position"] as? [String: Any])?["depth"] as? Double, 0.5)
        XCTAssertEqual(try JSONDecoder().decode(PriorComparison.self, from: data), c)
        var b = BreastPrior(studyInstanceUID: "1.2.3", intervalDays: 400)
        b.presentOnPrior = 2; b.factor = 0.5
        XCTAssertEqual(try JSONDecoder().decode(BreastPrior.self, from: JSONEncoder().encode(b)), b)
    }
}
