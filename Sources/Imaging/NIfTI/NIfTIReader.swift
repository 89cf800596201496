import Foundation

/// Reads `.nii` and `.nii.gz` files (NIfTI-1 and NIfTI-2, either byte order) into a `Volume` in
/// DICOM patient space, the type the DICOM series loader produces, so reformatting, geometry,
/// corner annotations and reference lines work on it unchanged.
///
/// Only the first 3-D volume of a 4-D (or higher) file is read; `NIfTIImage.warnings` says so.
/// Voxel values are `scl_slope · stored + scl_inter` when the slope is non-zero.
public enum NIfTIReader {
    /// Whether a file name is one this reader takes (`.nii`, `.nii.gz`, any case).
    public static func handles(path: String) -> Bool {
        let name = path.lowercased()
        return name.hasSuffix(".nii") || name.hasSuffix(".nii.gz")
    }

    /// The header alone: the first 540 bytes of the file (inflated, for gzip).
    public static func readHeader(path: String) throws -> NIfTIHeader {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { try? handle.close() }
        // 64 KiB of deflate data holds far more than 540 inflated bytes, whatever the level.
        let head = [UInt8](try handle.read(upToCount: 1 << 16) ?? Data())
        let bytes = Gunzip.isGzip(head) ? try Gunzip.inflate(head, limit: NIfTIHeader.version2Size) : head
        return try NIfTIHeader(bytes)
    }

    /// The header and first volume of the file at `path`; `sliceUID` labels every slice of the volume.
    public static func read(path: String, sliceUID: String = "") throws -> NIfTIImage {
        let raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return try decode(raw, sliceUID: sliceUID)
    }

    /// The header and first volume of a file's bytes (gzip or not).
    public static func decode(_ raw: [UInt8], sliceUID: String = "") throws(NIfTIError) -> NIfTIImage {
        var bytes = raw
        if Gunzip.isGzip(raw) { bytes = try Gunzip.inflate(raw, limit: NIfTIHeader.version2Size) }
        let header = try NIfTIHeader(bytes)
        let (needed, overflow) = header.voxOffset.addingReportingOverflow(header.volumeBytes)
        guard !overflow else { throw .badDimensions("the data size overflows") }
        if Gunzip.isGzip(raw) { bytes = try Gunzip.inflate(raw, limit: needed) }
        guard bytes.count >= needed else { throw .truncated(needed: needed, available: bytes.count) }
        let geometry = try NIfTIGeometry(header: header)
        var values: [Float] = []
        bytes.withUnsafeBytes { all in
            let data = UnsafeRawBufferPointer(rebasing: all[header.voxOffset ..< needed])
            header.datatype.decode(data, count: header.voxelsPerVolume, bigEndian: header.bigEndian, into: &values)
        }
        if let s = header.scaling {
            for i in values.indices { values[i] = values[i] * s.slope + s.intercept }
        }
        values = reordered(values, dims: header.dims, flips: (geometry.flipColumns, geometry.flipRows, geometry.flipSlices))
        var warnings: [String] = []
        if header.volumeCount > 1 { warnings.append("the file holds \(header.volumeCount) volumes; only the first is shown") }
        let volume: Volume
        do {
            volume = try Volume(columns: header.dims[0], rows: header.dims[1], slices: header.dims[2], voxels: values,
                                spacing: geometry.spacing, origin: geometry.origin, rowDirection: geometry.rowDirection,
                                columnDirection: geometry.columnDirection, sliceDirection: geometry.sliceDirection,
                                sopInstanceUIDs: [String](repeating: sliceUID, count: header.dims[2]))
        } catch {
            throw .badDimensions("\(error)")
        }
        return NIfTIImage(header: header, geometry: geometry, volume: volume, warnings: warnings)
    }

    /// `values` (i fastest, then j, then k: already `Volume`'s column, row, slice order) with i,
    /// j and/or k reversed.
    static func reordered(_ values: [Float], dims: [Int], flips: (columns: Bool, rows: Bool, slices: Bool)) -> [Float] {
        let (flipColumns, flipRows, flipSlices) = flips
        guard flipColumns || flipRows || flipSlices else { return values }
        let (nx, ny, nz) = (dims[0], dims[1], dims[2])
        var out = [Float](repeating: 0, count: values.count)
        for k in 0 ..< nz {
            for j in 0 ..< ny {
                let src = (k * ny + j) * nx
                let dst = ((flipSlices ? nz - 1 - k : k) * ny + (flipRows ? ny - 1 - j : j)) * nx
                if flipColumns {
                    for i in 0 ..< nx { out[dst + nx - 1 - i] = values[src + i] }
                } else {
                    for i in 0 ..< nx { out[dst + i] = values[src + i] }
                }
            }
        }
        return out
    }
}

/// A NIfTI file as read: its header, the geometry chosen from it, and its first volume.
public struct NIfTIImage: Sendable {
    public var header: NIfTIHeader
    public var geometry: NIfTIGeometry
    /// In reading order (see `NIfTIGeometry`), LPS, values scaled. Every slice carries the `sliceUID` given to `read`.
    public var volume: Volume
    public var warnings: [String]
}
