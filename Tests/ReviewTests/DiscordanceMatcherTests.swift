import XCTest
import Imaging
@testable import Review

/// Discordance matching (moved from the Workstation): millimetres from the pixel spacing, the
/// 10 mm minimum on a 0.2 mm mammogram, and the rule for images without pixel spacing.
final class DiscordanceMatcherTests: XCTestCase {
    func finding(x: Double = 100, y: Double = 100, sop: String = "5.5.1.1", width: Double = 0, height: Double = 0,
                 diameterMM: Double? = 6) -> ReviewFinding {
        ReviewFinding(key: "ai", origin: .ai, label: "mass", probability: 0.9, seriesUID: "5.5.1", sopUID: sop, centerX: x, centerY: y,
                      width: width, height: height, diameterMM: diameterMM)
    }

    func mark(x: Double, y: Double = 100, sop: String = "5.5.1.1", width: Double = 0, height: Double = 0) -> ReviewFinding {
        ReviewFinding(key: "m", origin: .reader, label: "reader mark", seriesUID: "5.5.1", sopUID: sop, centerX: x, centerY: y,
                      width: width, height: height)
    }

    func match(_ ai: [ReviewFinding], _ marks: [ReviewFinding], spacing: [Double]) -> DiscordanceOutcome {
        let headers = HeaderFixtures.bySOP([
            HeaderFixtures.header(sop: "5.5.1.1", laterality: "L", pixelSpacing: spacing),
            HeaderFixtures.header(sop: "5.5.1.3", laterality: "L", pixelSpacing: spacing),
        ])
        return DiscordanceMatcher.match(ai: ai, marks: marks, headers: headers, reader: "r", studyUID: "5.5")
    }

    /// 0.2 mm pixels: the 10 mm minimum is 50 px. A mark 30 px (6 mm) from the AI's centre is the
    /// same lesion; 150 px (30 mm) is not. At 1 mm per pixel the first would be 30 mm away and fail.
    func testMammogramAtPointTwoMillimetresUsesTheSpacing() {
        let near = match([finding()], [mark(x: 130)], spacing: [0.2, 0.2])
        XCTAssertEqual(near.records, [])
        XCTAssertNil(near.note)
        XCTAssertTrue(match([finding()], [mark(x: 149)], spacing: [0.2, 0.2]).records.isEmpty, "49 px = 9.8 mm")
        let far = match([finding()], [mark(x: 250)], spacing: [0.2, 0.2])
        XCTAssertEqual(far.records.map(\.kind), [.aiOnly, .readerOnly])
        XCTAssertEqual(far.records.map(\.laterality), ["L", "L"])
        XCTAssertEqual(match([finding()], [mark(x: 152)], spacing: [0.2, 0.2]).records.count, 2, "52 px = 10.4 mm")
    }

    /// Moved from the Workstation's test: 0.5 mm pixels, 20 px = 10 mm matches, 21 px does not;
    /// another view never does.
    func testHalfMillimetrePixelsAndOtherViews() {
        let ai = [finding(x: 10, y: 10)]
        XCTAssertTrue(match(ai, [mark(x: 30, y: 10)], spacing: [0.5, 0.5]).records.isEmpty)
        XCTAssertEqual(match(ai, [mark(x: 31, y: 10)], spacing: [0.5, 0.5]).records.map(\.kind), [.aiOnly, .readerOnly])
        XCTAssertEqual(match(ai, [mark(x: 10, y: 10, sop: "5.5.1.3")], spacing: [0.5, 0.5]).records.count, 2)
    }

    /// A finding's box gives its radius in mm when it has no diameter: a 200 px box at 0.2 mm is
    /// 40 mm wide, so a mark 90 px (18 mm) away is inside its 20 mm radius.
    func testBoxRadiusInMillimetres() {
        let boxed = finding(width: 200, height: 100, diameterMM: nil)
        XCTAssertTrue(match([boxed], [mark(x: 190)], spacing: [0.2, 0.2]).records.isEmpty)
        XCTAssertEqual(match([boxed], [mark(x: 210)], spacing: [0.2, 0.2]).records.count, 2)
    }

    /// No pixel spacing: 1 mm per pixel is never assumed. Two points 5 px apart do not agree (the
    /// old rule called them 5 mm apart and hid the disagreement); a point inside the AI's box does.
    /// Either way the outcome says which images had no spacing.
    func testWithoutSpacingOnlyOutlinedExtentsAgreeAndTheOutcomeSaysSo() {
        for bad in [[], [0, 0], [Double.nan, 0.2], [-0.2, 0.2], [0.2], [1e9, 1e9]] {
            let points = match([finding(diameterMM: nil)], [mark(x: 105)], spacing: bad)
            XCTAssertEqual(points.records.map(\.kind), [.aiOnly, .readerOnly], "spacing \(bad)")
            XCTAssertEqual(points.imagesWithoutSpacing, ["5.5.1.1"])
            XCTAssertEqual(points.note, "no pixel spacing on 1 image: marks there agree with the AI only inside an outlined box")
        }
        let boxed = match([finding(width: 40, height: 40, diameterMM: nil)], [mark(x: 115)], spacing: [])
        XCTAssertEqual(boxed.records, [])
        XCTAssertEqual(boxed.imagesWithoutSpacing, ["5.5.1.1"])
        XCTAssertEqual(match([finding(width: 40, height: 40, diameterMM: nil)], [mark(x: 125)], spacing: []).records.count, 2)
        // A diameter in mm cannot be placed on an image without spacing.
        XCTAssertEqual(match([finding(diameterMM: 60)], [mark(x: 110)], spacing: []).records.count, 2)
    }

    func testAgreementOnDifferentImagesIsNil() {
        XCTAssertNil(DiscordanceMatcher.agreement(finding(), mark(x: 100, sop: "5.5.1.3"),
                                                  geometry: PixelGeometry(rowSpacing: 0.2, columnSpacing: 0.2)))
        XCTAssertNil(DiscordanceMatcher.agreement(finding(sop: ""), mark(x: 100, sop: ""), geometry: .unknown))
    }
}
