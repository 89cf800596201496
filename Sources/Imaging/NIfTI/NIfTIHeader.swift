import Foundation

/// The fields of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header that a viewer needs, read in
/// the file's own byte order (found from `sizeof_hdr`). NIfTI-2 is the same header with 64-bit
/// dims, offsets and doubles; both land in these Swift types.
///
/// Parsing checks only what the header says about itself (dims, datatype, bitpix, vox_offset);
/// `NIfTIReader` checks it against the bytes that follow.
public struct NIfTIHeader: Sendable, Equatable {
    /// 1 or 2.
    public var version: Int
    public var bigEndian: Bool
    /// `dim[1…7]`, with dims past `dim[0]` taken as 1.
    public var dims: [Int]
    public var datatype: NIfTIDataType
    /// `pixdim[0…7]`; `pixdim[0]` is qfac (the sign of the qform's third axis).
    public var pixdim: [Double]
    public var voxOffset: Int
    public var sclSlope: Double
    public var sclInter: Double
    public var calMin: Double
    public var calMax: Double
    public var intentCode: Int
    public var qformCode: Int
    public var sformCode: Int
    /// quatern_b, quatern_c, quatern_d.
    public var quaternion: [Double]
    /// qoffset_x, qoffset_y, qoffset_z (mm, RAS+).
    public var qoffset: [Double]
    /// srow_x, srow_y, srow_z: the first three rows of the sform affine (RAS+).
    public var srow: [[Double]]
    public var descrip: String

    /// NIfTI-1 header size; NIfTI-2 is `version2Size`.
    public static let version1Size = 348
    public static let version2Size = 540
    /// A volume of more voxels than this is refused (8 GiB of Float): the viewer keeps it in memory.
    public static let maximumVoxels = 1 << 31

    /// Voxels in one 3-D volume (dims 1–3; later dims are time points, of which the first is read).
    public var voxelsPerVolume: Int { dims[0] * dims[1] * dims[2] }
    /// Bytes of the first 3-D volume's voxels.
    public var volumeBytes: Int { voxelsPerVolume * datatype.size }
    /// 3-D volumes in the file (the product of dims 4–7).
    public var volumeCount: Int { dims[3...].reduce(1, *) }
    /// The scaling to apply: none when `scl_slope` is 0 or not finite (the standard's rule).
    public var scaling: (slope: Float, intercept: Float)? {
        guard sclSlope != 0, sclSlope.isFinite, sclInter.isFinite, sclSlope != 1 || sclInter != 0 else { return nil }
        return (Float(sclSlope), Float(sclInter))
    }

    /// Parses the header at the start of `bytes`.
    /// - Throws: `NIfTIError` for a short buffer, an unknown `sizeof_hdr` or magic, bad dims, an
    ///   unsupported datatype, or a vox_offset inside the header.
    public init(_ bytes: [UInt8]) throws(NIfTIError) {
        guard bytes.count >= 4 else { throw .truncated(needed: Self.version1Size, available: bytes.count) }
        let le = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        switch (le, le.byteSwapped) {
        case (348, _): version = 1; bigEndian = false
        case (540, _): version = 2; bigEndian = false
        case (_, 348): version = 1; bigEndian = true
        case (_, 540): version = 2; bigEndian = true
        default: throw .notNIfTI(reason: "sizeof_hdr is \(le), not 348 or 540")
        }
        let size = version == 1 ? Self.version1Size : Self.version2Size
        guard bytes.count >= size else { throw .truncated(needed: size, available: bytes.count) }
        let r = FieldReader(bytes: bytes, bigEndian: bigEndian)
        if version == 1 {
            let magic = r.string(344, 4)
            guard magic == "n+1" || magic == "ni1" else { throw .notNIfTI(reason: "magic is \(magic.debugDescription), not n+1") }
            guard magic == "n+1" else { throw .notNIfTI(reason: "a .hdr/.img pair (magic ni1) is not supported; convert it to one .nii") }
            let dim = (0 ..< 8).map { Int(r.int16(40 + 2 * $0)) }
            dims = try Self.validatedDims(dim)
            datatype = try Self.datatype(Int(r.int16(70)), bitpix: Int(r.int16(72)))
            pixdim = (0 ..< 8).map { Double(r.float32(76 + 4 * $0)) }
            let offset = Double(r.float32(108))
            guard offset.isFinite, offset >= 0, offset < Double(Int32.max) else {
                throw .badField(name: "vox_offset", reason: "\(offset)")
            }
            voxOffset = Int(offset)
            sclSlope = Double(r.float32(112)); sclInter = Double(r.float32(116))
            calMax = Double(r.float32(124)); calMin = Double(r.float32(128))
            intentCode = Int(r.int16(68))
            qformCode = Int(r.int16(252)); sformCode = Int(r.int16(254))
            quaternion = (0 ..< 3).map { Double(r.float32(256 + 4 * $0)) }
            qoffset = (0 ..< 3).map { Double(r.float32(268 + 4 * $0)) }
            srow = (0 ..< 3).map { row in (0 ..< 4).map { Double(r.float32(280 + 16 * row + 4 * $0)) } }
            descrip = r.string(148, 80)
        } else {
            let magic = Array(bytes[4 ..< 12])
            guard magic == [0x6E, 0x2B, 0x32, 0, 0x0D, 0x0A, 0x1A, 0x0A] else {
                throw .notNIfTI(reason: "NIfTI-2 magic is not n+2 (a .hdr/.img pair is not supported)")
            }
            var dim: [Int] = []
            for k in 0 ..< 8 {
                let v = r.int64(16 + 8 * k)
                guard v >= Int64(Int32.min), v <= Int64(Int32.max) else { throw .badDimensions("dim[\(k)] = \(v)") }
                dim.append(Int(v))
            }
            dims = try Self.validatedDims(dim)
            datatype = try Self.datatype(Int(r.int16(12)), bitpix: Int(r.int16(14)))
            pixdim = (0 ..< 8).map { r.float64(104 + 8 * $0) }
            let offset = r.int64(168)
            guard offset >= 0, offset < Int64(Int32.max) else { throw .badField(name: "vox_offset", reason: "\(offset)") }
            voxOffset = Int(offset)
            sclSlope = r.float64(176); sclInter = r.float64(184)
            calMax = r.float64(192); calMin = r.float64(200)
            intentCode = Int(r.int32(504))
            qformCode = Int(r.int32(344)); sformCode = Int(r.int32(348))
            quaternion = (0 ..< 3).map { r.float64(352 + 8 * $0) }
            qoffset = (0 ..< 3).map { r.float64(376 + 8 * $0) }
            srow = (0 ..< 3).map { row in (0 ..< 4).map { r.float64(400 + 32 * row + 8 * $0) } }
            descrip = r.string(240, 80)
        }
        // A single-file NIfTI's data starts after the header (and its 4-byte extension flag).
        guard voxOffset >= size else {
            throw .badField(name: "vox_offset", reason: "\(voxOffset) lies inside the \(size)-byte header")
        }
    }

