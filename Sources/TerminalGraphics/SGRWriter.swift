import ByteWriting

/// Serialises cells as SGR colour changes plus UTF-8 glyphs, sending only what changes.
///
/// The writer remembers the terminal's current foreground and background. For each cell it
/// considers both the cell and its complement (▀ fg=a bg=b ≡ ▄ fg=b bg=a; space on bg ≡ █ in
/// fg; a sextant ≡ the complementary sextant with colours swapped) and sends the variant that
/// needs the fewest colour changes — on smooth medical images a third or more of all cells then
/// need no SGR at all. Bytes go to a caller-reserved ``ByteWriter``; nothing is allocated per
/// cell. The `[UInt8]` overloads wrap the same writer for callers that hold a plain array.
public struct SGRWriter {
    public let depth: ColorDepth
    var fg: CellColor?
    var bg: CellColor?

    public init(depth: ColorDepth) { self.depth = depth }

    /// Forget the terminal state (after a cursor move by someone else, or a reset).
    public mutating func invalidate() { fg = nil; bg = nil }

    /// `ESC[0m` + LF; resets the remembered state.
    public mutating func endLine(into out: inout ByteWriter) {
        if depth != .none { out.append(contentsOf: [0x1B, 0x5B, 0x30, 0x6D]) }
        out.append(0x0A)
        fg = nil; bg = nil
    }

    /// `ESC[0m` if anything was set.
    public mutating func reset(into out: inout ByteWriter) {
        if depth != .none && (fg != nil || bg != nil) { out.append(contentsOf: [0x1B, 0x5B, 0x30, 0x6D]) }
        fg = nil; bg = nil
    }

    @inline(__always)
    public mutating func write(_ cell: Cell, into out: inout ByteWriter) {
        // The right half of a wide character: drawn with the left half.
        if cell.glyph == Cell.continuationGlyph { return }
        if depth == .none { out.appendUTF8(cell.glyph); return }
        var glyph = cell.glyph, f = cell.foreground, b = cell.background
        var needF: Bool, needB: Bool
        // A blank stays a blank on the terminal: it is never swapped for a full block in the
        // foreground colour, which some fonts draw with seams (the "rows of boxes" in xterm beside
        // the images) and which copies and screen captures read as "█". An image's full block
        // may still go out as a space in its background colour.
        if f == b && glyph == BlockGlyphs.space {
            needF = false; needB = bg != b
        } else if f == b && glyph == BlockGlyphs.fullBlock {
            // One colour: as a space it needs the background, as a full block the foreground.
            if bg == f { glyph = BlockGlyphs.space; needF = false; needB = false }
            else if fg == f { needF = false; needB = false }
            else { glyph = BlockGlyphs.space; needF = false; needB = true }
        } else {
            needF = fg != f; needB = bg != b
            if needF || needB, glyph != BlockGlyphs.space, let alt = BlockGlyphs.complement(of: glyph) {
                let altF = fg != b, altB = bg != f
                if (altF ? 1 : 0) + (altB ? 1 : 0) < (needF ? 1 : 0) + (needB ? 1 : 0) {
                    glyph = alt; swap(&f, &b); needF = altF; needB = altB
                }
            }
        }
        if needF || needB {
            out.append(0x1B); out.append(0x5B)
            if needF { appendColor(f, background: false, into: &out); fg = f }
            if needB {
                if needF { out.append(0x3B) }
                appendColor(b, background: true, into: &out); bg = b
            }
            out.append(0x6D)
        }
        out.appendUTF8(glyph)
    }

    @inline(__always)
    func appendColor(_ c: CellColor, background: Bool, into out: inout ByteWriter) {
        switch c.kind {
        case .terminalDefault:
            out.append(background ? 0x34 : 0x33); out.append(0x39)
        case .rgb:
            out.append(background ? 0x34 : 0x33); out.append(0x38); out.append(0x3B); out.append(0x32); out.append(0x3B)
            out.appendDecimal(Int(c.raw >> 16 & 0xFF)); out.append(0x3B)
            out.appendDecimal(Int(c.raw >> 8 & 0xFF)); out.append(0x3B)
            out.appendDecimal(Int(c.raw & 0xFF))
        case .indexed:
            out.append(background ? 0x34 : 0x33); out.append(0x38); out.append(0x3B); out.append(0x35); out.append(0x3B)
            out.appendDecimal(Int(c.raw & 0xFF))
        case .ansi:
            let i = Int(c.raw & 15)
            let base = i < 8 ? (background ? 40 : 30) : (background ? 100 : 90)
            out.appendDecimal(base + (i & 7))
        }
    }

    // MARK: Plain-array callers

    public mutating func endLine(into out: inout [UInt8]) {
        var writer = ByteWriter(appendingTo: out); out = []
        endLine(into: &writer); out = writer.bytes
    }

    public mutating func reset(into out: inout [UInt8]) {
        var writer = ByteWriter(appendingTo: out); out = []
        reset(into: &writer); out = writer.bytes
    }

    public mutating func write(_ cell: Cell, into out: inout [UInt8]) {
        var writer = ByteWriter(appendingTo: out); out = []
        write(cell, into: &writer); out = writer.bytes
    }
}
