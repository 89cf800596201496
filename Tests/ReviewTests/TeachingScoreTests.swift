import XCTest
import Imaging
@testable import Review

/// Teaching scores (moved from the Workstation): the 5 mm minimum, volumes, a 0.2 mm mammogram,
/// and images without pixel spacing.
final class TeachingScoreTests: XCTestCase {
    func mark(_ sop: String, _ x: Double, y: Double = 12, key: String? = nil) -> ReaderFindingRecord {
        ReaderFindingRecord(key: key ?? "\(sop)-\(x)", studyUID: "1.1", seriesUID: "1.1.1", sopUID: sop, label: "m", kind: .point,
                            x: x, y: y, slice: 0)
    }

    /// Five CT slices 2 mm apart, 0.5 mm pixels; a 4 mm lesion at (12, 12) on slice 4.
    func ctHeaders() -> [String: InstanceHeader] {
        HeaderFixtures.bySOP((1 ... 5).map {
            HeaderFixtures.header(study: "1.1", series: "1.1.1", sop: "1.1.1.\($0)", modality: "CT", z: Double($0 - 1) * 2,
                                  pixelSpacing: [0.5, 0.5])
        })
    }

    let ctLesion = TeachingLesion(label: "solid nodule", diameterMM: 4, appearances: [.init(sopUID: "1.1.1.4", x: 12, y: 12)])

    func testFiveMillimetreMinimumAndVolumes() {
        let h = ctHeaders()
        // 0.5 mm pixels: 10 px = 5 mm is a hit, 11 px is not.
        XCTAssertEqual(TeachingScore.score(lesions: [ctLesion], marks: [mark("1.1.1.4", 22)], headers: h).hits, 1)
        let miss = TeachingScore.score(lesions: [ctLesion], marks: [mark("1.1.1.4", 23)], headers: h)
        XCTAssertEqual([miss.hits, miss.misses, miss.falsePositives, miss.unscored], [0, 1, 1, 0])
        // One slice away (2 mm) on the lesion's centre: within 5 mm in 3-D. Three slices (6 mm): not.
        XCTAssertEqual(TeachingScore.score(lesions: [ctLesion], marks: [mark("1.1.1.3", 12)], headers: h).hits, 1)
        XCTAssertEqual(TeachingScore.score(lesions: [ctLesion], marks: [mark("1.1.1.1", 12)], headers: h).hits, 0)
        // A big lesion's own radius wins over the minimum.
        var big = ctLesion
        big.diameterMM = 30
        XCTAssertEqual(TeachingScore.score(lesions: [big], marks: [mark("1.1.1.4", 40)], headers: h).hits, 1)
        // Removed marks do not count.
        var removed = mark("1.1.1.4", 12)
        removed.removed = true
        XCTAssertEqual(TeachingScore.score(lesions: [ctLesion], marks: [removed], headers: h).markHits, [:])
    }

    /// A 14 mm mass (radius 7 mm = 35 px at 0.2 mm): a mark 30 px (6 mm) away hits; 150 px (30 mm)
    /// is a miss and a false positive. At 1 mm per pixel the first would be 30 mm away and miss.
    func testMammogramAtPointTwoMillimetres() {
        let h = HeaderFixtures.bySOP([HeaderFixtures.header(sop: "5.5.1.1")])
        let mass = TeachingLesion(label: "mass", diameterMM: 14, appearances: [.init(sopUID: "5.5.1.1", x: 100, y: 100)])
        let near = TeachingScore.score(lesions: [mass], marks: [mark("5.5.1.1", 130, y: 100)], headers: h)
        XCTAssertEqual([near.hits, near.misses, near.falsePositives], [1, 0, 0])
        let far = TeachingScore.score(lesions: [mass], marks: [mark("5.5.1.1", 250, y: 100)], headers: h)
        XCTAssertEqual([far.hits, far.misses, far.falsePositives], [0, 1, 1])
        // A small lesion: the 5 mm minimum is 25 px.
        let small = TeachingLesion(label: "calcifications", diameterMM: 2, appearances: [.init(sopUID: "5.5.1.1", x: 100, y: 100)])
        XCTAssertEqual(TeachingScore.score(lesions: [small], marks: [mark("5.5.1.1", 124, y: 100)], headers: h).hits, 1)
        XCTAssertEqual(TeachingScore.score(lesions: [small], marks: [mark("5.5.1.1", 126, y: 100)], headers: h).hits, 0)
    }

    /// No pixel spacing: a mark inside the sidecar's box is still a hit; elsewhere on that image it
    /// is neither a hit nor a false positive, and the lesion is not a miss: both are "not scored".
    func testWithoutSpacingNothingIsGradedOnAGuess() {
        let h = HeaderFixtures.bySOP([HeaderFixtures.header(sop: "5.5.1.1", pixelSpacing: [])])
        let boxed = TeachingLesion(label: "mass", diameterMM: 14,
                                   appearances: [.init(sopUID: "5.5.1.1", x: 100, y: 100, box: [80, 80, 120, 120])])
        let inside = TeachingScore.score(lesions: [boxed], marks: [mark("5.5.1.1", 115, y: 100)], headers: h)
        XCTAssertEqual([inside.hits, inside.misses, inside.falsePositives, inside.unscored], [1, 0, 0, 0])
        let outside = TeachingScore.score(lesions: [boxed], marks: [mark("5.5.1.1", 130, y: 100, key: "m1")], headers: h)
        XCTAssertEqual([outside.hits, outside.misses, outside.falsePositives, outside.unscored], [0, 0, 0, 2])
        XCTAssertEqual(outside.unmeasuredMarks, ["m1"])
        XCTAssertEqual(outside.unmeasuredLesions, [0])
        // The old rule called 5 px "5 mm" and counted a hit; now it is not scored.
        let pointOnly = TeachingLesion(label: "mass", diameterMM: 14, appearances: [.init(sopUID: "5.5.1.1", x: 100, y: 100)])
        let near = TeachingScore.score(lesions: [pointOnly], marks: [mark("5.5.1.1", 105, y: 100)], headers: h)
        XCTAssertEqual([near.hits, near.misses, near.falsePositives, near.unscored], [0, 0, 0, 2])
        XCTAssertEqual(TeachingScore.proximity(mark: mark("5.5.1.1", 105, y: 100), lesion: pointOnly, headers: h), .unmeasured)
        // A mark on an image the lesion is not on is not comparable, whatever the spacing.
        XCTAssertEqual(TeachingScore.proximity(mark: mark("5.5.1.9", 100, y: 100), lesion: pointOnly, headers: h), .notComparable)
    }
}
