import Foundation
import XCTest
@testable import Imaging

/// NIfTI files written by nibabel (Tests/Fixtures/nifti/make_fixtures.py) read back by our reader:
/// every voxel value and every voxel's position against what nibabel reads from the same file.
final class NIfTIReaderTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/nifti")

    struct Expected: Decodable {
        var file: String
        var shape: [Int]
        var values: [Double]
        var affine: [[Double]]
        var sform_code: Int
        var qform_code: Int
        var datatype: Int
        var big_endian: Bool
    }

    func expected(_ stem: String) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.folder.appendingPathComponent(stem + ".json")))
    }

    /// Each stored voxel (i, j, k) has nibabel's value, and lies where nibabel's affine puts it
    /// (RAS → LPS: x and y negated), wherever the reader's flips moved it in the volume.
    func assertMatchesNibabel(_ stem: String, source: NIfTIGeometry.Source, file: StaticString = #filePath, line: UInt = #line) throws {
        let e = try expected(stem)
        let image = try NIfTIReader.read(path: Self.folder.appendingPathComponent(e.file).path)
        let v = image.volume, g = image.geometry
        XCTAssertEqual(g.source, source, file: file, line: line)
        XCTAssertEqual(image.header.datatype.rawValue, e.datatype, file: file, line: line)
        XCTAssertEqual(image.header.bigEndian, e.big_endian, file: file, line: line)
        XCTAssertEqual([v.columns, v.rows, v.slices], e.shape, file: file, line: line)
        let (nx, ny, nz) = (e.shape[0], e.shape[1], e.shape[2])
        for k in 0 ..< nz {
            for j in 0 ..< ny {
                for i in 0 ..< nx {
                    let want = e.values[i + nx * (j + ny * k)]
                    let c = g.flipColumns ? nx - 1 - i : i, r = g.flipRows ? ny - 1 - j : j, s = g.flipSlices ? nz - 1 - k : k
                    let got = Double(v.voxels[(s * ny + r) * nx + c])
                    XCTAssertEqual(got, want, accuracy: max(1e-3, abs(want) * 1e-6), "value at (\(i),\(j),\(k))", file: file, line: line)
                    let ras = (0 ..< 3).map { e.affine[$0][0] * Double(i) + e.affine[$0][1] * Double(j) + e.affine[$0][2] * Double(k) + e.affine[$0][3] }
                    let lps = [-ras[0], -ras[1], ras[2]]
                    let p = v.patientPosition(column: Double(c), row: Double(r), slice: Double(s))
                    for a in 0 ..< 3 {
                        XCTAssertEqual(p[a], lps[a], accuracy: 1e-3, "position \(a) of (\(i),\(j),\(k))", file: file, line: line)
                    }
                }
            }
        }
        // Reading order: rows run toward +x/+y (or −z), slices along row × column.
        XCTAssertTrue(NIfTIGeometry.pointsForward(v.rowDirection), file: file, line: line)
        XCTAssertTrue(NIfTIGeometry.pointsForward(v.columnDirection), file: file, line: line)
        let n = SeriesLoader.cross(v.rowDirection, v.columnDirection)
        XCTAssertGreaterThan(SeriesLoader.dot(n, v.sliceDirection), 0.999, file: file, line: line)
    }

    func testRotatedSformWinsOverQformWithScalingGzip() throws {
        try assertMatchesNibabel("int16_sform_rotated", source: .sform)
        let h = try NIfTIReader.readHeader(path: Self.folder.appendingPathComponent("int16_sform_rotated.nii.gz").path)
        XCTAssertNotNil(h.scaling, "the fixture carries scl_slope/scl_inter")
        XCTAssertEqual(h.qformCode, 1)
    }
    func testQformOnlyLeftHanded() throws { try assertMatchesNibabel("float32_qform_only", source: .qform) }
    func testPixdimFallback() throws { try assertMatchesNibabel("uint8_pixdim", source: .pixdim) }
    func testBigEndianFloat64() throws { try assertMatchesNibabel("float64_bigendian", source: .sform) }
    func testNIfTI2Int32Gzip() throws {
        try assertMatchesNibabel("int32_nifti2", source: .sform)
        XCTAssertEqual(try NIfTIReader.readHeader(path: Self.folder.appendingPathComponent("int32_nifti2.nii.gz").path).version, 2)
    }
    func testSagittalInt8() throws { try assertMatchesNibabel("int8_sagittal", source: .sform) }
    func testFourDimensionalUInt16ShowsFirstVolume() throws {
        try assertMatchesNibabel("uint16_4d", source: .sform)
        let image = try NIfTIReader.read(path: Self.folder.appendingPathComponent("uint16_4d.nii").path)
        XCTAssertEqual(image.warnings.count, 1)
    }

    /// A folder of NIfTI files is a worklist: one synthetic study per file, its slices the frames,
    /// positions increasing along the normal; `SeriesLoader.volume` gives the reader's volume.
    func testStudyIndexAndSeriesLoader() throws {
        let index = StudyIndex.scan([Self.folder.path])
        XCTAssertEqual(index.studies.count, 7, "\(index.failures)")
        let study = try XCTUnwrap(index.studies.first { $0.first.studyDescription == "int16_sform_rotated.nii.gz" })
        let h = study.first
        XCTAssertTrue(h.isNIfTI)
        XCTAssertEqual(h.modality, "MR")
        XCTAssertEqual(h.patientName, "")
        XCTAssertEqual([h.columns, h.rows, h.frames], [5, 4, 3])
        let frames = SeriesLoader.frames(of: study.series[0].instances)
        XCTAssertTrue(frames.failures.isEmpty)
        XCTAssertEqual(frames.frames.count, 3)
        let loaded = try SeriesLoader.volume(of: study.series[0].instances)
        XCTAssertEqual(loaded.volume.voxels, frames.frames.flatMap(\.frame.values))
        let steps = zip(loaded.positions!.dropFirst(), loaded.positions!).map { $0 - $1 }
        XCTAssertTrue(steps.allSatisfy { abs($0 - 2.5) < 1e-6 }, "\(steps)")
        XCTAssertEqual(frames.frames[1].frame.position, loaded.volume.patientPosition(column: 0, row: 0, slice: 1))
        // The same file keeps its UIDs across scans.
        XCTAssertEqual(StudyIndex.scan([h.path]).studies.first?.studyInstanceUID, study.studyInstanceUID)
    }

    // MARK: Hostile input: thrown errors, never traps.

    /// A NIfTI-1 header (little-endian unless `bigEndian`) with `dim`, `datatype`, and data after it.
    func header(dim: [Int16] = [3, 2, 2, 2, 1, 1, 1, 1], datatype: Int16 = 4, bitpix: Int16 = 16, voxOffset: Float = 352,
                magic: String = "n+1", sformCode: Int16 = 0, srow: [Float] = []) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 352)
        func put<T: FixedWidthInteger>(_ v: T, _ o: Int) { withUnsafeBytes(of: v.littleEndian) { for (k, x) in $0.enumerated() { b[o + k] = x } } }
        put(Int32(348), 0)
        for (k, d) in dim.enumerated() { put(d, 40 + 2 * k) }
        put(datatype, 70); put(bitpix, 72)
        for k in 0 ..< 8 { put(Float(1).bitPattern, 76 + 4 * k) }
        put(voxOffset.bitPattern, 108)
        put(sformCode, 254)
        for (k, v) in srow.enumerated() { put(v.bitPattern, 280 + 4 * k) }
        for (k, c) in magic.utf8.enumerated() { b[344 + k] = c }
        return b
    }

    func assertThrows(_ bytes: [UInt8], _ check: (NIfTIError) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try NIfTIReader.decode(bytes)
            XCTFail("decoded a hostile file", file: file, line: line)
        } catch {
            XCTAssertTrue(check(error), "\(error)", file: file, line: line)
        }
    }

    func testHandBuiltHeaderDecodes() throws {
        let data = (0 ..< 8).flatMap { v -> [UInt8] in [UInt8(v), 0] }
        let image = try NIfTIReader.decode(header() + data)
        XCTAssertEqual(image.volume.voxels.sorted(), (0 ..< 8).map(Float.init))
        XCTAssertEqual(image.geometry.source, .pixdim)
    }

    func testTruncatedData() {
        assertThrows(header() + [1, 2, 3]) { if case .truncated(needed: 368, available: 355) = $0 { true } else { false } }
        assertThrows(Array(header()[0 ..< 200])) { if case .truncated = $0 { true } else { false } }
        assertThrows([]) { if case .truncated = $0 { true } else { false } }
    }

    func testTruncatedGzip() throws {
        let full = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("int32_nifti2.nii.gz")))
        assertThrows(Array(full[0 ..< full.count / 2])) { if case .truncated = $0 { true } else { false } }
        var corrupt = full
        for k in 20 ..< min(60, corrupt.count) { corrupt[k] ^= 0x5A }
        assertThrows(corrupt) { if case .gzip = $0 { true } else if case .truncated = $0 { true } else { false } }
    }

    /// A gzip whose header promises 8 GiB over 64 bytes of data (Tests/Fixtures/nifti-hostile,
    /// written by make_fixtures.py): "truncated", without reserving the 8 GiB first.
    func testGzipPromisingGigabytesIsTruncatedNotAllocated() throws {
        let path = Self.folder.deletingLastPathComponent().appendingPathComponent("nifti-hostile/huge_dims_tiny_data.nii.gz").path
        XCTAssertEqual(try NIfTIReader.readHeader(path: path).dims.prefix(3), [2048, 2048, 256])
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        assertThrows(raw) { if case .truncated(needed: 352 + 8 << 30, available: 352 + 64) = $0 { true } else { false } }
        XCTAssertLessThan(try Gunzip.inflate(raw, limit: 1 << 40).count, 1024)
    }

    func testDimsThatOverflowOrAreTooLarge() {
        assertThrows(header(dim: [7, 32767, 32767, 32767, 32767, 32767, 32767, 32767])) { if case .badDimensions = $0 { true } else { false } }
        assertThrows(header(dim: [3, 32767, 32767, 32767, 1, 1, 1, 1])) { if case .badDimensions = $0 { true } else { false } }
        assertThrows(header(dim: [3, 2, -2, 2, 1, 1, 1, 1])) { if case .badDimensions = $0 { true } else { false } }
        assertThrows(header(dim: [9, 2, 2, 2, 1, 1, 1, 1])) { if case .badDimensions = $0 { true } else { false } }
        assertThrows(header(dim: [0, 2, 2, 2, 1, 1, 1, 1])) { if case .badDimensions = $0 { true } else { false } }
    }

    func testUnknownDatatypeAndBadFields() {
        assertThrows(header(datatype: 32, bitpix: 64)) { $0 == .unsupportedDatatype(code: 32) }     // complex64
        assertThrows(header(datatype: 1234, bitpix: 16)) { $0 == .unsupportedDatatype(code: 1234) }
        assertThrows(header(bitpix: 8)) { if case .badField(name: "bitpix", _) = $0 { true } else { false } }
        assertThrows(header(voxOffset: 100)) { if case .badField(name: "vox_offset", _) = $0 { true } else { false } }
        assertThrows(header(voxOffset: .nan)) { if case .badField(name: "vox_offset", _) = $0 { true } else { false } }
        assertThrows(header(voxOffset: 1e30)) { if case .badField(name: "vox_offset", _) = $0 { true } else { false } }
        assertThrows(header(magic: "ni1")) { if case .notNIfTI = $0 { true } else { false } }
        assertThrows(header(magic: "xyz")) { if case .notNIfTI = $0 { true } else { false } }
        assertThrows([UInt8](repeating: 0x41, count: 400)) { if case .notNIfTI = $0 { true } else { false } }
        // An sform whose first axis is zero cannot place voxels.
        let zeroAxis = header(sformCode: 1, srow: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]) + [UInt8](repeating: 0, count: 16)
        assertThrows(zeroAxis) { if case .badField(name: "srow", _) = $0 { true } else { false } }
    }
}
