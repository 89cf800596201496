import Dispatch
import Foundation
import Synchronization

/// A convolution of one image split into bands of output rows, each an ordinary single-thread
/// oneDNN primitive on a slice of the buffers, which the inference threads claim one at a time
/// (`ChunkTeam`).
///
/// Why: oneDNN's OpenMP threading splits a layer evenly between the threads up front, so the layer
/// ends when the slowest thread has done its half. At 2 threads on the 2-core benchmark VM that
/// made the U-Nets' layers wait for a second core the host had not yet given back (a model run
/// after 100 ms idle took 4 or 16 ms, bimodally), and with another process busy on one core, the
/// head CT model took 3.3× onnxruntime's time. Bands claimed from a counter never wait for a thread
/// that has not started. In NHWC with one image the rows of a band are contiguous in both the
/// source and the destination, so each band is a dense convolution with its own top and bottom
/// padding (`Band`). The result is the same convolution, computed in the same order per output
/// element. Bands of the same geometry share one primitive, and all of them share one reordered
/// copy of the weights when oneDNN picks the same layout for each.
final class DNNLBandedConvolution: DNNLConvolutionRunning, @unchecked Sendable {
    /// One band: output rows `rows`, read from input rows starting at `sourceRow`.
    struct Band {
        var rows: Range<Int>
        var sourceRow: Int
        var sourceRows: Int
        var padTop: Int
        var padBottom: Int

        /// The input rows output rows `rows` need, for a window of `extent` rows (dilated kernel)
        /// at `stride` with `padTop` rows of padding above row 0 of an input `height` rows tall.
        /// Nil when the band would need a negative padding (a cropping pad).
        init?(rows: Range<Int>, stride: Int, extent: Int, padTop: Int, height: Int) {
            let start = rows.lowerBound * stride - padTop
            let end = (rows.upperBound - 1) * stride - padTop + extent
            let lo = max(0, start), hi = min(height, end)
            guard hi > lo, lo - start >= 0, end - hi >= 0 else { return nil }
            self.rows = rows; sourceRow = lo; sourceRows = hi - lo; self.padTop = lo - start; padBottom = end - hi
        }
    }

    /// `@unchecked Sendable`: the primitives are immutable after init and oneDNN documents them
    /// as safe to run from several threads; each run brings its own memory objects.
    private let bands: [(band: Band, primitive: DNNLConvolution)]
    private let sourceRowFloats: Int
    private let destinationRowFloats: Int
    let implementation: String
    let threads: Int

    /// How many banded convolutions this process has made (diagnostics and tests).
    static var madeCount: Int { made.load(ordering: .relaxed) }
    private static let made = Atomic<Int>(0)

    /// Work (multiply-adds) from which a convolution of one image is split into bands
    /// (`LIGHTBOX_DNNL_BAND_WORK`). Below it, a layer runs on one thread: claiming bands costs
    /// a few microseconds, waking a helper more. 2²⁰ did as well as or better than 2¹⁸ on the
    /// shipped U-Nets (docs/INFERENCE_BACKENDS.md §7).
    static let minimumWork: Int = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_BAND_WORK"], let n = Int(v), n >= 0 { return n }
        return 1 << 20
    }()

    /// Bands per inference thread (`LIGHTBOX_DNNL_BANDS_PER_THREAD`, default 2): more bands lose
    /// less to a late helper, fewer keep each band's kernel efficient.
    static let bandsPerThread: Int = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_BANDS_PER_THREAD"], let n = Int(v), n >= 1 { return n }
        return 2
    }()

    /// Output rows a band should have before a layer gets more than one band per thread
    /// (`LIGHTBOX_DNNL_BAND_ROWS`, default 8). A band of one or two rows of a 7×7 or 14×14 layer
    /// (the last stages of ResNets and EfficientNets) runs oneDNN's kernel at a fraction of its
    /// speed: MONAI EfficientNet-B0 went from 1.40× to 1.17× onnxruntime's time with 2 bands
    /// instead of 4 on every layer.
    static let minimumRows: Int = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_BAND_ROWS"], let n = Int(v), n >= 1 { return n }
        return 8
    }()

    /// Nil when the layer does not split (fewer than 2 rows per band, batch > 1, a band needing a
    /// cropping pad), so the caller makes an ordinary primitive.
    init?(src: [Int], dst: [Int], weightDims: [Int], weightLayout: DNNL.WeightLayout, weightData: UnsafePointer<Float>,
          bias: UnsafePointer<Float>?, window: DNNLWindow, kernelHeight: Int, postOps: DNNL.PostOps, accumulate: Bool,
          threads: Int) throws {
        guard threads >= 2, src.count == 4, dst.count == 4, src[0] == 1, dst[0] == 1, window.strides.count == 2,
              window.dilations.count == 2, window.padsBegin.count == 2, window.padsEnd.count == 2 else { return nil }
        let outRows = dst[2]
        let perThread = Swift.max(1, Swift.min(Self.bandsPerThread, outRows / (threads * Self.minimumRows)))
        let count = Swift.min(threads * perThread, outRows / 2)
        guard count >= 2 else { return nil }
        let extent = (kernelHeight - 1) * window.dilations[0] + 1
        var planned: [Band] = []
        for k in 0 ..< count {
            let rows = (k * outRows / count) ..< ((k + 1) * outRows / count)
            guard let band = Band(rows: rows, stride: window.strides[0], extent: extent, padTop: window.padsBegin[0], height: src[2])
            else { return nil }
            planned.append(band)
        }
        struct Geometry: Hashable { var rows, sourceRows, padTop, padBottom: Int }
        var byGeometry: [Geometry: DNNLConvolution] = [:]
        var made: [(Band, DNNLConvolution)] = []
        for band in planned {
            let key = Geometry(rows: band.rows.count, sourceRows: band.sourceRows, padTop: band.padTop, padBottom: band.padBottom)
            if let primitive = byGeometry[key] {
                made.append((band, primitive))
                continue
            }
            var w = window
            w.padsBegin[0] = band.padTop
            w.padsEnd[0] = band.padBottom
            let primitive = try DNNLConvolution(transposed: false, src: [1, src[1], band.sourceRows, src[3]],
                                                dst: [1, dst[1], band.rows.count, dst[3]], weightDims: weightDims,
                                                weightLayout: weightLayout, weightData: weightData, bias: bias, window: w,
                                                postOps: postOps, accumulate: accumulate, threads: 1, sharing: made.first?.1)
            byGeometry[key] = primitive
            made.append((band, primitive))
        }
        bands = made
        self.threads = threads
        sourceRowFloats = src[1] * src[3]
        destinationRowFloats = dst[1] * dst[3]
        implementation = "\(count) bands × " + made[0].1.implementation
        Self.made.add(1, ordering: .relaxed)
    }

    func run(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws {
        // The bands write disjoint rows of `dst` and only read `src`; `forEach` returns after all.
        // A budget of one thread (two model instances side by side) runs the bands in turn.
        nonisolated(unsafe) let (src, dst) = (src, dst)
        try ChunkTeam.forEach(chunks: bands.count, threads: Swift.min(threads, DNNL.budgetThreads)) { k in
            let (band, primitive) = bands[k]
            try primitive.run(src: src + band.sourceRow * sourceRowFloats, dst: dst + band.rows.lowerBound * destinationRowFloats)
        }
    }
}

/// What the NHWC convolution kernel runs: one oneDNN primitive, or bands of one.
protocol DNNLConvolutionRunning: Sendable {
    var implementation: String { get }
    var threads: Int { get }
    func run(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws
}

extension DNNLConvolution: DNNLConvolutionRunning {}
