import Foundation
import Synchronization

/// A convolution of one image split into parts by output channels, each an ordinary single-thread
/// oneDNN primitive that reads the whole source and computes its own channels, claimed by the
/// inference threads one at a time (`ChunkTeam`). Each part writes a dense buffer of its channels,
/// copied into its channels of the NHWC destination: oneDNN 2.6 runs a convolution whose destination
/// is a strided slice only on its reference kernel (100× slower). The copies are a few hundred KB
/// per layer at the sizes this is used for.
///
/// Why: the late stages of the 224² classifiers (ResNets, DenseNets, EfficientNets) are 14×14 and
/// 7×7 images with hundreds of channels. Split by rows (`DNNLBandedConvolution`), a 7×7 layer made
/// bands of 3 and 4 rows, so one thread did a third more than the other, and every band streamed all
/// of the layer's weights (a 3×3 512→512 layer: 9.4 MB) for a handful of output rows. Split by output
/// channels, the parts differ by at most one block of `channelBlock` channels, and each streams only
/// its share of the weights. The result is the same convolution: each output element is computed by
/// the same kind of kernel over the same inputs. oneDNN's verbose timings on the 224² resnet18, one
/// run: its 7×7 layers took 29.4 ms of CPU as row bands and 19.2 ms as channel parts
/// (docs/INFERENCE_BACKENDS.md §9).
final class DNNLChannelSplitConvolution: DNNLConvolutionRunning, @unchecked Sendable {
    /// `@unchecked Sendable`: as for `DNNLBandedConvolution` (immutable primitives).
    private let parts: [(firstChannel: Int, primitive: DNNLConvolution)]
    private let channels: Int
    private let pixels: Int
    private let accumulate: Bool
    let implementation: String
    let threads: Int

    /// How many channel-split convolutions this process has made (diagnostics and tests).
    static var madeCount: Int { made.load(ordering: .relaxed) }
    private static let made = Atomic<Int>(0)

    /// Output rows below which a layer is split by channels rather than rows
    /// (`LIGHTBOX_DNNL_CHANNEL_SPLIT_ROWS`, default: `DNNLBandedConvolution.minimumRows` per thread;
    /// 0 turns the channel split off).
    static let maximumRows: Int? = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_CHANNEL_SPLIT_ROWS"], let n = Int(v), n >= 0 { return n }
        return nil
    }()

    /// Parts per inference thread (`LIGHTBOX_DNNL_CHANNEL_PARTS_PER_THREAD`, default 1).
    static let partsPerThread: Int = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_CHANNEL_PARTS_PER_THREAD"], let n = Int(v), n >= 1 { return n }
        return 1
    }()

    /// Channels of each part are a multiple of this: one AVX2 vector of floats, the output-channel
    /// block of oneDNN's AVX2 NHWC kernels. (On AVX-512 a part may end in half a block.)
    static let channelBlock = 8

    /// Output channels each part has at least (`LIGHTBOX_DNNL_CHANNEL_PART_MIN`, default 16).
    static let minimumPartChannels: Int = {
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_DNNL_CHANNEL_PART_MIN"], let n = Int(v), n >= 1 { return n }
        return 16
    }()

    /// Nil when the layer is not one to split by channels: fewer than 2 threads, batch > 1, grouped
    /// weights, rows enough for the row split, output channels not a multiple of `channelBlock`, or
    /// too few of them for a part per thread (on a many-core machine the row split then keeps every
    /// thread busy).
    init?(src: [Int], dst: [Int], weightDims: [Int], weightLayout: DNNL.WeightLayout, weightData: UnsafePointer<Float>,
          bias: UnsafePointer<Float>?, window: DNNLWindow, postOps: DNNL.PostOps, accumulate: Bool, threads: Int) throws {
        guard threads >= 2, src.count == 4, dst.count == 4, src[0] == 1, dst[0] == 1, weightLayout == .oihw,
              weightDims.count == 4, weightDims[0] == dst[1] else { return nil }
        let rowLimit = Self.maximumRows ?? threads * DNNLBandedConvolution.minimumRows
        guard dst[2] < rowLimit else { return nil }
        let channels = dst[1]
        let blocks = channels / Self.channelBlock
        let count = Swift.min(threads * Self.partsPerThread, blocks, channels / Swift.max(1, Self.minimumPartChannels))
        guard count >= threads, channels % Self.channelBlock == 0 else { return nil }
        let perWeight = weightDims[1...].reduce(1, *)
        var made: [(Int, DNNLConvolution)] = []
        for k in 0 ..< count {
            let first = k * blocks / count * Self.channelBlock, end = (k + 1) * blocks / count * Self.channelBlock
            let width = end - first
            let primitive = try DNNLConvolution(transposed: false, src: src, dst: [1, width, dst[2], dst[3]],
                                                weightDims: [width] + weightDims[1...], weightLayout: .oihw,
                                                weightData: weightData + first * perWeight, bias: bias.map { $0 + first },
                                                window: window, postOps: postOps, accumulate: accumulate, threads: 1)
            made.append((first, primitive))
        }
        parts = made
        self.channels = channels
        self.accumulate = accumulate
        pixels = dst[2] * dst[3]
        self.threads = threads
        implementation = "\(count) channel parts × " + made[0].1.implementation
        Self.made.add(1, ordering: .relaxed)
    }

    func run(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) throws {
        // The parts write disjoint channels of `dst` and only read `src`; `forEach` returns after all.
        nonisolated(unsafe) let (src, dst) = (src, dst)
        try ChunkTeam.forEach(chunks: parts.count, threads: Swift.min(threads, DNNL.budgetThreads)) { k in
            let (first, primitive) = parts[k]
            let width = (k + 1 < parts.count ? parts[k + 1].firstChannel : channels) - first
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: pixels * width * MemoryLayout<Float>.stride, alignment: 64)
            defer { buffer.deallocate() }
            let part = buffer.bindMemory(to: Float.self, capacity: pixels * width)
            if accumulate { copy(from: dst + first, stride: channels, to: part, stride: width, width: width) }
            try primitive.run(src: src, dst: part)
            copy(from: part, stride: width, to: dst + first, stride: channels, width: width)
        }
    }

    /// Copies `width` floats of each of `pixels` pixels between buffers with the given pixel strides.
    private func copy(from: UnsafePointer<Float>, stride fromStride: Int, to: UnsafeMutablePointer<Float>, stride toStride: Int,
                      width: Int) {
        for p in 0 ..< pixels { (to + p * toStride).update(from: from + p * fromStride, count: width) }
    }
}
