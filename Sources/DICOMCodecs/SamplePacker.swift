/// Turns decoded sample values into ``DecodedFrame/samples`` bytes (little-endian, 1/2/4 bytes each)
/// and applies the sign corrections pydicom applies.
///
/// Loops run over unsafe buffers with no allocation beyond the output array.
enum SamplePacker {
    /// Packs `values` (already in output order) as `bytesPerSample`-wide little-endian samples,
    /// each value shifted left by `shift` (a JPEG point transform) and masked to `mask`.
    static func pack(_ values: UnsafeBufferPointer<UInt16>, shift: Int, mask: UInt32,
                     bytesPerSample: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count &* bytesPerSample)
        out.withUnsafeMutableBufferPointer { o in
            switch bytesPerSample {
            case 1:
                for i in 0..<values.count { o[i] = UInt8(truncatingIfNeeded: (UInt32(values[i]) << shift) & mask) }
            case 2:
                for i in 0..<values.count {
                    let v = (UInt32(values[i]) << shift) & mask
                    o[2 &* i] = UInt8(truncatingIfNeeded: v)
                    o[2 &* i &+ 1] = UInt8(truncatingIfNeeded: v >> 8)
                }
            default:
                for i in 0..<values.count {
                    let v = (UInt32(values[i]) << shift) & mask
                    o[4 &* i] = UInt8(truncatingIfNeeded: v)
                    o[4 &* i &+ 1] = UInt8(truncatingIfNeeded: v >> 8)
                    o[4 &* i &+ 2] = 0
                    o[4 &* i &+ 3] = 0
                }
            }
        }
        return out
    }

    /// Reinterprets the low `bits` bits of every sample as a two's complement number
    /// (`signed == true`) or as unsigned (`signed == false`, upper bits cleared), in place.
    /// This is pydicom's "sign correction" (a left then arithmetic right shift by `width − bits`).
    static func reinterpret(_ samples: inout [UInt8], bytesPerSample: Int, bits: Int, signed: Bool) {
        let width = bytesPerSample * 8
        guard bits >= 1, bits < width else { return }
        let shift = UInt64(64 - bits)
        samples.withUnsafeMutableBufferPointer { s in
            let n = s.count / bytesPerSample
            for i in 0..<n {
                var v: UInt64 = 0
                for b in 0..<bytesPerSample { v |= UInt64(s[i &* bytesPerSample &+ b]) << UInt64(8 * b) }
                let r: UInt64 = signed ? UInt64(bitPattern: Int64(bitPattern: v << shift) >> Int64(shift))
                                       : (v << shift) >> shift
                for b in 0..<bytesPerSample { s[i &* bytesPerSample &+ b] = UInt8(truncatingIfNeeded: r >> UInt64(8 * b)) }
            }
        }
    }
}
