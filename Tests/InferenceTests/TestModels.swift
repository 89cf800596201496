import Foundation
@testable import Inference

/// Hand-assembled ONNX protobuf bytes for small test graphs (no Python needed in unit tests).
enum ProtoWriter {
    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }
    static func key(_ field: Int, _ wire: Int) -> [UInt8] { varint(UInt64(field << 3 | wire)) }
    static func int(_ field: Int, _ v: Int64) -> [UInt8] { key(field, 0) + varint(UInt64(bitPattern: v)) }
    static func bytes(_ field: Int, _ b: [UInt8]) -> [UInt8] { key(field, 2) + varint(UInt64(b.count)) + b }
    static func string(_ field: Int, _ s: String) -> [UInt8] { bytes(field, Array(s.utf8)) }

    static func tensor(_ name: String, _ dims: [Int], _ values: [Float]) -> [UInt8] {
        var raw: [UInt8] = []
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw += $0 } }
        return dims.flatMap { int(1, Int64($0)) } + int(2, 1) + string(8, name) + bytes(9, raw)
    }

    static func valueInfo(_ name: String, _ dims: [Int]?) -> [UInt8] {
        var tt = int(1, 1)
        if let dims { tt += bytes(2, dims.flatMap { bytes(1, int(1, Int64($0))) }) }
        return string(1, name) + bytes(2, bytes(1, tt))
    }

    static func attrFloat(_ name: String, _ v: Float) -> [UInt8] {
        string(1, name) + key(2, 5) + withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } + int(20, 1)
    }
    static func attrInts(_ name: String, _ v: [Int]) -> [UInt8] { string(1, name) + v.flatMap { int(8, Int64($0)) } + int(20, 7) }

    static func node(_ op: String, _ ins: [String], _ outs: [String], name: String = "", attrs: [[UInt8]] = []) -> [UInt8] {
        ins.flatMap { string(1, $0) } + outs.flatMap { string(2, $0) } + string(3, name.isEmpty ? op + "_n" : name) +
            string(4, op) + attrs.flatMap { bytes(5, $0) }
    }

    static func model(nodes: [[UInt8]], inits: [[UInt8]] = [], inputs: [[UInt8]], outputs: [[UInt8]], opset: Int64 = 17) -> [UInt8] {
        let graph = nodes.flatMap { bytes(1, $0) } + string(2, "g") + inits.flatMap { bytes(5, $0) } +
            inputs.flatMap { bytes(11, $0) } + outputs.flatMap { bytes(12, $0) }
        return int(1, 8) + bytes(7, graph) + bytes(8, int(2, opset))
    }
}

/// The committed architecture fixtures.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/onnx")
    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
}
