/// How many terminal cells text takes: the `wcwidth` rule, without the C library.
///
/// glibc's `wcwidth` depends on the process locale (`LC_CTYPE`) and answers -1 in the "C" locale,
/// so the same name would lay out differently depending on how the workstation was started. This
/// is a fixed table instead (``DisplayWidthTable``, generated from Unicode's East Asian Width
/// property by `Tools/unicode/generate_width_table.py`):
///
/// - 2 cells: East Asian Wide and Fullwidth (kanji, kana, hangul syllables, fullwidth forms, emoji
///   with emoji presentation);
/// - 0 cells: combining marks, format characters and Hangul medial/final jamo, which the terminal
///   draws onto the cell before;
/// - 1 cell: everything else, Ambiguous included (terminals in a non-CJK setup draw those narrow).
///
/// This answers for one scalar; ``TerminalText`` applies it to characters and strings the way the
/// screen draws them (control characters replaced, one scalar per cell).
/// Cost: a binary search over a few hundred ranges per scalar from U+0300 up; below, at once.
public enum DisplayWidth {
    /// Cells for one scalar: 0, 1 or 2. Control characters count 1 here (they are never drawn).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }
        if contains(DisplayWidthTable.zero, v) { return 0 }
        return contains(DisplayWidthTable.wide, v) ? 2 : 1
    }

    /// Binary search in sorted, non-overlapping ranges.
    static func contains(_ table: [ClosedRange<UInt32>], _ v: UInt32) -> Bool {
        var lo = 0, hi = table.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < table[mid].lowerBound { hi = mid - 1 } else if v > table[mid].upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }
}
