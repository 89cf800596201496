import Foundation

/// Reads the small NumPy `.npy` arrays a findings file may point at (heatmaps): little-endian
/// float32, float64 or uint8, C order, 2-D. Anything else is refused with nil, never trapped on.
enum NPYReader {
    static func read2D(_ data: Data) -> (rows: Int, columns: Int, values: [Float])? {
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, Array(bytes[1 ..< 6]) == Array("NUMPY".utf8) else { return nil }
        let major = bytes[6]
        let headerLength: Int, start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; start = 10
        } else {
            guard bytes.count > 12 else { return nil }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24; start = 12
        }
        guard headerLength > 0, start + headerLength <= bytes.count else { return nil }
        let header = String(decoding: bytes[start ..< start + headerLength], as: UTF8.self)
        guard !header.contains("'fortran_order': True"),
              let shapeStart = header.range(of: "'shape': ("), let shapeEnd = header[shapeStart.upperBound...].firstIndex(of: ")") else { return nil }
        let dims = header[shapeStart.upperBound ..< shapeEnd].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard dims.count == 2, dims[0] > 0, dims[1] > 0, dims[0] <= 1 << 14, dims[1] <= 1 << 14 else { return nil }
        let n = dims[0] * dims[1]
        let body = start + headerLength
        let size: Int
        if header.contains("'<f4'") { size = 4 } else if header.contains("'<f8'") { size = 8 }
        else if header.contains("'|u1'") { size = 1 } else { return nil }
        guard bytes.count - body >= n * size else { return nil }
        var values = [Float](repeating: 0, count: n)
        bytes.withUnsafeBytes { raw in
            for i in 0 ..< n {
                let o = body + i * size
                switch size {
                case 4: values[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian)
                case 8: values[i] = Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian))
                default: values[i] = Float(raw[o]) / 255
                }
                if !values[i].isFinite { values[i] = 0 }
            }
        }
        return (dims[0], dims[1], values)
    }
}
