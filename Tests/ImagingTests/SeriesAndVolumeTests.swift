import DICOM
import Foundation
import TestSupport
import XCTest
@testable import Imaging

/// A CT series written to a temporary folder in shuffled file order, with one gap, read back.
final class SeriesAndVolumeTests: XCTestCase {
    private var folder: URL!
    /// Slice positions along z (mm): a 2 mm series with a missing slice between 4 and 8.
    private let positions: [Double] = [0, 2, 4, 8, 10]

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-series-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // File names deliberately out of anatomical order; instance numbers out of order too.
        for (k, z) in positions.enumerated().reversed() {
            let pixels = (0 ..< 4).flatMap { i in Bytes.u16(UInt16(100 * k + i)) }  // 2×2, stored = 100k + i
            let body = Bytes.text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2")
                + Bytes.text(0x0008, 0x0018, "UI", "2.25.9\(k)")
                + Bytes.text(0x0008, 0x0060, "CS", "CT")
                + Bytes.text(0x0010, 0x0010, "PN", "Series^Test")
                + Bytes.text(0x0020, 0x000D, "UI", "2.25.100")
                + Bytes.text(0x0020, 0x000E, "UI", "2.25.200")
                + Bytes.text(0x0020, 0x0013, "IS", "\(10 - k)")
                + Bytes.text(0x0020, 0x0032, "DS", "-5\\-5\\\(z)")
                + Bytes.text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
                + Bytes.us(0x0028, 0x0002, 1) + Bytes.text(0x0028, 0x0004, "CS", "MONOCHROME2")
                + Bytes.us(0x0028, 0x0010, 2) + Bytes.us(0x0028, 0x0011, 2)
                + Bytes.text(0x0028, 0x0030, "DS", "0.5\\0.7")
                + Bytes.us(0x0028, 0x0100, 16) + Bytes.us(0x0028, 0x0101, 16) + Bytes.us(0x0028, 0x0102, 15)
                + Bytes.us(0x0028, 0x0103, 0)
                + Bytes.text(0x0028, 0x1052, "DS", "-1024") + Bytes.text(0x0028, 0x1053, "DS", "2")
                + Bytes.element(0x7FE0, 0x0010, "OW", pixels)
            try Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body).write(to: folder.appendingPathComponent("file\(9 - k).dcm"))
        }
        try Data("not dicom at all".utf8).write(to: folder.appendingPathComponent("notes.bin"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func testIndexGroupsSeriesAndListsUnreadableFiles() throws {
        let index = StudyIndex.scan([folder.path], cache: nil)
        XCTAssertEqual(index.studies.count, 1)
        XCTAssertEqual(index.studies[0].series.count, 1)
        XCTAssertEqual(index.studies[0].instanceCount, 5)
        XCTAssertEqual(index.failures.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["notes.bin"])
        XCTAssertTrue(index.failures[0].reason.contains("notes.bin"))
    }

    func testCacheServesUnchangedFilesAndNoticesChanges() throws {
        let cache = StudyIndexStore(url: folder.appendingPathComponent(".cache/index.sqlite"))
        XCTAssertEqual(StudyIndex.scan([folder.path], cache: cache).cachedCount, 0)
        let second = StudyIndex.scan([folder.path], cache: cache)
        XCTAssertEqual(second.cachedCount, 6)
        XCTAssertEqual(second.studies[0].instanceCount, 5)
        // Rewrite one file with other content: it must be read again, not served from the cache.
        try Data("changed, still not dicom".utf8).write(to: folder.appendingPathComponent("file9.dcm"))
        let third = StudyIndex.scan([folder.path], cache: cache)
        XCTAssertEqual(third.cachedCount, 5)
        XCTAssertEqual(third.studies[0].instanceCount, 4)
    }

    func testVolumeSortsByPositionMeasuresSpacingAndFindsTheGap() throws {
        let index = StudyIndex.scan([folder.path], cache: nil)
        let volume = try SeriesLoader.volume(of: index.studies[0].series[0].instances).volume
        XCTAssertEqual(volume.slices, 5)
        XCTAssertEqual(volume.spacing.slice, 2, accuracy: 1e-9)
        XCTAssertEqual(volume.spacing.row, 0.5)
        XCTAssertEqual(volume.spacing.column, 0.7)
        XCTAssertEqual(volume.gapsAfter, [2])
        XCTAssertEqual(volume.sopInstanceUIDs, ["2.25.90", "2.25.91", "2.25.92", "2.25.93", "2.25.94"])
        // HU = 2 × stored − 1024; the slice at z = 8 mm (k = 3) holds stored 300 + i.
        XCTAssertEqual(Array(volume.slice(3)), [-424, -422, -420, -418])
        XCTAssertEqual(volume.patientPosition(column: 1, row: 1, slice: 1), [-4.3, -4.5, 2])
    }

    /// The slice at z = 4 mm (file7.dcm) is cut short after the index read it: its header is known,
    /// its pixels are not there.
    private func indexWithOneBrokenSlice() throws -> [InstanceHeader] {
        let instances = StudyIndex.scan([folder.path], cache: nil).studies[0].series[0].instances
        let broken = folder.appendingPathComponent("file7.dcm")
        let bytes = try Data(contentsOf: broken)
        try bytes.prefix(bytes.count - 6).write(to: broken)
        return instances
    }

    func testStrictVolumeLoadNamesTheUnreadableSlice() throws {
        let instances = try indexWithOneBrokenSlice()
        XCTAssertThrowsError(try SeriesLoader.volume(of: instances)) { error in
            guard case let SeriesLoader.Problem.unreadable(slice, remaining)? = error as? SeriesLoader.Problem else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue(slice.path.hasSuffix("file7.dcm"))
            XCTAssertTrue(slice.description.hasPrefix("file7.dcm: "), "the file name, never the folder: \(slice)")
            XCTAssertEqual(remaining, 0)
        }
    }

    func testTolerantVolumeLoadLeavesOutTheSliceAndReportsTheHole() throws {
        let instances = try indexWithOneBrokenSlice()
        let loaded = try SeriesLoader.volume(of: instances, options: .tolerant)
        XCTAssertEqual(loaded.skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["file7.dcm"])
        XCTAssertEqual(loaded.volume.slices, 4)
        XCTAssertEqual(loaded.positions, [0, 2, 8, 10])
        XCTAssertEqual(loaded.volume.sopInstanceUIDs, ["2.25.90", "2.25.91", "2.25.93", "2.25.94"])
        // The readable slices closed up in order: z = 8 mm (stored 300 + i) is now slice 2.
        XCTAssertEqual(Array(loaded.volume.slice(2)), [-424, -422, -420, -418])
        XCTAssertEqual(Array(loaded.volume.slice(3)), [-224, -222, -220, -218])
        XCTAssertEqual(loaded.volume.gapsAfter, [1], "the missing slice leaves a gap between 2 and 8 mm")
        XCTAssertTrue(loaded.warnings.contains { $0.hasPrefix("skipped unreadable slice file7.dcm: ") }, "\(loaded.warnings)")
        // Too few readable slices left: the load fails and says how many would remain.
        XCTAssertThrowsError(try SeriesLoader.volume(of: instances, options: .init(skipUnreadable: true, minimumSlices: 5))) { error in
            guard case let SeriesLoader.Problem.unreadable(_, remaining)? = error as? SeriesLoader.Problem else { return XCTFail("\(error)") }
            XCTAssertEqual(remaining, 4)
        }
    }

    func testFrameLoadKeepsTheReadableFramesAndListsTheFailure() throws {
        let instances = try indexWithOneBrokenSlice()
        let loaded = SeriesLoader.frames(of: instances)
        XCTAssertEqual(loaded.frames.count, 4)
        XCTAssertEqual(loaded.framesPerFile, [1, 1, 0, 1, 1])
        XCTAssertFalse(loaded.isOneFramePerFile)
        XCTAssertEqual(loaded.failures.count, 1)
        XCTAssertTrue(loaded.failures[0].path.hasSuffix("file7.dcm"))
        XCTAssertEqual(loaded.frames.map(\.frame.position[2]), [0, 2, 8, 10])
        XCTAssertEqual(loaded.frames[2].frame.values, [-424, -422, -420, -418])
    }
}

/// DICOMDIR files name the instances on a medium; the pydicom corpus has real ones.
final class DICOMDIRTests: XCTestCase {
    func testDICOMDIRReferencesAreIndexed() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lib = repo.appendingPathComponent(".venv/lib")
        guard let python = try? FileManager.default.contentsOfDirectory(atPath: lib.path).first(where: { $0.hasPrefix("python") }) else {
            throw XCTSkip("pydicom corpus not installed (run make test)")
        }
        let dicomdir = lib.appendingPathComponent("\(python)/site-packages/pydicom/data/test_files/dicomdirtests/DICOMDIR").path
        let referenced = try DICOMDIRReader.referencedFiles(dicomdir)
        XCTAssertGreaterThan(referenced.count, 10)
        XCTAssertTrue(referenced.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let index = StudyIndex.scan([dicomdir], cache: nil)
        XCTAssertEqual(index.studies.reduce(0) { $0 + $1.instanceCount }, referenced.count)
        XCTAssertTrue(index.failures.isEmpty, "\(index.failures)")
    }
}
