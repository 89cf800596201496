import Dispatch
import Foundation
import Synchronization

/// A convolution too small for oneDNN's own threading (under `DNNL.parallelWorkThreshold`) split
/// into two bands of output rows, each a single-thread oneDNN primitive, run side by side.
///
/// Why: below the threshold oneDNN runs a primitive inline on one thread, because an OpenMP
/// fork/join per layer cost more than it saved on this 2-core machine; so a U-Net of many small
/// layers left the second core idle and ran 1.2–1.3× slower than onnxruntime at 2 threads while
/// beating it at 1. Two bands need no OpenMP region: the calling thread runs one band and
/// `PairedWorker` the other. In NHWC with one image the rows of a band are contiguous in both the
/// source and the destination, so each band is an ordinary dense convolution on a slice of the
/// buffers, with its own top and bottom padding (`Band`). The result is the same convolution,
/// computed in the same order per output element.
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

    /// `@unchecked Sendable`: the two primitives are immutable after init and oneDNN documents them
    /// as safe to run from several threads; each run brings its own memory objects.
    private let bands: [(band: Band, primitive: DNNLConvolution)]
    private let sourceRowFloats: Int
    private let destinationRowFloats: Int
    let implementation: String
    let threads = 2

    /// How many banded convolutions this process has made (diagnostics and tests).
    static var madeCount: Int { made.load(ordering: .relaxed) }
    private static let made = Atomic<Int>(0)

    /// Work (multiply-adds) from which a single-thread convolution is split into bands
    /// (`LIGHTBOX_DNNL_BAND_WORK`, e.g. 2097152). Off by default: on this shared 2-core machine,
    /// interleaved with onnxruntime at load 1, bands helped the head CT model (1.23 → 1.02× ORT)
    /// and hurt the 256² U-Nets (1.25–1.34 → 1.36–1.46×), because the second core was half taken.
    /// A quiet run (load < 0.6) confirmed it: 1.43–3.23× with bands against 1.24–1.43× without
    /// (docs/INFERENCE_BACKENDS.md §6).
    static let minimumWork: Int = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_BAND_WORK"], let n = Int(v), n >= 0 { return n }
        return Int.max
    }()

    /// Nil when the layer does not split (one output row, batch > 1, a band needing a cropping pad),
    /// so the caller makes an ordinary primitive.
    init?(src: [Int], dst: [Int], weightDims: [Int], weightLayout: DNNL.WeightLayout, weightData: UnsafePointer<Float>,
          bias: UnsafePointer<Float>?, window: DNNLWindow, kernelHeight: Int, postOps: DNNL.PostOps, accumulate: Bool) throws {
        guard src.count == 4, dst.count == 4, src[0] == 1, dst[0] == 1, dst[2] >= 4, window.strides.count == 2,
              window.dilations.count == 2, window.padsBegin.count == 2, window.padsEnd.count == 2 else { return nil }
        let outRows = dst[2], split = outRows / 2
        let extent = (kernelHeight - 1) * window.dilations[0] + 1
        guard let top = Band(rows: 0 ..< split, stride: window.strides[0], extent: extent, padTop: window.padsBegin[0], height: src[2]),
              let bottom = Band(rows: split ..< outRows, stride: window.strides[0], extent: extent, padTop: window.padsBegin[0], height: src[2])
        else { return nil }
        var made: [(Band, DNNLConvolution)] = []
        for band in [top, bottom] {
            var w = window
            w.padsBegin[0] = band.padTop
            w.padsEnd[0] = band.padBottom
            let primitive = try DNNLConvolution(transposed: false, src: [1, src[1], band.sourceRows, src[3]],
                                                dst: [1, dst[1], band.rows.count, dst[3]], weightDims: weightDims,
                                                weightLayout: weightLayout, weightData: weightData, bias: bias, window: w,
                                                postOps: postOps, accumulate: accumulate, threads: 1)
            made.append((band, primitive))
        }
        bands = made
        sourceRowFloats = src[1] * src[3]
        destinationRowFloats = dst[1] * dst[3]
        implementation = "2 bands × " + made[0].1.implementation
        Self.made.add(1, ordering: .relaxed)
    }

    func run(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws {
        let failure = Mutex<Error?>(nil)
        // The bands write disjoint rows of `dst` and only read `src`.
        nonisolated(unsafe) let (src, dst) = (src, dst)
        let work = { @Sendable (k: Int) in
            let (band, primitive) = self.bands[k]
            do {
                try primitive.run(src: src + band.sourceRow * self.sourceRowFloats,
                                  dst: dst + band.rows.lowerBound * self.destinationRowFloats)
            } catch { failure.withLock { $0 = $0 ?? error } }
        }
        // A budget of one thread (two model instances side by side) runs the bands in turn.
        if DNNL.budgetThreads >= 2 { PairedWorker.shared.run({ work(0) }, { work(1) }) } else { for k in bands.indices { work(k) } }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

/// What the NHWC convolution kernel runs: one oneDNN primitive, or two bands of one.
protocol DNNLConvolutionRunning: Sendable {
    var implementation: String { get }
    var threads: Int { get }
    func run(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws
}

extension DNNLConvolution: DNNLConvolutionRunning {}
