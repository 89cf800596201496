import Foundation
import Inference

/// Reads the small NumPy `.npy` arrays a findings file may point at (heatmaps) through
/// `Inference.NPY`: 2-D float32, float64 or uint8 (scaled to 0…1). Anything else, or an array
/// larger than 16384 on a side, is refused with nil; non-finite values become 0.
enum NPYReader {
    static func read2D(_ data: Data) -> (rows: Int, columns: Int, values: [Float])? {
        guard let t = try? NPY.read([UInt8](data)), t.shape.count == 2,
              (1 ... 1 << 14).contains(t.shape[0]), (1 ... 1 << 14).contains(t.shape[1]) else { return nil }
        let values: [Float]
        switch t.dataType {
        case .float: values = t.floats
        case .uint8: values = t.ints.map { Float($0) / 255 }
        default: return nil
        }
        return (t.shape[0], t.shape[1], values.map { $0.isFinite ? $0 : 0 })
    }
}
