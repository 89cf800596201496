/// Applies Bits Stored / High Bit to decoded samples: bits outside the stored field (overlays in
/// unused high bits, garbage) are cleared, and signed values are sign-extended from Bits Stored.
enum SampleMasking {
    static func apply(to samples: inout [UInt8], description d: ImagePixelDescription) {
        let width = d.bytesPerSample
        let shift = d.highBit + 1 - d.bitsStored  // Non-zero only for the rare High Bit ≠ Bits Stored − 1.
        guard d.bitsAllocated > 1, d.bitsStored < width * 8 || shift > 0 else { return }
        let stored = d.bitsStored
        let mask: UInt32 = stored >= 32 ? .max : (1 << UInt32(stored)) - 1
        let signed = d.isSigned
        samples.withUnsafeMutableBytes { raw in
            let n = raw.count / width
            for i in 0 ..< n {
                var v: UInt32
                switch width {
                case 1: v = UInt32(raw[i])
                case 2: v = UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                default: v = raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                }
                v = (v >> UInt32(shift)) & mask
                if signed && stored < 32 && v & (1 << UInt32(stored - 1)) != 0 { v |= ~mask }
                switch width {
                case 1: raw[i] = UInt8(truncatingIfNeeded: v)
                case 2: raw.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: 2 * i, as: UInt16.self)
                default: raw.storeBytes(of: v, toByteOffset: 4 * i, as: UInt32.self)
                }
            }
        }
    }
}
