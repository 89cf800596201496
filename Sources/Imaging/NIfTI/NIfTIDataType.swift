/// The voxel types of NIfTI's `datatype` field (nifti1.h `DT_*`) that hold one real number per
/// voxel. Complex and RGB types are refused with `NIfTIError.unsupportedDatatype`.
public enum NIfTIDataType: Int, Sendable, CaseIterable {
    case uint8 = 2, int16 = 4, int32 = 8, float32 = 16, float64 = 64
    case int8 = 256, uint16 = 512, uint32 = 768, int64 = 1024, uint64 = 1280

    /// Bytes per voxel.
    public var size: Int {
        switch self {
        case .uint8, .int8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// Decodes `count` voxels from `bytes` (which must hold `count × size` bytes, checked by the
    /// caller) to Float, swapping bytes when the file is big-endian. 64-bit integers beyond 2²⁴
    /// lose precision as Float does.
    func decode(_ bytes: UnsafeRawBufferPointer, count: Int, bigEndian: Bool, into out: inout [Float]) {
        out.reserveCapacity(count)
        func each<T: FixedWidthInteger>(_: T.Type, _ convert: (T) -> Float) {
            for i in 0 ..< count {
                let raw = bytes.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
                out.append(convert(bigEndian ? T(bigEndian: raw) : T(littleEndian: raw)))
            }
        }
        switch self {
        case .uint8: each(UInt8.self) { Float($0) }
        case .int8: each(Int8.self) { Float($0) }
        case .int16: each(Int16.self) { Float($0) }
        case .uint16: each(UInt16.self) { Float($0) }
        case .int32: each(Int32.self) { Float($0) }
        case .uint32: each(UInt32.self) { Float($0) }
        case .int64: each(Int64.self) { Float($0) }
        case .uint64: each(UInt64.self) { Float($0) }
        case .float32: each(UInt32.self) { Float(bitPattern: $0) }
        case .float64: each(UInt64.self) { Float(Double(bitPattern: $0)) }
        }
    }
}
