import DICOM
import Foundation
import TestSupport
import XCTest
@testable import Imaging

/// `StudyIndex.stored`, the worklist as the study index store last saw it (shown while the scan
/// that checks it runs), against real Part 10 files changed behind its back: it reports the last
/// scan without listing or stat'ing anything, the next scan names the studies it read afresh
/// (`changedStudies`), and a paged series read back from the snapshot shows its files as they are.
final class StoredStudyIndexTests: XCTestCase {
    private var root: URL!
    private var images: URL!
    private var store: StudyIndexStore!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-stored-\(UUID().uuidString)")
        images = root.appendingPathComponent("images")
        store = StudyIndexStore(url: root.appendingPathComponent("cache/index.sqlite"), report: { _ in })
        // Patient folders split at the middle name: study A under p1, B under p2, C under p3.
        for k in 0 ..< 3 { try write(study: 1, number: k + 1, name: "p1/s/a\(k).dcm") }
        for k in 0 ..< 2 { try write(study: 2, number: k + 1, name: "p2/s/b\(k).dcm") }
        for k in 0 ..< 4 { try write(study: 3, number: 4 - k, name: "p3/s/c\(k).dcm") }
        try Data("not dicom".utf8).write(to: images.appendingPathComponent("p1/s/broken.bin"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func write(study: Int, number: Int, name: String, description: String = "AXIAL") throws {
        let url = images.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let studyUID = "2.25.8\(study)"
        let body = Bytes.text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2")
            + Bytes.text(0x0008, 0x0018, "UI", "\(studyUID).1.\(number)")
            + Bytes.text(0x0008, 0x0020, "DA", "2026030\(study)")
            + Bytes.text(0x0008, 0x0060, "CS", "CT")
            + Bytes.text(0x0008, 0x103E, "LO", description)
            + Bytes.text(0x0010, 0x0010, "PN", "Stored^\(study)")
            + Bytes.text(0x0020, 0x000D, "UI", studyUID)
            + Bytes.text(0x0020, 0x000E, "UI", "\(studyUID).1")
            + Bytes.text(0x0020, 0x0011, "IS", "1")
            + Bytes.text(0x0020, 0x0013, "IS", "\(number)")
            + Bytes.us(0x0028, 0x0010, 2) + Bytes.us(0x0028, 0x0011, 2)
            + Bytes.element(0x7FE0, 0x0010, "OW", [UInt8](repeating: 1, count: 8))
        try Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body).write(to: url)
    }

    /// Study UID → (instance count, first instance's path), as a worklist shows them.
    private func shape(_ index: StudyIndex) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: index.studies.map { ($0.studyInstanceUID, ["\($0.instanceCount)", $0.first.path]) })
    }

    func testSnapshotIsTheLastScanUntilTheNextScanChecksIt() throws {
        XCTAssertNil(StudyIndex.stored([images.path], store: store), "nothing stored yet")
        // Named relatively, through "..": paths keep the caller's naming, as the scan's do.
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(root.path)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        let named = "images/p2/../"
        let scanned = StudyIndex.scan([named], cache: store, paging: true)
        XCTAssertEqual(scanned.changedStudies, ["2.25.81", "2.25.82", "2.25.83"], "a cold scan reads every study")
        let snapshot = try XCTUnwrap(StudyIndex.stored([named], store: store))
        XCTAssertEqual(snapshot.studies.map(\.studyInstanceUID), scanned.studies.map(\.studyInstanceUID))
        XCTAssertEqual(shape(snapshot), shape(scanned))
        XCTAssertEqual(snapshot.studies["2.25.83"]?.first.instanceNumber, 1)
        XCTAssertTrue(snapshot.studies.allSatisfy { $0.first.path.hasPrefix(named) }, "\(snapshot.studies.map(\.first.path))")
        XCTAssertEqual(snapshot.studies.flatMap(\.series).map(\.isPaged), [true, true, true])
        XCTAssertEqual(snapshot.failures.count, 0, "failures are the scan's to report")

        // Behind its back: study A loses a file, B's first file is rewritten in place (same
        // count), and a study D arrives.
        try FileManager.default.removeItem(at: images.appendingPathComponent("p1/s/a2.dcm"))
        Thread.sleep(forTimeInterval: 0.01)
        try write(study: 2, number: 1, name: "p2/s/b0.dcm", description: "REWRITTEN LONGER DESCRIPTION")
        try write(study: 4, number: 1, name: "p4/d0.dcm")

        // The snapshot still shows the last scan: nothing was listed or stat'ed.
        let stale = try XCTUnwrap(StudyIndex.stored([named], store: store))
        XCTAssertEqual(shape(stale), shape(scanned))
        // A paged series read from it shows its files as they are now.
        let a = try XCTUnwrap(stale.studies["2.25.81"])
        XCTAssertEqual(a.series[0].instances.map(\.instanceNumber), [1, 2], "the removed file is left out on reading")
        XCTAssertEqual(try XCTUnwrap(stale.studies["2.25.82"]).series[0].instances.first?.seriesDescription,
                       "REWRITTEN LONGER DESCRIPTION", "the rewritten file is read afresh")

        // The scan that checks it names the studies it read again; counts tell the removal.
        let checked = StudyIndex.scan([named], cache: store, paging: true)
        XCTAssertEqual(checked.changedStudies, ["2.25.82", "2.25.84"])
        XCTAssertEqual(checked.studies["2.25.81"]?.instanceCount, 2)
        XCTAssertEqual(shape(try XCTUnwrap(StudyIndex.stored([named], store: store))), shape(checked))
        let warm = StudyIndex.scan([named], cache: store, paging: true)
        XCTAssertEqual(warm.changedStudies, [], "nothing read on a warm scan of unchanged files")
    }

    func testOverlappingRootsCountEachFileOnceAndFileRootsAreLeftToTheScan() throws {
        _ = StudyIndex.scan([images.path], cache: store, paging: true)
        for roots in [[images.appendingPathComponent("p3").path, images.path], [images.path, images.appendingPathComponent("p3").path]] {
            let both = try XCTUnwrap(StudyIndex.stored(roots, store: store))
            XCTAssertEqual(both.studies.map(\.instanceCount).reduce(0, +), 9, "\(roots)")
        }
        let inner = try XCTUnwrap(StudyIndex.stored([images.appendingPathComponent("p3").path], store: store))
        XCTAssertEqual(inner.studies.map(\.studyInstanceUID), ["2.25.83"])
        XCTAssertNil(StudyIndex.stored([images.appendingPathComponent("p1/s/a0.dcm").path], store: store))
        XCTAssertNil(StudyIndex.stored([root.appendingPathComponent("nowhere").path], store: store))
    }
}

private extension Array where Element == StudyIndex.Study {
    subscript(uid: String) -> StudyIndex.Study? { first { $0.studyInstanceUID == uid } }
}
