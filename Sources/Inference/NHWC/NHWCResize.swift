/// Resize / Upsample of the spatial axes of an NHWC tensor, nearest or (bi)linear, with every
/// coordinate mode `ResizeKernel` supports: the same plan (taps and weights per axis), applied to
/// whole channel vectors.
///
/// Why: in a U-Net decoder that up-samples by interpolation (MONAI BasicUNet with
/// `upsample="nontrainable"`), the NCHW kernel made the value leave the NHWC region and come back:
/// a transpose before it, a scalar loop over each plane, and a transpose of the 4× larger result
/// after it. On the 256² U-Net benchmark that was 36 of 163 ms a run (Resize 26.5, ToNhwc 8.2,
/// ToNchw 1.3 ms); onnxruntime's Resize took 3.8 ms.
///
/// The taps are summed in the NCHW kernel's order, so both give the same floats. A plan that
/// changes the batch or channel axes, or a crop box with outside points, runs the NCHW kernel
/// through layout changes instead.
final class NHWCResizeKernel: Kernel {
    private let inner: ResizeKernel

    init(inner: ResizeKernel) { self.inner = inner }

    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard x.rank == 4 else { throw ONNXError.badInput("Resize (NHWC) needs a 4-D input, got \(x.shape)") }
        let n = x.shape[0], h = x.shape[1], w = x.shape[2], c = x.shape[3]
        let plan = try inner.plan(inputShape: [n, c, h, w], &inputs)
        guard x.isFloat, plan.isSpatialOnly else { return try NHWCKernels.viaNCHW(inner, &inputs) }
        let oH = plan.outShape[2], oW = plan.outShape[3]
        let outShape = [n, oH, oW, c]
        var y = uninitializedFloats(try checkedCount(outShape))
        let ky = plan.tapCount[2], kx = plan.tapCount[3]
        let ty = plan.taps[2], tx = plan.taps[3]
        x.floats.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                ty.withUnsafeBufferPointer { pty in
                    tx.withUnsafeBufferPointer { ptx in
                        guard let x0 = px.baseAddress, let y0 = py.baseAddress, let ty0 = pty.baseAddress, let tx0 = ptx.baseAddress,
                              c > 0 else { return }
                        // Each chunk writes only its own output rows; all read the whole input.
                        nonisolated(unsafe) let (src0, dst0, rowTaps, colTaps) = (x0, y0, ty0, tx0)
                        ParallelChunks.forEach(count: n * oH, minimumPerChunk: Swift.max(1, 16384 / Swift.max(1, oW * c))) { rows in
                            for row in rows {
                                let b = row / oH, oy = row % oH
                                let image = src0 + b * h * w * c
                                var dst = dst0 + row * oW * c
                                for ox in 0 ..< oW {
                                    var first = true
                                    for a in 0 ..< ky {
                                        let (iy, wy) = rowTaps[oy * ky + a]
                                        for t in 0 ..< kx {
                                            let (ix, wx) = colTaps[ox * kx + t]
                                            let weight = wy * wx
                                            let src = image + (iy * w + ix) * c
                                            if first {
                                                // 0 + …: as the NCHW kernel's sum starts, so −0 comes out +0 in both.
                                                for ch in 0 ..< c { dst[ch] = 0 + weight * src[ch] }
                                                first = false
                                            } else {
                                                for ch in 0 ..< c { dst[ch] += weight * src[ch] }
                                            }
                                        }
                                    }
                                    dst += c
                                }
                            }
                        }
                    }
                }
            }
        }
        return [Tensor(validShape: outShape, floats: y)]
    }
}
