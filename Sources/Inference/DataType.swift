/// ONNX tensor element types (TensorProto.DataType). Lightbox computes in float32 and keeps
/// every integer type and bool in 64-bit integers (wrapped back to the declared width on
/// output), so only `.float` and the integer/bool types are runnable; the rest load as
/// "unsupported data type" with the element type named.
public enum DataType: Int, Sendable, CustomStringConvertible {
    case undefined = 0, float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7
    case string = 8, bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13
    case complex64 = 14, complex128 = 15, bfloat16 = 16

    /// Raw ONNX element-type code → name, for messages about types we do not model.
    static func name(ofCode code: Int) -> String {
        if let t = DataType(rawValue: code) { return t.description }
        let extra = [17: "FLOAT8E4M3FN", 18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ",
                     21: "UINT4", 22: "INT4", 23: "FLOAT4E2M1", 24: "FLOAT8E8M0", 25: "UINT2", 26: "INT2"]
        return extra[code] ?? "type \(code)"
    }

    public var description: String {
        switch self {
        case .undefined: return "UNDEFINED"
        case .float: return "FLOAT"
        case .uint8: return "UINT8"
        case .int8: return "INT8"
        case .uint16: return "UINT16"
        case .int16: return "INT16"
        case .int32: return "INT32"
        case .int64: return "INT64"
        case .string: return "STRING"
        case .bool: return "BOOL"
        case .float16: return "FLOAT16"
        case .double: return "DOUBLE"
        case .uint32: return "UINT32"
        case .uint64: return "UINT64"
        case .complex64: return "COMPLEX64"
        case .complex128: return "COMPLEX128"
        case .bfloat16: return "BFLOAT16"
        }
    }

    /// Types held in `Tensor.ints`.
    public var isInteger: Bool {
        switch self {
        case .uint8, .int8, .uint16, .int16, .int32, .int64, .uint32, .uint64, .bool: return true
        default: return false
        }
    }

    /// Types this runtime can compute with.
    public var isSupported: Bool { self == .float || isInteger }

    /// Byte width in raw_data.
    var byteWidth: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16, .float16, .bfloat16: return 2
        case .float, .int32, .uint32: return 4
        case .int64, .uint64, .double, .complex64: return 8
        case .complex128: return 16
        case .string, .undefined: return 0
        }
    }

    /// Wraps a 64-bit value to this type's width (C cast semantics).
    @inline(__always) func wrap(_ v: Int64) -> Int64 {
        switch self {
        case .uint8: return Int64(UInt8(truncatingIfNeeded: v))
        case .int8: return Int64(Int8(truncatingIfNeeded: v))
        case .uint16: return Int64(UInt16(truncatingIfNeeded: v))
        case .int16: return Int64(Int16(truncatingIfNeeded: v))
        case .int32: return Int64(Int32(truncatingIfNeeded: v))
        case .uint32: return Int64(UInt32(truncatingIfNeeded: v))
        case .bool: return v != 0 ? 1 : 0
        default: return v
        }
    }
}