    /// `dim[1…7]` from `dim[0…7]`: dim[0] in 1…7, each used dim ≥ 1, the voxel count of a 3-D
    /// volume at most `maximumVoxels` and of the whole file without overflow.
    static func validatedDims(_ dim: [Int]) throws(NIfTIError) -> [Int] {
        let n = dim[0]
        guard (1 ... 7).contains(n) else { throw .badDimensions("dim[0] = \(n), not 1…7") }
        var out = [Int](repeating: 1, count: 7)
        for k in 1 ... n {
            guard dim[k] >= 1 else { throw .badDimensions("dim[\(k)] = \(dim[k])") }
            out[k - 1] = dim[k]
        }
        var total = 1
        for (k, d) in out.enumerated() {
            let (p, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow else { throw .badDimensions("the voxel count overflows") }
            total = p
            if k == 2, total > maximumVoxels {
                throw .badDimensions("\(out[0])×\(out[1])×\(out[2]) voxels exceed the limit of \(maximumVoxels)")
            }
        }
        return out
    }

    static func datatype(_ code: Int, bitpix: Int) throws(NIfTIError) -> NIfTIDataType {
        guard let t = NIfTIDataType(rawValue: code) else { throw .unsupportedDatatype(code: code) }
        guard bitpix == 8 * t.size else { throw .badField(name: "bitpix", reason: "\(bitpix) for datatype \(code) (\(8 * t.size) expected)") }
        return t
    }
}

/// Fixed-offset reads from a header already checked to be long enough.
private struct FieldReader {
    let bytes: [UInt8]
    let bigEndian: Bool

    func uint<T: FixedWidthInteger & UnsignedInteger>(_ offset: Int, _: T.Type) -> T {
        var v: T = 0
        for k in 0 ..< MemoryLayout<T>.size {
            let b = T(bytes[offset + (bigEndian ? k : MemoryLayout<T>.size - 1 - k)])
            v = v << 8 | b
        }
        return v
    }
    func int16(_ o: Int) -> Int16 { Int16(bitPattern: uint(o, UInt16.self)) }
    func int32(_ o: Int) -> Int32 { Int32(bitPattern: uint(o, UInt32.self)) }
    func int64(_ o: Int) -> Int64 { Int64(bitPattern: uint(o, UInt64.self)) }
    func float32(_ o: Int) -> Float { Float(bitPattern: uint(o, UInt32.self)) }
    func float64(_ o: Int) -> Double { Double(bitPattern: uint(o, UInt64.self)) }
    /// A NUL-terminated (or full-width) ASCII field.
    func string(_ o: Int, _ length: Int) -> String {
        let field = bytes[o ..< o + length].prefix { $0 != 0 }
        return String(decoding: field, as: UTF8.self)
    }
}
