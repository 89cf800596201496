import DICOM
import Dispatch
import Foundation

/// Builds a `Volume` from the instances of one series: sorts slices along the normal of Image
/// Orientation (Patient), falling back to Instance Number; measures spacing and gaps; converts stored
/// values to modality units with each slice's own rescale.
public enum VolumeLoader {
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sort key of each instance: its position along the slice normal, or its instance number.
    public static func sortedForVolume(_ instances: [InstanceHeader]) -> (sorted: [InstanceHeader], normal: [Double]?, positions: [Double]?) {
        let first = instances.first
        if let iop = first?.imageOrientation, iop.count == 6,
           instances.allSatisfy({ $0.imagePosition.count == 3 }) {
            let n = cross(Array(iop[0 ..< 3]), Array(iop[3 ..< 6]))
            let keyed = instances.map { (h: $0, d: dot(n, $0.imagePosition)) }.sorted { $0.d < $1.d }
            return (keyed.map(\.h), n, keyed.map(\.d))
        }
        return (instances.sorted { ($0.instanceNumber ?? 0, $0.path) < ($1.instanceNumber ?? 0, $1.path) }, nil, nil)
    }

    /// Loads a single-frame series (one file per slice) as a volume, on all cores.
    public static func load(_ instances: [InstanceHeader]) throws -> Volume {
        let images = instances.filter { $0.hasPixelData && $0.rows > 0 }
        guard let first = images.first else { throw Problem(description: "the series has no images") }
        let (sorted, normal, positions) = sortedForVolume(images)
        guard sorted.allSatisfy({ $0.rows == first.rows && $0.columns == first.columns }) else {
            throw Problem(description: "slices differ in size; this series is not one volume")
        }
        let rows = first.rows, columns = first.columns, sliceCount = sorted.count
        let perSlice = rows * columns
        var (total, overflow) = perSlice.multipliedReportingOverflow(by: sliceCount)
        guard !overflow, total <= 1 << 31 else { throw Problem(description: "volume of \(columns)×\(rows)×\(sliceCount) voxels is too large") }

        // Spacing between slices: the median step between neighbours; steps well above it are gaps.
        var sliceSpacing = first.sliceThickness ?? 1
        var gaps: [Int] = []
        if let positions, positions.count > 1 {
            let steps = zip(positions.dropFirst(), positions).map { $0 - $1 }
            let median = steps.sorted()[steps.count / 2]
            if median > 1e-6 {
                sliceSpacing = median
                gaps = steps.enumerated().filter { $0.element > 1.5 * median }.map(\.offset)
            }
        }

        // Every voxel is written by exactly one slice load below, so skip zero-filling 4 bytes per voxel.
        var voxels = [Float](unsafeUninitializedCapacity: total) { _, count in count = total }
        var errors = [String?](repeating: nil, count: sliceCount)
        voxels.withUnsafeMutableBufferPointer { out in
            errors.withUnsafeMutableBufferPointer { errs in
                nonisolated(unsafe) let (out, errs) = (out, errs)  // each slice writes only its own range
                DispatchQueue.concurrentPerform(iterations: sliceCount) { z in
                    do {
                        try loadSlice(path: sorted[z].path, into: UnsafeMutableBufferPointer(rebasing: out[z * perSlice ..< (z + 1) * perSlice]))
                    } catch {
                        errs[z] = "\(error)"
                    }
                }
            }
        }
        if let bad = errors.enumerated().first(where: { $0.element != nil }) {
            throw Problem(description: "slice \(bad.offset) (\(sorted[bad.offset].path)): \(bad.element!)")
        }
        total = 0
        let iop = first.imageOrientation.count == 6 ? first.imageOrientation : [1, 0, 0, 0, 1, 0]
        let spacing = first.pixelSpacing.count == 2 ? first.pixelSpacing : [1, 1]
        return Volume(columns: columns, rows: rows, slices: sliceCount, voxels: voxels,
                      spacing: (column: spacing[1], row: spacing[0], slice: sliceSpacing),
                      origin: sorted[0].imagePosition.count == 3 ? sorted[0].imagePosition : [0, 0, 0],
                      rowDirection: Array(iop[0 ..< 3]), columnDirection: Array(iop[3 ..< 6]),
                      sliceDirection: normal ?? [0, 0, 1], gapsAfter: gaps,
                      sopInstanceUIDs: sorted.map(\.sopInstanceUID))
    }

    /// Reads one slice into `out` as modality values. Native 16-bit little-endian data takes a fast
    /// path straight from the mapped file; everything else goes through `PixelDataReader`.
    static func loadSlice(path: String, into out: UnsafeMutableBufferPointer<Float>) throws {
        // The whole file is needed: one read(2) beats faulting in a mapping page by page.
        let file = try DICOMFile.read(URL(fileURLWithPath: path), options: .init(memoryMapped: false))
        let ds = file.dataSet
        let reader = try PixelDataReader(file)
        let d = reader.description
        guard d.rows * d.columns == out.count, d.samplesPerPixel == 1 else {
            throw Problem(description: "slice is \(d.columns)×\(d.rows)×\(d.samplesPerPixel); the volume needs \(out.count) grey pixels")
        }
        let modality = ModalityTransform(ds)
        if case let .rescale(slope, intercept) = modality, d.bitsAllocated == 16, ds.byteOrder == .little,
           let range = ds[.pixelData]?.byteRange, range.count >= out.count * 2 {
            let s = Float(slope), b = Float(intercept)
            let shift = Int16(16 - d.bitsStored)
            let aligned = ds.buffer.withBytes(range) { raw -> Bool in
                guard let base = raw.baseAddress, Int(bitPattern: base) % 2 == 0 else { return false }
                // Typed, aligned loops: the compiler vectorises these (8 samples per instruction).
                let n = out.count
                guard let dst = out.baseAddress else { return true }
                if d.isSigned {
                    let src = base.assumingMemoryBound(to: Int16.self)
                    if shift == 0 {
                        for i in 0 ..< n { dst[i] = Float(src[i]) * s + b }
                    } else {
                        for i in 0 ..< n { dst[i] = Float((src[i] << shift) >> shift) * s + b }
                    }
                } else {
                    let src = base.assumingMemoryBound(to: UInt16.self)
                    let mask = UInt16(truncatingIfNeeded: (1 << d.bitsStored) - 1)
                    for i in 0 ..< n { dst[i] = Float(src[i] & mask) * s + b }
                }
                return true
            }
            if aligned { return }
        }
        var values = try reader.frame(0).floatValues()
        modality.apply(&values)
        _ = values.withUnsafeBufferPointer { memcpy(out.baseAddress!, $0.baseAddress!, out.count * 4) }
    }

    static func cross(_ a: [Double], _ b: [Double]) -> [Double] {
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    }
    static func dot(_ a: [Double], _ b: [Double]) -> Double { a[0] * b[0] + a[1] * b[1] + a[2] * b[2] }
}
