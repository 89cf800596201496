/// Why a NIfTI file cannot be read. Every size or offset a header gives is checked against the
/// file before it is used, so a hostile or damaged file ends here, never in a trap.
public enum NIfTIError: Error, CustomStringConvertible, Equatable {
    /// The first bytes are not a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header in either byte order.
    case notNIfTI(reason: String)
    /// The file ends before the header or the voxel data it promises.
    case truncated(needed: Int, available: Int)
    /// `dim` is out of range, or the voxel count overflows or exceeds `NIfTIHeader.maximumVoxels`.
    case badDimensions(String)
    /// A `datatype` code this reader does not decode (complex, RGB, or unknown).
    case unsupportedDatatype(code: Int)
    /// A header field holds a value the standard does not allow (vox_offset, bitpix, pixdim).
    case badField(name: String, reason: String)
    /// The gzip stream is damaged.
    case gzip(String)

    public var description: String {
        switch self {
        case let .notNIfTI(reason): return "not a NIfTI file: \(reason)"
        case let .truncated(needed, available):
            return "NIfTI file is truncated: needs \(needed) bytes, has \(available)"
        case let .badDimensions(reason): return "NIfTI dim is invalid: \(reason)"
        case let .unsupportedDatatype(code):
            return "NIfTI datatype \(code) is not supported (uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64 are)"
        case let .badField(name, reason): return "NIfTI \(name) is invalid: \(reason)"
        case let .gzip(reason): return "NIfTI gzip stream is damaged: \(reason)"
        }
    }
}
