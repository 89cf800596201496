/// NCHW ↔ NHWC copies for 4-D float tensors, at the edges of the NHWC region.
/// A single channel (or a 1×1 plane) needs no data movement: only the shape changes.
enum LayoutTranspose {
    /// [N, C, H, W] → [N, H, W, C].
    static func toNHWC(_ t: Tensor) throws -> Tensor {
        guard t.isFloat, t.rank == 4 else { throw ONNXError.badInput("NHWC layout change needs a 4-D float tensor, got \(t.shape)") }
        let n = t.shape[0], c = t.shape[1], h = t.shape[2], w = t.shape[3]
        let shape = [n, h, w, c]
        if c == 1 || h * w == 1 { return t.reshaped(shape) }
        return Tensor(validShape: shape, floats: transpose(t.floats, batch: n, rows: c, cols: h * w))
    }

    /// [N, H, W, C] → [N, C, H, W].
    static func toNCHW(_ t: Tensor) throws -> Tensor {
        guard t.isFloat, t.rank == 4 else { throw ONNXError.badInput("NCHW layout change needs a 4-D float tensor, got \(t.shape)") }
        let n = t.shape[0], h = t.shape[1], w = t.shape[2], c = t.shape[3]
        let shape = [n, c, h, w]
        if c == 1 || h * w == 1 { return t.reshaped(shape) }
        return Tensor(validShape: shape, floats: transpose(t.floats, batch: n, rows: h * w, cols: c))
    }

    /// Per batch item, a rows×cols matrix → cols×rows, in 16×16 tiles so both sides stay in cache.
    private static func transpose(_ src: [Float], batch: Int, rows: Int, cols: Int) -> [Float] {
        var dst = uninitializedFloats(src.count)
        let tile = 16
        src.withUnsafeBufferPointer { ps in
            dst.withUnsafeMutableBufferPointer { pd in
                guard let s0 = ps.baseAddress, let d0 = pd.baseAddress else { return }
                for b in 0..<batch {
                    let s = s0 + b * rows * cols, d = d0 + b * rows * cols
                    var r0 = 0
                    while r0 < rows {
                        let r1 = Swift.min(r0 + tile, rows)
                        var c0 = 0
                        while c0 < cols {
                            let c1 = Swift.min(c0 + tile, cols)
                            for c in c0..<c1 {
                                for r in r0..<r1 { d[c * rows + r] = s[r * cols + c] }
                            }
                            c0 = c1
                        }
                        r0 = r1
                    }
                }
            }
        }
        return dst
    }
}
