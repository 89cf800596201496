import DICOM
import Foundation
import TestSupport
import XCTest
@testable import Imaging

/// A paged scan (`StudyIndex.scan(_:cache:paging: true)`) against a full one over the same real
/// Part 10 files: the same studies, series, counts and first instances with one header per series
/// decoded, and every instance read back from the store (or, without it, from the folders) on
/// first use, fresh where a file changed since the scan.
final class PagedStudyIndexTests: XCTestCase {
    private var root: URL!
    private var images: URL!
    private var store: StudyIndexStore!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-paged-\(UUID().uuidString)")
        images = root.appendingPathComponent("images")
        store = StudyIndexStore(url: root.appendingPathComponent("cache/index.sqlite"), report: { _ in })
        // Study A: series 1 in two folders (names in reverse instance order), series 2 in one.
        // Study B: one series. And a file that is not DICOM.
        for k in 0 ..< 4 { try write(study: "A", series: 1, number: 8 - k, name: "a1/f\(k).dcm") }
        for k in 0 ..< 2 { try write(study: "A", series: 1, number: 2 - k, name: "a1/more/g\(k).dcm") }
        for k in 0 ..< 3 { try write(study: "A", series: 2, number: k + 1, name: "a2/h\(k).dcm") }
        for k in 0 ..< 5 { try write(study: "B", series: 1, number: k + 1, name: "b/i\(k).dcm") }
        try Data("not dicom".utf8).write(to: images.appendingPathComponent("b/notes.bin"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func write(study: String, series: Int, number: Int, name: String, description: String = "AXIAL") throws {
        let url = images.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let studyUID = study == "A" ? "2.25.71" : "2.25.72"
        let body = Bytes.text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2")
            + Bytes.text(0x0008, 0x0018, "UI", "\(studyUID).\(series).\(number)")
            + Bytes.text(0x0008, 0x0020, "DA", study == "A" ? "20260301" : "20260201")
            + Bytes.text(0x0008, 0x0060, "CS", "CT")
            + Bytes.text(0x0008, 0x103E, "LO", description)
            + Bytes.text(0x0010, 0x0010, "PN", "Paged^\(study)")
            + Bytes.text(0x0020, 0x000D, "UI", studyUID)
            + Bytes.text(0x0020, 0x000E, "UI", "\(studyUID).\(series)")
            + Bytes.text(0x0020, 0x0011, "IS", "\(series)")
            + Bytes.text(0x0020, 0x0013, "IS", "\(number)")
            + Bytes.text(0x0020, 0x0032, "DS", "0\\0\\\(number)")
            + Bytes.us(0x0028, 0x0010, 2) + Bytes.us(0x0028, 0x0011, 2)
            + Bytes.element(0x7FE0, 0x0010, "OW", [UInt8](repeating: 1, count: 8))
        try Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body).write(to: url)
    }

    /// Series as (UID, count, first path, every path), in index order.
    private func shape(_ index: StudyIndex) -> [[String]] {
        index.studies.flatMap(\.series).map { s in
            [s.seriesInstanceUID, "\(s.instanceCount)", s.first.path] + s.instances.map(\.path)
        }
    }

    func testWarmPagedScanDecodesOneHeaderPerSeriesAndReadsTheRestOnFirstUse() throws {
        // Named through "..": the headers' paths keep the caller's naming, the store its absolute keys.
        let named = images.appendingPathComponent("a2").path + "/../"
        let full = StudyIndex.scan([named], cache: nil)
        _ = StudyIndex.scan([named], cache: store)
        let paged = StudyIndex.scan([named], cache: store, paging: true)
        XCTAssertEqual(paged.cachedCount, 15)
        XCTAssertEqual(paged.parsedCount, 0)
        XCTAssertEqual(paged.studies.map(\.studyInstanceUID), ["2.25.71", "2.25.72"])
        XCTAssertEqual(paged.studies.flatMap(\.series).map(\.isPaged), [true, true, true])
        // What a worklist reads, without reading any series.
        XCTAssertEqual(paged.studies.map(\.instanceCount), [9, 5])
        XCTAssertEqual(paged.studies.map { $0.first.patientName }, ["Paged^A", "Paged^B"])
        XCTAssertEqual(paged.studies[0].series[0].first.instanceNumber, 1)
        XCTAssertTrue(paged.studies[0].series[0].first.path.hasPrefix(named), paged.studies[0].series[0].first.path)
        XCTAssertEqual(paged.studies.flatMap(\.series).map(\.isPaged), [true, true, true])
        XCTAssertEqual(paged.failures.map(\.path), full.failures.map(\.path))

        // Read back: the same instances in the same order, from both folders of series A1.
        XCTAssertEqual(shape(paged), shape(full))
        XCTAssertEqual(paged.studies[0].series[0].instances.map(\.instanceNumber), [1, 2, 5, 6, 7, 8])
        XCTAssertEqual(paged.studies[0].series[0].instances, full.studies[0].series[0].instances)
        XCTAssertEqual(paged.studies.flatMap(\.series).map(\.isPaged), [false, false, false])
    }

    func testNewAndChangedFilesJoinTheirStoredSeriesInMemory() throws {
        _ = StudyIndex.scan([images.path], cache: store)
        try write(study: "B", series: 1, number: 3, name: "b/i2.dcm", description: "CHANGED")
        try write(study: "B", series: 1, number: 6, name: "b/i5.dcm")
        let paged = StudyIndex.scan([images.path], cache: store, paging: true)
        XCTAssertEqual(paged.parsedCount, 2)
        let b = try XCTUnwrap(paged.studies.first { $0.studyInstanceUID == "2.25.72" })
        XCTAssertFalse(b.series[0].isPaged)
        XCTAssertEqual(b.series[0].instances.map(\.instanceNumber), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(b.series[0].instances[2].seriesDescription, "CHANGED")
        // Study A had no change: still paged.
        XCTAssertTrue(paged.studies[0].series.allSatisfy(\.isPaged))
        XCTAssertEqual(shape(paged), shape(StudyIndex.scan([images.path], cache: nil)))
    }

    func testFilesChangedOrGoneAfterThePagedScanAreReadFreshOrLeftOut() throws {
        _ = StudyIndex.scan([images.path], cache: store)
        let paged = StudyIndex.scan([images.path], cache: store, paging: true)
        let b = try XCTUnwrap(paged.studies.first { $0.studyInstanceUID == "2.25.72" })
        XCTAssertTrue(b.series[0].isPaged)
        try FileManager.default.removeItem(at: images.appendingPathComponent("b/i0.dcm"))
        try write(study: "B", series: 1, number: 4, name: "b/i3.dcm", description: "RESENT WITH ANOTHER SIZE")
        XCTAssertEqual(b.series[0].instances.map(\.instanceNumber), [2, 3, 4, 5])
        XCTAssertEqual(b.series[0].instances[2].seriesDescription, "RESENT WITH ANOTHER SIZE")
        XCTAssertEqual(b.instanceCount, 4)
    }

    func testWithoutTheStoreAPagedSeriesIsReadFromItsFolders() throws {
        _ = StudyIndex.scan([images.path], cache: store)
        let paged = StudyIndex.scan([images.path], cache: store, paging: true)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.url.path + suffix) }
        XCTAssertEqual(shape(paged), shape(StudyIndex.scan([images.path], cache: nil)))
    }

    func testWithoutAStoreAPagedScanKeepsEveryHeader() throws {
        let scan = StudyIndex.scan([images.path], cache: nil, paging: true)
        XCTAssertEqual(scan.studies.flatMap(\.series).map(\.isPaged), [false, false, false])
        XCTAssertEqual(scan.studies.map(\.instanceCount), [9, 5])
    }
}
