import Foundation
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

/// Builds element bytes for hostile-input tests (explicit VR little endian).
enum Bytes {
    static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func u32(_ v: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
    static func element(_ g: UInt16, _ e: UInt16, _ vr: String, _ value: [UInt8]) -> [UInt8] {
        let long = ["OB", "OW", "SQ", "UN", "UT", "UC", "UR", "OD", "OF", "OL", "OV", "SV", "UV"].contains(vr)
        return u16(g) + u16(e) + Array(vr.utf8) + (long ? [0, 0] + u32(UInt32(value.count)) : u16(UInt16(value.count))) + value
    }
    static func text(_ g: UInt16, _ e: UInt16, _ vr: String, _ s: String) -> [UInt8] {
        var v = Array(s.utf8)
        if v.count % 2 == 1 { v.append(vr == "UI" ? 0 : 0x20) }
        return element(g, e, vr, v)
    }
    static func us(_ g: UInt16, _ e: UInt16, _ v: UInt16) -> [UInt8] { element(g, e, "US", u16(v)) }
    /// A Part 10 file: preamble, DICM, meta with the given transfer syntax, then `body`.
    static func part10(syntax: String, body: [UInt8]) -> Data {
        let meta = text(0x0002, 0x0010, "UI", syntax)
        return Data([UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
            + element(0x0002, 0x0000, "UL", u32(UInt32(meta.count))) + meta + body)
    }
}
