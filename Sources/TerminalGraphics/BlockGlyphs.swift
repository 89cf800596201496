/// Block-element and sextant glyphs and the sub-cell masks they cover.
///
/// Masks number sub-cells row-major with bit 0 at the top left: for sextants (2×3) bits 0–5
/// are top-left, top-right, middle-left, middle-right, bottom-left, bottom-right — the order of
/// the Unicode names "BLOCK SEXTANT-1…6". U+1FB00…U+1FB3B ("Symbols for Legacy Computing")
/// hold the 60 masks that are not empty, full, left half (▌) or right half (▐).
public enum BlockGlyphs {
    public static let space: UInt32 = 0x20
    public static let upperHalf: UInt32 = 0x2580   // ▀
    public static let lowerHalf: UInt32 = 0x2584   // ▄
    public static let fullBlock: UInt32 = 0x2588   // █
    public static let leftHalf: UInt32 = 0x258C    // ▌
    public static let rightHalf: UInt32 = 0x2590   // ▐

    /// The glyph whose foreground covers the 2×3 `mask` (1...62).
    @inline(__always)
    public static func sextant(mask: Int) -> UInt32 {
        switch mask {
        case 0: return space
        case 21: return leftHalf
        case 42: return rightHalf
        case 63: return fullBlock
        default:
            var index = mask - 1
            if mask > 21 { index -= 1 }
            if mask > 42 { index -= 1 }
            return 0x1FB00 + UInt32(index)
        }
    }

    /// The 2×3 foreground mask of a block glyph, or nil for other glyphs. Half blocks are
    /// expressed on the 2×3 grid only when exact (▌▐ █ space); ▀/▄ are 1×2 (see ``halfMask``).
    public static func sextantMask(of glyph: UInt32) -> Int? {
        switch glyph {
        case space: return 0
        case fullBlock: return 63
        case leftHalf: return 21
        case rightHalf: return 42
        case 0x1FB00...0x1FB3B:
            var mask = Int(glyph - 0x1FB00) + 1
            if mask >= 21 { mask += 1 }
            if mask >= 42 { mask += 1 }
            return mask
        default: return nil
        }
    }

    /// The glyph with foreground and background roles exchanged, or nil when there is none.
    @inline(__always)
    public static func complement(of glyph: UInt32) -> UInt32? {
        switch glyph {
        case upperHalf: return lowerHalf
        case lowerHalf: return upperHalf
        case space: return fullBlock
        case fullBlock: return space
        case leftHalf: return rightHalf
        case rightHalf: return leftHalf
        case 0x1FB00...0x1FB3B: return sextant(mask: 63 - sextantMask(of: glyph)!)
        default: return nil
        }
    }
}
