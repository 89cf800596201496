import Foundation

/// Writes NumPy `.npy` files (format version 1.0), so decoded pixels can be compared with any toolkit.
public enum NPYWriter {
    /// `descr` is a NumPy dtype string such as `<u2`, `<i2`, `|u1`, `<f4`; `data` is already in that
    /// layout (C order).
    public static func data(descr: String, shape: [Int], body: [UInt8]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + header length (2) + header + "\n" is padded to a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let length = UInt16(header.utf8.count)
        out.append(UInt8(length & 0xFF)); out.append(UInt8(length >> 8))
        out.append(contentsOf: Array(header.utf8))
        out.append(contentsOf: body)
        return out
    }

    /// The dtype string for integer samples of `bytes` width.
    public static func integerDescr(bytes: Int, signed: Bool) -> String {
        bytes == 1 ? (signed ? "|i1" : "|u1") : "<\(signed ? "i" : "u")\(bytes)"
    }
}
