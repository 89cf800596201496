import Foundation
import TestSupport
@testable import DICOM

/// Locates the committed fixtures and the pydicom corpus (present after `make test` set-up).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func dicom(_ name: String) -> URL { root.appendingPathComponent("dicom/\(name)") }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: dicom(name)) }

    /// Reads a little-endian .npy of 1- or 2-byte integers written by numpy.
    static func npyInts(_ name: String) throws -> [Int] {
        let d = [UInt8](try Data(contentsOf: dicom(name)))
        let headerLength = Int(d[8]) | Int(d[9]) << 8
        let header = String(decoding: d[10 ..< 10 + headerLength], as: UTF8.self)
        let body = Array(d[(10 + headerLength)...])
        if header.contains("'<u2'") { return stride(from: 0, to: body.count, by: 2).map { Int(UInt16(body[$0]) | UInt16(body[$0 + 1]) << 8) } }
        if header.contains("'<i2'") { return stride(from: 0, to: body.count, by: 2).map { Int(Int16(bitPattern: UInt16(body[$0]) | UInt16(body[$0 + 1]) << 8)) } }
        if header.contains("'|u1'") { return body.map(Int.init) }
        fatalError("fixture dtype not handled: \(header)")
    }

    /// The pydicom test corpus, when the venv is installed.
    static var pydicomCorpus: URL? {
        let repo = root.deletingLastPathComponent().deletingLastPathComponent()
        let candidates = (try? FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent(".venv/lib").path)) ?? []
        for python in candidates {
            let u = repo.appendingPathComponent(".venv/lib/\(python)/site-packages/pydicom/data/test_files")
            if FileManager.default.fileExists(atPath: u.path) { return u }
        }
        return nil
    }
}

