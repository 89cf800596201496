import Dispatch
import Foundation

/// Thick-slab projections (MIP, MinIP, AvgIP) of an `AxialStack`, laid out like `plane(_:_:)`
/// (coronal and sagittal: superior at the top). Which planes a slab takes is `SlabRule`'s.
///
/// Cost: one pass over the samples the slab covers — O(k × width × height) axially for k slices,
/// O(slices × k × width) coronally, O(slices × height × k) sagittally — with the inner loops over
/// contiguous memory so the compiler vectorises them, spread over the cores. Measured by
/// `Benchmarks/slabs.sh` (docs/WORKSTATION.md has the figures).
extension AxialStack {
    /// The planes of `orientation` a slab of `thickness` mm centred on plane `index` takes.
    public func slabRange(_ orientation: PlaneOrientation, _ index: Int, thickness: Double) throws -> ClosedRange<Int> {
        guard thickness.isFinite, thickness >= 0 else { throw SlabError.invalidThickness(thickness) }
        let k = min(max(0, index), planeCount(orientation) - 1)
        switch orientation {
        case .axial:
            guard slices.count > 1 else { throw SlabError.singleImage }
            if let p = slicePositions { return SlabRule.sliceRange(positions: p, centre: k, thickness: thickness) }
            guard let s = sliceSpacing, s > 0, s.isFinite else { throw SlabError.unknownSpacing(.axial) }
            return SlabRule.sliceRange(positions: (0 ..< slices.count).map { Double($0) * s }, centre: k, thickness: thickness)
        case .coronal, .sagittal:
            guard slices.count > 1 else { throw SlabError.singleImage }
            guard let s = orientation == .coronal ? rowSpacing : columnSpacing, s > 0, s.isFinite else {
                throw SlabError.unknownSpacing(orientation)
            }
            return SlabRule.indexRange(count: planeCount(orientation), centre: k, spacing: s, thickness: thickness)
        }
    }

    /// The `projection` of the slab of `thickness` mm centred on plane `index` of `orientation`.
    /// Throws `SlabError` for a negative or non-finite thickness, a single-image series, or a
    /// direction without spacing.
    public func slab(_ orientation: PlaneOrientation, _ index: Int, thickness: Double,
                     projection: SlabProjection) throws -> ReformattedPlane {
        let range = try slabRange(orientation, index, thickness: thickness)
        var plane = self.plane(orientation, range.lowerBound)
        guard range.count > 1 else { return plane }
        let w = width, h = height, n = slices.count
        plane.values.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out   // each iteration below writes only its own rows of `out`
            switch orientation {
            case .axial:
                // Chunks of the slice, so each core combines its own part of every member slice.
                let chunks = Self.chunks(w * h)
                DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                    let part = chunks[k]
                    for z in range.dropFirst() {
                        slices[z].withUnsafeBufferPointer {
                            Self.combine(into: out.baseAddress! + part.lowerBound, from: $0.baseAddress! + part.lowerBound, count: part.count, projection)
                        }
                    }
                }
            case .coronal:
                // Output row n-1-z is image rows `range` of slice z, combined: one slice per iteration.
                DispatchQueue.concurrentPerform(iterations: n) { z in
                    let dst = out.baseAddress! + (n - 1 - z) * w
                    slices[z].withUnsafeBufferPointer { src in
                        for r in range.dropFirst() { Self.combine(into: dst, from: src.baseAddress! + r * w, count: w, projection) }
                    }
                }
            case .sagittal:
                // Output pixel (n-1-z, y) combines columns `range` of row y of slice z. Each row is a
                // separate cache line (a strided walk through the volume), so slices run in parallel.
                let lo = range.lowerBound, hi = range.upperBound
                DispatchQueue.concurrentPerform(iterations: n) { z in
                    let dst = out.baseAddress! + (n - 1 - z) * h
                    slices[z].withUnsafeBufferPointer { src in
                        Self.reduceRuns(into: dst, from: src.baseAddress!, rows: h, stride: w, columns: lo ... hi, projection)
                    }
                }
            }
            if projection == .avg {
                let scale = 1 / Float(range.count)
                for i in 0 ..< out.count { out[i] *= scale }
            }
        }
        return plane
    }

    /// About one chunk of ≥ 64 K samples per core (two per core for balance).
    static func chunks(_ count: Int) -> [Range<Int>] {
        let parts = Swift.max(1, Swift.min(2 * ProcessInfo.processInfo.activeProcessorCount, count / 65_536))
        let size = (count + parts - 1) / parts
        return stride(from: 0, to: count, by: size).map { $0 ..< Swift.min(count, $0 + size) }
    }

    /// `dst[i] = combine(dst[i], src[i])` for `count` samples; one loop per projection so each
    /// vectorises. (Average sums here and divides once at the end.)
    @inline(__always)
    static func combine(into dst: UnsafeMutablePointer<Float>, from src: UnsafePointer<Float>, count: Int, _ p: SlabProjection) {
        switch p {
        case .mip: for i in 0 ..< count { dst[i] = Swift.max(dst[i], src[i]) }
        case .minip: for i in 0 ..< count { dst[i] = Swift.min(dst[i], src[i]) }
        case .avg: for i in 0 ..< count { dst[i] += src[i] }
        }
    }

    /// `dst[y]` = the projection of columns `columns` of row `y` (rows `stride` apart). A run is
    /// contiguous, so it is reduced eight samples at a time (SIMD) and then across the lanes; one
    /// loop per projection, the switch outside (closures here cost a call per sample).
    static func reduceRuns(into dst: UnsafeMutablePointer<Float>, from src: UnsafePointer<Float>, rows: Int, stride: Int,
                           columns: ClosedRange<Int>, _ p: SlabProjection) {
        let lo = columns.lowerBound, count = columns.count, wide = count / 8 * 8
        for y in 0 ..< rows {
            let run = src + y * stride + lo
            let raw = UnsafeRawPointer(run)
            var i = wide
            switch p {
            case .mip:
                var r = run[0]
                if wide > 0 {
                    var acc = raw.loadUnaligned(as: SIMD8<Float>.self)
                    var k = 8
                    while k < wide {
                        let v = raw.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
                        acc.replace(with: v, where: v .> acc)   // a compare and a blend; pointwiseMax is not vectorised
                        k += 8
                    }
                    r = acc.max()
                } else { i = 1 }
                while i < count { r = Swift.max(r, run[i]); i += 1 }
                dst[y] = r
            case .minip:
                var r = run[0]
                if wide > 0 {
                    var acc = raw.loadUnaligned(as: SIMD8<Float>.self)
                    var k = 8
                    while k < wide {
                        let v = raw.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
                        acc.replace(with: v, where: v .< acc)
                        k += 8
                    }
                    r = acc.min()
                } else { i = 1 }
                while i < count { r = Swift.min(r, run[i]); i += 1 }
                dst[y] = r
            case .avg:
                var acc = SIMD8<Float>()
                var k = 0
                while k < wide { acc += raw.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self); k += 8 }
                var r = acc.sum()
                while i < count { r += run[i]; i += 1 }
                dst[y] = r
            }
        }
    }
}
