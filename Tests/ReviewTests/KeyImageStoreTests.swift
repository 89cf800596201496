import Foundation
import XCTest
@_spi(Testing) @testable import Review

/// Key images in the review store: marked with their view, listed in force, unmarked by a new row
/// (the table refuses UPDATE and DELETE), and re-marking an image replaces its view.
final class KeyImageStoreTests: XCTestCase {
    var dir: String!
    var store: ReviewStore!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "lightbox-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = try ReviewStore(path: dir + "/review.sqlite")
    }

    override func tearDownWithError() throws {
        store = nil
        try? FileManager.default.removeItem(atPath: dir)
    }

    func key(_ sop: String, reader: String = "ann", frame: Int? = nil, note: String = "", center: Double? = nil,
             area: DisplayedArea? = nil, inverted: Bool = false) -> KeyImageRecord {
        KeyImageRecord(reader: reader, studyUID: "1.2.3", seriesUID: "1.2.3.4", sopUID: sop, frame: frame, note: note,
                       windowCenter: center, windowWidth: center.map { _ in 400 }, inverted: inverted, displayedArea: area)
    }

    func testMarkListAndKeepTheView() throws {
        let area = DisplayedArea(left: 10, top: 20, right: 265, bottom: 275)
        try store.addKeyImage(key("1.2.3.4.1", note: "spiculated margin", center: 40, area: area, inverted: true))
        try store.addKeyImage(key("1.2.3.4.2"))
        try store.addKeyImage(key("1.2.3.4.9", reader: "bob"))
        try store.addKeyImage(key("1.2.3.4.7", frame: 3))

        let ann = try store.keyImages(studyUID: "1.2.3", reader: "ann")
        XCTAssertEqual(ann.map(\.sopUID), ["1.2.3.4.1", "1.2.3.4.2", "1.2.3.4.7"])
        XCTAssertEqual(ann[0].note, "spiculated margin")
        XCTAssertEqual(ann[0].windowCenter, 40)
        XCTAssertEqual(ann[0].windowWidth, 400)
        XCTAssertTrue(ann[0].inverted)
        XCTAssertEqual(ann[0].displayedArea, area)
        XCTAssertFalse(ann[0].at.isEmpty)
        XCTAssertNil(ann[1].windowCenter)
        XCTAssertNil(ann[1].displayedArea)
        XCTAssertNil(ann[1].frame)
        XCTAssertEqual(ann[2].frame, 3)
        XCTAssertEqual(try store.keyImages(studyUID: "1.2.3", reader: "bob").map(\.sopUID), ["1.2.3.4.9"])
        XCTAssertEqual(try store.keyImageReaders(studyUID: "1.2.3"), ["ann", "bob"])
        XCTAssertEqual(try store.readers(studyUID: "1.2.3"), ["ann", "bob"], "a reader with key images only counts for export")
    }

    func testRemovalIsANewRowAndTheTableIsAppendOnly() throws {
        try store.addKeyImage(key("1.2.3.4.1"))
        try store.addKeyImage(key("1.2.3.4.2"))
        XCTAssertEqual(try store.removeKeyImage(reader: "ann", studyUID: "1.2.3", sopUID: "1.2.3.4.1"), 1)
        XCTAssertEqual(try store.removeKeyImage(reader: "ann", studyUID: "1.2.3", sopUID: "1.2.3.4.1"), 0, "nothing left to remove")
        XCTAssertEqual(try store.removeKeyImage(reader: "bob", studyUID: "1.2.3", sopUID: "1.2.3.4.2"), 0, "another reader's mark stays")
        XCTAssertEqual(try store.keyImages(studyUID: "1.2.3", reader: "ann").map(\.sopUID), ["1.2.3.4.2"])

        // Every row is still there: two marks and one removal naming the first.
        let rows = try store.rawQuery("SELECT sop_uid, removes FROM key_images ORDER BY id")
        XCTAssertEqual(rows.map { $0[0] }, ["1.2.3.4.1", "1.2.3.4.2", "1.2.3.4.1"])
        XCTAssertEqual(rows.map { $0[1] }, ["NULL", "NULL", "1"])
        XCTAssertThrowsError(try store.rawQuery("UPDATE key_images SET note = 'x'"))
        XCTAssertThrowsError(try store.rawQuery("DELETE FROM key_images"))

        // Marked again after removal: in force again.
        try store.addKeyImage(key("1.2.3.4.1", note: "again"))
        XCTAssertEqual(try store.keyImages(studyUID: "1.2.3", reader: "ann").map(\.note), ["", "again"])
    }

    func testMarkingAgainReplacesTheViewAndFramesAreSeparate() throws {
        try store.addKeyImage(key("1.2.3.4.1", note: "first", center: 40))
        try store.addKeyImage(key("1.2.3.4.5", frame: 2))
        try store.addKeyImage(key("1.2.3.4.1", note: "second", center: -600))
        try store.addKeyImage(key("1.2.3.4.5", frame: 4))
        let keys = try store.keyImages(studyUID: "1.2.3", reader: "ann")
        XCTAssertEqual(keys.map(\.sopUID), ["1.2.3.4.1", "1.2.3.4.5", "1.2.3.4.5"])
        XCTAssertEqual(keys[0].note, "second")
        XCTAssertEqual(keys[0].windowCenter, -600)
        XCTAssertEqual(keys.compactMap(\.frame), [2, 4])
        XCTAssertEqual(try store.keyImages(studyUID: "1.2.3", reader: "ann", latestOnly: false).count, 4)

        // Removing one frame leaves the other; removing the image removes both of its marks.
        XCTAssertEqual(try store.removeKeyImage(reader: "ann", studyUID: "1.2.3", sopUID: "1.2.3.4.5", frame: 2), 1)
        XCTAssertEqual(try store.keyImages(studyUID: "1.2.3", reader: "ann").compactMap(\.frame), [4])
        XCTAssertEqual(try store.removeKeyImage(reader: "ann", studyUID: "1.2.3", sopUID: "1.2.3.4.1"), 2)
        XCTAssertEqual(try store.keyImages(studyUID: "1.2.3", reader: "ann").map(\.sopUID), ["1.2.3.4.5"])
    }

    func testNonFiniteWindowIsNotStored() throws {
        try store.addKeyImage(key("1.2.3.4.1", center: .nan))
        XCTAssertNil(try store.keyImages(studyUID: "1.2.3", reader: "ann").first?.windowCenter)
    }
}
