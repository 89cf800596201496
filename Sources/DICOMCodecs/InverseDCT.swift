/// The accurate integer 8×8 inverse DCT of IJG libjpeg / libjpeg-turbo (`jpeg_idct_islow`,
/// Loeffler–Ligtenberg–Moschytz with 13-bit constants), so that output matches libjpeg-based
/// decoders (GDCM, DCMTK, libjpeg-turbo) bit for bit on valid streams.
///
/// Arithmetic is in `Int` (64-bit): dequantised coefficients are clamped to ±2^20 by the caller,
/// so no intermediate can overflow even on corrupt input; outputs are clamped to 0…2^P − 1.
/// 12-bit data uses PASS1_BITS = 1 as libjpeg does for BITS_IN_JSAMPLE == 12.
enum InverseDCT {
    private static let constBits = 13
    private static let fix_0_298631336 = 2446
    private static let fix_0_390180644 = 3196
    private static let fix_0_541196100 = 4433
    private static let fix_0_765366865 = 6270
    private static let fix_0_899976223 = 7373
    private static let fix_1_175875602 = 9633
    private static let fix_1_501321110 = 12299
    private static let fix_1_847759065 = 15137
    private static let fix_1_961570560 = 16069
    private static let fix_2_053119869 = 16819
    private static let fix_2_562915447 = 20995
    private static let fix_3_072711026 = 25172

    /// Transforms dequantised coefficients `input` (natural order, 64 values) and writes 8×8 samples
    /// to `output` at `offset` with row `stride`. `workspace` holds 64 `Int`s of scratch.
    @inline(__always)
    static func transform(_ input: UnsafePointer<Int32>, workspace ws: UnsafeMutablePointer<Int>,
                          output: UnsafeMutablePointer<UInt16>, offset: Int, stride: Int, precision: Int) {
        let pass1Bits = precision == 8 ? 2 : 1
        let center = 1 << (precision - 1)
        let maxSample = (1 << precision) - 1

        // Pass 1: columns.
        for col in 0..<8 {
            let i1 = Int(input[col + 8]), i2 = Int(input[col + 16]), i3 = Int(input[col + 24])
            let i4 = Int(input[col + 32]), i5 = Int(input[col + 40]), i6 = Int(input[col + 48])
            let i7 = Int(input[col + 56]), i0 = Int(input[col])
            if i1 == 0 && i2 == 0 && i3 == 0 && i4 == 0 && i5 == 0 && i6 == 0 && i7 == 0 {
                let dc = i0 << pass1Bits
                for k in 0..<8 { ws[col + 8 * k] = dc }
                continue
            }
            var z1 = (i2 + i6) * fix_0_541196100
            var tmp2 = z1 + i6 * -fix_1_847759065
            var tmp3 = z1 + i2 * fix_0_765366865
            var tmp0 = (i0 + i4) << constBits
            var tmp1 = (i0 - i4) << constBits
            let tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2

            tmp0 = i7; tmp1 = i5; tmp2 = i3; tmp3 = i1
            z1 = tmp0 + tmp3
            var z2 = tmp1 + tmp2, z3 = tmp0 + tmp2, z4 = tmp1 + tmp3
            let z5 = (z3 + z4) * fix_1_175875602
            tmp0 *= fix_0_298631336; tmp1 *= fix_2_053119869; tmp2 *= fix_3_072711026; tmp3 *= fix_1_501321110
            z1 *= -fix_0_899976223; z2 *= -fix_2_562915447; z3 *= -fix_1_961570560; z4 *= -fix_0_390180644
            z3 += z5; z4 += z5
            tmp0 += z1 + z3; tmp1 += z2 + z4; tmp2 += z2 + z3; tmp3 += z1 + z4

            let shift = constBits - pass1Bits, round = 1 << (shift - 1)
            ws[col] = (tmp10 + tmp3 + round) >> shift
            ws[col + 56] = (tmp10 - tmp3 + round) >> shift
            ws[col + 8] = (tmp11 + tmp2 + round) >> shift
            ws[col + 48] = (tmp11 - tmp2 + round) >> shift
            ws[col + 16] = (tmp12 + tmp1 + round) >> shift
            ws[col + 40] = (tmp12 - tmp1 + round) >> shift
            ws[col + 24] = (tmp13 + tmp0 + round) >> shift
            ws[col + 32] = (tmp13 - tmp0 + round) >> shift
        }

        // Pass 2: rows, with the final descale's rounding folded into the DC term as libjpeg does.
        let finalShift = constBits + pass1Bits + 3
        for row in 0..<8 {
            let w = ws + row * 8
            var z1 = (w[2] + w[6]) * fix_0_541196100
            var tmp2 = z1 + w[6] * -fix_1_847759065
            var tmp3 = z1 + w[2] * fix_0_765366865
            let dc = w[0] + (1 << (pass1Bits + 2))
            var tmp0 = (dc + w[4]) << constBits
            var tmp1 = (dc - w[4]) << constBits
            let tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2

            tmp0 = w[7]; tmp1 = w[5]; tmp2 = w[3]; tmp3 = w[1]
            z1 = tmp0 + tmp3
            var z2 = tmp1 + tmp2, z3 = tmp0 + tmp2, z4 = tmp1 + tmp3
            let z5 = (z3 + z4) * fix_1_175875602
            tmp0 *= fix_0_298631336; tmp1 *= fix_2_053119869; tmp2 *= fix_3_072711026; tmp3 *= fix_1_501321110
            z1 *= -fix_0_899976223; z2 *= -fix_2_562915447; z3 *= -fix_1_961570560; z4 *= -fix_0_390180644
            z3 += z5; z4 += z5
            tmp0 += z1 + z3; tmp1 += z2 + z4; tmp2 += z2 + z3; tmp3 += z1 + z4

            let o = output + offset + row * stride
            @inline(__always) func limit(_ v: Int) -> UInt16 {
                UInt16(truncatingIfNeeded: min(max((v >> finalShift) + center, 0), maxSample))
            }
            o[0] = limit(tmp10 + tmp3)
            o[7] = limit(tmp10 - tmp3)
            o[1] = limit(tmp11 + tmp2)
            o[6] = limit(tmp11 - tmp2)
            o[2] = limit(tmp12 + tmp1)
            o[5] = limit(tmp12 - tmp1)
            o[3] = limit(tmp13 + tmp0)
            o[4] = limit(tmp13 - tmp0)
        }
    }
}
