import Foundation

/// Reads and writes NumPy `.npy` files (format 1.0/2.0/3.0, little-endian float32/float64/
/// int32/int64/bool, C order) for `lightbox onnx run`.
public enum NPY {
    public static func read(_ data: [UInt8]) throws -> Tensor {
        guard data.count >= 10, data[0] == 0x93, Array(data[1..<6]) == Array("NUMPY".utf8) else {
            throw ONNXError.badInput("not a .npy file")
        }
        let major = data[6]
        let headerLen: Int, start: Int
        if major == 1 { headerLen = Int(data[8]) | Int(data[9]) << 8; start = 10 }
        else {
            guard data.count >= 12 else { throw ONNXError.badInput("truncated .npy header") }
            headerLen = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24; start = 12
        }
        guard headerLen >= 0, start + headerLen <= data.count else { throw ONNXError.badInput("truncated .npy header") }
        let header = String(decoding: data[start..<(start + headerLen)], as: UTF8.self)
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrPart = field("descr"), let q1 = descrPart.firstIndex(of: "'"),
              let q2 = descrPart[descrPart.index(after: q1)...].firstIndex(of: "'") else { throw ONNXError.badInput(".npy header lacks descr") }
        let descr = String(descrPart[descrPart.index(after: q1)..<q2])
        if let fo = field("fortran_order"), fo.hasPrefix("True") { throw ONNXError.badInput("Fortran-order .npy is not supported") }
        guard let sp = field("shape"), let o = sp.firstIndex(of: "("), let c = sp.firstIndex(of: ")") else { throw ONNXError.badInput(".npy header lacks shape") }
        let dims = try sp[sp.index(after: o)..<c].split(separator: ",").map { s -> Int in
            guard let v = Int(s.trimmingCharacters(in: .whitespaces)), v >= 0 else { throw ONNXError.badInput("bad .npy shape") }
            return v
        }
        let count = try checkedCount(dims)
        let body = start + headerLen
        let width: Int
        switch descr {
        case "<f4", "<i4", "<u4": width = 4
        case "<f8", "<i8", "<u8": width = 8
        case "|b1", "|u1", "|i1": width = 1
        default: throw ONNXError.badInput(".npy dtype \(descr) is not supported")
        }
        guard data.count - body >= count * width else { throw ONNXError.badInput(".npy data is truncated") }
        return try data.withUnsafeBytes { raw throws -> Tensor in
            func at<T>(_ i: Int, _ t: T.Type) -> T { raw.loadUnaligned(fromByteOffset: body + i * width, as: T.self) }
            switch descr {
            case "<f4": return try Tensor(shape: dims, floats: (0..<count).map { at($0, Float.self) })
            case "<f8": return try Tensor(shape: dims, floats: (0..<count).map { Float(at($0, Double.self)) })
            case "<i4": return try Tensor(shape: dims, ints: (0..<count).map { Int64(at($0, Int32.self)) }, type: .int32)
            case "<u4": return try Tensor(shape: dims, ints: (0..<count).map { Int64(at($0, UInt32.self)) }, type: .uint32)
            case "<i8": return try Tensor(shape: dims, ints: (0..<count).map { at($0, Int64.self) }, type: .int64)
            case "<u8": return try Tensor(shape: dims, ints: (0..<count).map { at($0, Int64.self) }, type: .uint64)
            case "|u1": return try Tensor(shape: dims, ints: (0..<count).map { Int64(at($0, UInt8.self)) }, type: .uint8)
            case "|i1": return try Tensor(shape: dims, ints: (0..<count).map { Int64(at($0, Int8.self)) }, type: .int8)
            default: return try Tensor(shape: dims, ints: (0..<count).map { at($0, UInt8.self) != 0 ? 1 : 0 }, type: .bool)
            }
        }
    }

    public static func write(_ t: Tensor) -> [UInt8] {
        let descr: String
        switch t.dataType {
        case .float: descr = "<f4"
        case .bool: descr = "|b1"
        case .uint8: descr = "|u1"
        case .int8: descr = "|i1"
        case .int32: descr = "<i4"
        default: descr = "<i8"
        }
        var out = header(descr: descr, shape: t.shape)
        switch descr {
        case "<f4": t.floats.withUnsafeBytes { out += $0 }
        case "|b1", "|u1", "|i1": out += t.ints.map { UInt8(truncatingIfNeeded: $0) }
        case "<i4": for v in t.ints { withUnsafeBytes(of: Int32(truncatingIfNeeded: v).littleEndian) { out += $0 } }
        default: for v in t.ints { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        }
        return out
    }

    /// A whole `.npy` file (format 1.0): the header for `descr` (a NumPy dtype such as `<u2`, `<i2`,
    /// `|u1`, `<f4`) and `shape`, then `body`, already in that layout (C order).
    public static func file(descr: String, shape: [Int], body: [UInt8]) -> [UInt8] {
        header(descr: descr, shape: shape) + body
    }

    /// The dtype string for integer samples `bytes` wide.
    public static func integerDescr(bytes: Int, signed: Bool) -> String {
        bytes == 1 ? (signed ? "|i1" : "|u1") : "<\(signed ? "i" : "u")\(bytes)"
    }

    /// Magic, version 1.0, header length and the header dictionary, padded with spaces and a
    /// newline so the data starts on a multiple of 64 bytes.
    static func header(descr: String, shape: [Int]) -> [UInt8] {
        let shapeText = shape.isEmpty ? "()" : (shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")")
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        let n = dict.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xff), UInt8(n >> 8)] + Array(dict.utf8)
    }
}
