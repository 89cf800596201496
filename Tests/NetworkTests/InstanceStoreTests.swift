import DICOM
import Foundation
import XCTest
@testable import DICOMNetwork

final class InstanceStoreTests: XCTestCase {
    /// A minimal implicit VR LE data set: SOP class, SOP instance, study UID, rows.
    private func dataSet(sopClass: String, study: String) -> [UInt8] {
        var b: [UInt8] = []
        func el(_ g: UInt16, _ e: UInt16, _ v: [UInt8]) { b.appendLE16(g); b.appendLE16(e); b.appendLE32(UInt32(v.count)); b += v }
        func ui(_ s: String) -> [UInt8] { var v = Array(s.utf8); if v.count % 2 == 1 { v.append(0) }; return v }
        el(0x0008, 0x0016, ui(sopClass))
        el(0x0008, 0x0018, ui("1.2.3.4.5"))
        el(0x0020, 0x000D, ui(study))
        el(0x0028, 0x0010, [0x10, 0x00])
        return b
    }

    private func tempDir() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: u) }
        return u
    }

    func testStoredFileIsPart10WithTheDataSetBytesUnchanged() throws {
        let root = try tempDir()
        let store = try InstanceStore(root: root)
        let ds = dataSet(sopClass: "1.2.840.10008.5.1.4.1.1.2", study: "1.2.3")
        let incoming = try store.begin(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.4.5",
                                       transferSyntaxUID: "1.2.840.10008.1.2", callingAE: "CT1")
        incoming.append(Array(ds.prefix(10)))
        incoming.append(Array(ds.dropFirst(10)))
        let r = try incoming.finish()
        XCTAssertEqual(r.fileURL.path, root.appendingPathComponent("1.2.3/1.2.3.4.5.dcm").path)
        let bytes = try [UInt8](Data(contentsOf: r.fileURL))
        XCTAssertEqual(Array(bytes.suffix(ds.count)), ds)
        let file = try DICOMFile.read(r.fileURL)
        XCTAssertTrue(file.hasPreamble)
        XCTAssertEqual(file.meta.string(.transferSyntaxUID), "1.2.840.10008.1.2")
        XCTAssertEqual(file.meta.string(.mediaStorageSOPInstanceUID), "1.2.3.4.5")
        XCTAssertEqual(file.dataSet.int(.rows), 16)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".incoming").path), [])
    }

    func testMismatchedSOPClassIsRefusedWithA900AndNothingKept() throws {
        let root = try tempDir()
        let store = try InstanceStore(root: root)
        let incoming = try store.begin(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.4.5",
                                       transferSyntaxUID: "1.2.840.10008.1.2", callingAE: "CT1")
        incoming.append(dataSet(sopClass: "1.2.840.10008.5.1.4.1.1.4", study: "1.2.3"))
        XCTAssertThrowsError(try incoming.finish()) { error in
            XCTAssertEqual((error as? StoreError)?.status, DIMSEStatus.dataSetDoesNotMatchSOPClass)
        }
        let left = try FileManager.default.subpathsOfDirectory(atPath: root.path)
        XCTAssertEqual(left.filter { $0.hasSuffix(".dcm") || $0.hasSuffix(".part") }, [])
    }

    func testHostileUIDsDoNotEscapeTheStore() {
        XCTAssertEqual(InstanceStore.safeName("../../etc", fallback: "x"), "x")
        XCTAssertEqual(InstanceStore.safeName("..", fallback: "x"), "x")
        XCTAssertEqual(InstanceStore.safeName("", fallback: "x"), "x")
        XCTAssertEqual(InstanceStore.safeName("1.2.840", fallback: "x"), "1.2.840")
    }
}
