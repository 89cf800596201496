import DICOM
import Foundation
import TestSupport
import XCTest
@testable import Imaging

/// The SQLite study index store under rescans, two scanners at once, damaged files and file modes.
/// Every fixture is a real Part 10 file written with `Bytes`; the store lives in a temporary folder.
final class StudyIndexStoreTests: XCTestCase {
    private var root: URL!
    private var images: URL!
    private var storeURL: URL!
    /// Lines the store printed ("rebuilt …"), collected instead of going to stderr.
    private let reports = Reports()

    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-store-\(UUID().uuidString)")
        images = root.appendingPathComponent("images")
        storeURL = root.appendingPathComponent("cache/lightbox/index.sqlite")
        try FileManager.default.createDirectory(at: images.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for k in 0 ..< 6 { try writeInstance(k, in: k < 3 ? images : images.appendingPathComponent("sub")) }
        try Data("not dicom at all".utf8).write(to: images.appendingPathComponent("notes.bin"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private var store: StudyIndexStore {
        let reports = self.reports
        return StudyIndexStore(url: storeURL, report: { reports.add($0) })
    }

    /// Instance `k` of one CT series (two series: k < 3 and k ≥ 3), patient "Secret^Patient".
    private func writeInstance(_ k: Int, in dir: URL, number: Int? = nil) throws {
        let body = Bytes.text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2")
            + Bytes.text(0x0008, 0x0018, "UI", "2.25.5\(k)")
            + Bytes.text(0x0008, 0x0020, "DA", "20260102")
            + Bytes.text(0x0008, 0x0060, "CS", "CT")
            + Bytes.text(0x0010, 0x0010, "PN", "Secret^Patient")
            + Bytes.text(0x0010, 0x0020, "LO", "ID-42")
            + Bytes.text(0x0020, 0x000D, "UI", "2.25.300")
            + Bytes.text(0x0020, 0x000E, "UI", k < 3 ? "2.25.301" : "2.25.302")
            + Bytes.text(0x0020, 0x0011, "IS", k < 3 ? "1" : "2")
            + Bytes.text(0x0020, 0x0013, "IS", "\(number ?? k + 1)")
            + Bytes.text(0x0020, 0x0032, "DS", "-5\\-5\\\(2 * k)")
            + Bytes.text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
            + Bytes.us(0x0028, 0x0010, 2) + Bytes.us(0x0028, 0x0011, 2)
            + Bytes.text(0x0028, 0x0030, "DS", "0.5\\0.7")
            + Bytes.text(0x0018, 0x0050, "DS", "1.25")
            + Bytes.element(0x7FE0, 0x0010, "OW", [UInt8](repeating: 1, count: 8))
        try Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body).write(to: dir.appendingPathComponent("im\(k).dcm"))
    }

    private func allHeaders(_ index: StudyIndex) -> [InstanceHeader] {
        index.studies.flatMap(\.series).flatMap(\.instances)
    }

    private func rowCount() throws -> Int64 {
        try SQLiteDatabase(path: storeURL.path).integer("SELECT count(*) FROM files")
    }

    private func integrity() throws -> String {
        let db = try SQLiteDatabase(path: storeURL.path)
        let s = try db.prepare("PRAGMA integrity_check")
        return try s.step() ? s.text(0) : ""
    }

    // MARK: - Incremental rescans

    func testRescanReadsOnlyNewOrChangedFilesAndForgetsVanishedOnes() throws {
        let cold = StudyIndex.scan([images.path], cache: nil)
        let first = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([first.parsedCount, first.cachedCount], [7, 0])
        XCTAssertEqual(allHeaders(first), allHeaders(cold))

        // Unchanged: every header and the failure from the store, identical to a cold scan's.
        let warm = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([warm.parsedCount, warm.cachedCount], [0, 7])
        XCTAssertEqual(allHeaders(warm), allHeaders(cold))
        XCTAssertEqual(warm.failures.map(\.path), cold.failures.map(\.path))
        XCTAssertEqual(warm.failures.map(\.reason), cold.failures.map(\.reason))
        XCTAssertEqual(warm.studies[0].series.map(\.instances.count), [3, 3])

        // One file changed: only it is read again, and its new header is what the index shows.
        try writeInstance(4, in: images.appendingPathComponent("sub"), number: 1234)
        let changed = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([changed.parsedCount, changed.cachedCount], [1, 6])
        XCTAssertTrue(allHeaders(changed).contains { $0.sopInstanceUID == "2.25.54" && $0.instanceNumber == 1234 })

        // A new file: read; the others not.
        try writeInstance(6, in: images)
        let added = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([added.parsedCount, added.cachedCount], [1, 7])
        XCTAssertEqual(added.studies[0].instanceCount, 7)
        XCTAssertEqual(try rowCount(), 8)

        // A deleted file: gone from the index and from the store.
        try FileManager.default.removeItem(at: images.appendingPathComponent("sub/im3.dcm"))
        let removed = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([removed.parsedCount, removed.cachedCount], [0, 7])
        XCTAssertFalse(allHeaders(removed).contains { $0.sopInstanceUID == "2.25.53" })
        XCTAssertEqual(try rowCount(), 7)
        XCTAssertEqual(try integrity(), "ok")
        XCTAssertEqual(reports.all, [])
    }

    /// A file replaced by another with the same size and mtime (a re-send, `rsync -t`) has a new
    /// inode: it is read again.
    /// A NIfTI volume's synthetic header survives the store: the warm scan serves it from the
    /// cache, still a NIfTI instance (its loaders are chosen by the header's syntax), equal to the
    /// header read from the file.
    func testNIfTIHeaderRoundTripsThroughTheStore() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/nifti/int16_sform_rotated.nii.gz")
        try FileManager.default.copyItem(at: fixture, to: images.appendingPathComponent("t1.nii.gz"))
        let cold = StudyIndex.scan([images.path], cache: store)
        let warm = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual(warm.parsedCount, 0)
        let coldHeader = try XCTUnwrap(allHeaders(cold).first { $0.isNIfTI })
        let warmHeader = try XCTUnwrap(allHeaders(warm).first { $0.isNIfTI })
        XCTAssertEqual(warmHeader, coldHeader)
        XCTAssertEqual(warmHeader.frames, 3)
        XCTAssertEqual(SeriesLoader.frames(of: [warmHeader]).frames.count, 3)
    }

    func testReplacedFileWithSameSizeAndMtimeIsReadAgain() throws {
        _ = StudyIndex.scan([images.path], cache: store)
        let target = images.appendingPathComponent("im1.dcm")
        let attributes = try FileManager.default.attributesOfItem(atPath: target.path)
        let other = images.appendingPathComponent(".tmp")
        try FileManager.default.copyItem(at: target, to: other)
        try FileManager.default.setAttributes([.modificationDate: attributes[.modificationDate]!], ofItemAtPath: other.path)
        XCTAssertEqual(rename(other.path, target.path), 0)
        let rescan = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([rescan.parsedCount, rescan.cachedCount], [1, 6])
    }

    /// Overlapping roots share rows: scanning a subfolder after its parent reads nothing again, and
    /// does not delete the parent's other rows; a file root is found by a point lookup.
    func testOverlappingRootsAndFileRootsShareRows() throws {
        _ = StudyIndex.scan([images.path], cache: store)
        let sub = StudyIndex.scan([images.appendingPathComponent("sub").path + "/"], cache: store)
        XCTAssertEqual([sub.parsedCount, sub.cachedCount], [0, 3])
        XCTAssertTrue(allHeaders(sub).allSatisfy { $0.path.hasPrefix(images.path + "/sub/") })
        XCTAssertEqual(try rowCount(), 7)
        let file = StudyIndex.scan([images.appendingPathComponent("im0.dcm").path], cache: store)
        XCTAssertEqual([file.parsedCount, file.cachedCount], [0, 1])
        let both = StudyIndex.scan([images.path, images.appendingPathComponent("sub").path], cache: store)
        XCTAssertEqual([both.parsedCount, both.cachedCount], [0, 7])
        XCTAssertEqual(try rowCount(), 7)
    }

    /// Names outside ASCII, including two that differ only in Unicode normalisation (one to Swift's
    /// `==`, two files to the file system and to SQLite): both listed, both served from the store.
    func testNonASCIINamesAreKeyedByTheirBytes() throws {
        let dir = images.appendingPathComponent("ü")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (k, name) in [(10, "\u{e9}"), (11, "e\u{301}"), (12, "Z"), (13, "日本")] {
            try writeInstance(k, in: dir)
            XCTAssertEqual(rename(dir.appendingPathComponent("im\(k).dcm").path, dir.path + "/" + name + ".dcm"), 0)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        guard names.count == 4 else { throw XCTSkip("this file system normalises names") }
        let first = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([first.parsedCount, first.cachedCount], [11, 0])
        XCTAssertEqual(first.studies[0].instanceCount, 10)
        let warm = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([warm.parsedCount, warm.cachedCount], [0, 11])
        XCTAssertEqual(Set(allHeaders(warm).map(\.sopInstanceUID)), Set(allHeaders(first).map(\.sopInstanceUID)))
        XCTAssertEqual(try rowCount(), 11)
    }

    // MARK: - Two scanners at once

    /// Two threads, each with its own connection, scan (and write: files change between rounds)
    /// at the same time: both get the full, correct index every time and the database is intact.
    func testTwoConcurrentScannersBothSeeEverythingAndTheDatabaseStaysIntact() throws {
        for k in 7 ..< 60 { try writeInstance(k, in: images.appendingPathComponent("sub")) }
        let expected = allHeaders(StudyIndex.scan([images.path], cache: nil))
        for round in 0 ..< 4 {
            let store = self.store, path = images.path
            let results = ParallelMap.map(2) { _ in StudyIndex.scan([path], cache: store) }
            for r in results {
                XCTAssertEqual(allHeaders(r).map(\.sopInstanceUID), expected.map(\.sopInstanceUID), "round \(round)")
                XCTAssertEqual(r.failures.count, 1)
            }
            // Touch a file so the next round writes again.
            let f = images.appendingPathComponent("im0.dcm").path
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: Double(round + 1))], ofItemAtPath: f)
        }
        XCTAssertEqual(try integrity(), "ok")
        XCTAssertEqual(try rowCount(), 60)  // 59 instances and notes.bin
        XCTAssertEqual(reports.all, [])
    }

    /// A scanner that cannot get the write lock (another process holds it) still returns the full
    /// index; it saves nothing, and the next scan, with the lock free, saves.
    func testScannerBlockedFromWritingStillReturnsTheFullIndex() throws {
        _ = store.open()  // creates the database
        let holder = try SQLiteDatabase(path: storeURL.path)
        try holder.execute("BEGIN IMMEDIATE")
        let start = Date()
        let blocked = StudyIndex.scan([images.path], cache: store)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(blocked.studies.first?.instanceCount, 6)
        XCTAssertEqual(blocked.failures.count, 1)
        try holder.execute("ROLLBACK")
        XCTAssertEqual(try rowCount(), 0)
        XCTAssertEqual(StudyIndex.scan([images.path], cache: store).parsedCount, 7)
        XCTAssertEqual(StudyIndex.scan([images.path], cache: store).cachedCount, 7)
    }

    // MARK: - Damaged stores are rebuilt

    private func assertRebuilt(after damage: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) throws {
        let cold = StudyIndex.scan([images.path], cache: nil)
        let expected = allHeaders(cold), files = expected.count + cold.failures.count
        _ = StudyIndex.scan([images.path], cache: store)
        try damage()
        let before = reports.all.count
        let rescued = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual(allHeaders(rescued), expected, file: file, line: line)
        XCTAssertEqual(rescued.failures.count, 1, file: file, line: line)
        let lines = reports.all.dropFirst(before)
        XCTAssertEqual(lines.count, 1, "one line says the store was rebuilt: \(lines)", file: file, line: line)
        XCTAssertTrue(lines.allSatisfy { $0.contains("starting a new one") && !$0.contains("Secret") && !$0.contains("ID-42") },
                      "\(lines)", file: file, line: line)
        // The new store works: the next scan reads nothing.
        let next = StudyIndex.scan([images.path], cache: store)
        XCTAssertEqual([next.parsedCount, next.cachedCount], [0, files], file: file, line: line)
        XCTAssertEqual(try integrity(), "ok", file: file, line: line)
    }

    func testGarbageInPlaceOfTheStoreIsRebuilt() throws {
        try assertRebuilt {
            try Data((0 ..< 50_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: storeURL)
            for s in ["-wal", "-shm"] { unlink(storeURL.path + s) }
        }
    }

    func testTruncatedStoreIsRebuilt() throws {
        // Enough rows for several pages, so that cutting the file loses some of the tree.
        for k in 7 ..< 400 { try writeInstance(k, in: images.appendingPathComponent("sub")) }
        try assertRebuilt {
            let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: storeURL.path)[.size] as? Int)
            XCTAssertGreaterThan(size, 4 * 16384)
            XCTAssertEqual(truncate(storeURL.path, off_t(size / 2)), 0)
        }
    }

    func testStoreWithAnotherSchemaVersionIsRebuilt() throws {
        try assertRebuilt { try SQLiteDatabase(path: storeURL.path).execute("PRAGMA user_version=99") }
    }

    func testForeignDatabaseInPlaceOfTheStoreIsRebuilt() throws {
        try assertRebuilt {
            for s in ["", "-wal", "-shm"] { unlink(storeURL.path + s) }
            try SQLiteDatabase(path: storeURL.path).execute("CREATE TABLE other (x)")
        }
    }

    // MARK: - Where it lives and who may read it

    func testFolderIs0700AndDatabaseWALAndSHMAre0600EvenWithAPermissiveUmask() throws {
        let old = umask(0)
        defer { umask(old) }
        let holder = try XCTUnwrap(store.open())  // keeps the WAL and SHM in place after the scan
        _ = StudyIndex.scan([images.path], cache: store)
        func mode(_ path: String) -> mode_t? {
            var st = stat()
            return stat(path, &st) == 0 ? st.st_mode & 0o777 : nil
        }
        XCTAssertEqual(mode(storeURL.deletingLastPathComponent().path), 0o700)
        XCTAssertEqual(mode(storeURL.path), 0o600)
        XCTAssertEqual(mode(storeURL.path + "-wal"), 0o600)
        XCTAssertEqual(mode(storeURL.path + "-shm"), 0o600)
        _ = holder
    }

    func testLooseExistingFolderAndFilesAreTightened() throws {
        _ = StudyIndex.scan([images.path], cache: store)
        chmod(storeURL.deletingLastPathComponent().path, 0o755)
        chmod(storeURL.path, 0o644)
        _ = StudyIndex.scan([images.path], cache: store)
        var st = stat()
        XCTAssertEqual(stat(storeURL.deletingLastPathComponent().path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
        XCTAssertEqual(stat(storeURL.path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
    }

    func testStandardLocationAndLegacyJSONCachesRemoved() throws {
        let cache = root.appendingPathComponent("xdg")
        XCTAssertEqual(StudyIndexStore.standard(environment: ["XDG_CACHE_HOME": cache.path]).url.path,
                       cache.appendingPathComponent("lightbox/index.sqlite").path)
        XCTAssertEqual(StudyIndexStore.standard(environment: ["HOME": "/home/r"]).url.path, "/home/r/.cache/lightbox/index.sqlite")
        try FileManager.default.createDirectory(at: storeURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let legacy = storeURL.deletingLastPathComponent().appendingPathComponent("index-abc123.json")
        try Data("{}".utf8).write(to: legacy)
        _ = StudyIndex.scan([images.path], cache: store)
        XCTAssertFalse(FileManager.default.fileExists(atPath: legacy.path))
    }
}
