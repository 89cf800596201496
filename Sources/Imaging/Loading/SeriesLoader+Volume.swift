import Parallel
import DICOM
import Dispatch
import Foundation

extension SeriesLoader {
    /// How strict a volume load is.
    public struct Options: Sendable {
        /// Leave out slices that cannot be decoded (each is named in `LoadedVolume.skipped`, and
        /// the hole it leaves is reported like any other gap) instead of failing the series.
        public var skipUnreadable: Bool
        /// With `skipUnreadable`: fewer readable slices than this fail the load.
        public var minimumSlices: Int
        public init(skipUnreadable: Bool = false, minimumSlices: Int = 1) {
            self.skipUnreadable = skipUnreadable; self.minimumSlices = minimumSlices
        }
        /// Every slice must load.
        public static let strict = Options()
        /// What a slice-wise analysis accepts: skip what fails, keep at least three slices.
        public static let tolerant = Options(skipUnreadable: true, minimumSlices: 3)
    }

    /// Builds a `Volume` from the single-frame instances of one series (one file per slice), on
    /// all cores: slices sorted along the normal (`sortedForVolume`), spacing the median step
    /// between them (steps above 1.5× it are gaps), stored values converted to modality units with
    /// each slice's own rescale.
    public static func volume(of instances: [InstanceHeader], options: Options = .strict) throws -> LoadedVolume {
        let images = instances.filter { $0.hasPixelData && $0.rows > 0 }
        guard let first = images.first else { throw Problem.noImages }
        if images.count == 1, first.isNIfTI { return try niftiVolume(first) }
        let (ordered, normal, orderedPositions) = sortedForVolume(images)
        var sorted = ordered, positions = orderedPositions
        guard sorted.allSatisfy({ $0.rows == first.rows && $0.columns == first.columns }) else { throw Problem.mixedSizes }
        let rows = first.rows, columns = first.columns
        let perSlice = rows * columns
        let (total, overflow) = perSlice.multipliedReportingOverflow(by: sorted.count)
        guard !overflow, total <= 1 << 31 else { throw Problem.tooLarge(columns: columns, rows: rows, slices: sorted.count) }

        // Every voxel is written by exactly one slice load below, so skip zero-filling 4 bytes per voxel.
        var voxels = [Float](unsafeUninitializedCapacity: total) { _, count in count = total }
        var errors = [String?](repeating: nil, count: sorted.count)
        voxels.withUnsafeMutableBufferPointer { out in
            errors.withUnsafeMutableBufferPointer { errs in
                nonisolated(unsafe) let (out, errs) = (out, errs)  // each slice writes only its own range
                Parallel.perform(iterations: sorted.count) { z in
                    do {
                        try loadSlice(path: ordered[z].path, into: UnsafeMutableBufferPointer(rebasing: out[z * perSlice ..< (z + 1) * perSlice]))
                    } catch {
                        errs[z] = "\(error)"
                    }
                }
            }
        }
        let skipped = errors.indices.compactMap { z in errors[z].map { SkippedInstance(path: sorted[z].path, reason: $0) } }
        if let firstFailure = skipped.first {
            let readable = sorted.count - skipped.count
            guard options.skipUnreadable, readable >= max(options.minimumSlices, 1) else {
                throw Problem.unreadable(firstFailure, remaining: options.skipUnreadable ? readable : 0)
            }
            // Close up the readable slices in order (each moves down or stays, so none is overwritten early).
            var kept = 0
            for z in sorted.indices where errors[z] == nil {
                if kept != z { voxels.replaceSubrange(kept * perSlice ..< (kept + 1) * perSlice, with: voxels[z * perSlice ..< (z + 1) * perSlice]) }
                kept += 1
            }
            voxels.removeLast((sorted.count - kept) * perSlice)
            let good = sorted.indices.filter { errors[$0] == nil }
            positions = positions.map { p in good.map { p[$0] } }
            sorted = good.map { sorted[$0] }
        }

        // Spacing between slices: the median step between neighbours; steps well above it are gaps.
        var sliceSpacing = first.sliceThickness ?? 1
        var gaps: [Int] = []
        if let positions, let median = medianStep(positions) {
            sliceSpacing = median
            gaps = zip(positions.dropFirst(), positions).enumerated().filter { $0.element.0 - $0.element.1 > 1.5 * median }.map(\.offset)
        }
        let iop = first.imageOrientation.count == 6 ? first.imageOrientation : [1, 0, 0, 0, 1, 0]
        // Without a usable spacing the grid is taken as 1 mm, and the load says so.
        let geometry = PixelGeometry(pixelSpacing: first.pixelSpacing)
        let spacing = [geometry.rowSpacingMM ?? 1, geometry.columnSpacingMM ?? 1]
        let volume = try Volume(columns: columns, rows: rows, slices: sorted.count, voxels: voxels,
                            spacing: (column: spacing[1], row: spacing[0], slice: sliceSpacing),
                            origin: sorted[0].imagePosition.count == 3 ? sorted[0].imagePosition : [0, 0, 0],
                            rowDirection: Array(iop[0 ..< 3]), columnDirection: Array(iop[3 ..< 6]),
                            sliceDirection: normal ?? [0, 0, 1], gapsAfter: gaps,
                            sopInstanceUIDs: sorted.map(\.sopInstanceUID))
        return LoadedVolume(volume: volume, skipped: skipped, positions: positions, pixelSpacingAssumed: !geometry.isKnown)
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
            throw SliceSizeMismatch(description: "slice is \(d.columns)×\(d.rows)×\(d.samplesPerPixel); the volume needs \(out.count) grey pixels")
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
        guard values.count == out.count else {
            throw SliceSizeMismatch(description: "slice decoded to \(values.count) values; the volume needs \(out.count)")
        }
        for i in values.indices { out[i] = values[i] }
    }
}

/// A decoded slice whose size is not the one its header promised.
struct SliceSizeMismatch: Error, CustomStringConvertible {
    let description: String
}
