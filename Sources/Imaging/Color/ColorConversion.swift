/// Photometric conversions to RGB (PS3.3 C.7.6.3.1.2).
public enum ColorConversion {
    /// YBR_FULL → RGB with the ITU-R BT.601 full-range equations of PS3.3 C.7.6.3.1.2.
    public static func ybrFullToRGB(_ samples: inout [UInt8]) {
        samples.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i + 2 < p.count {
                let y = Float(p[i]), cb = Float(p[i + 1]) - 128, cr = Float(p[i + 2]) - 128
                p[i] = clamp(y + 1.402 * cr)
                p[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr)
                p[i + 2] = clamp(y + 1.772 * cb)
                i += 3
            }
        }
    }

    @inlinable static func clamp(_ v: Float) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
}
