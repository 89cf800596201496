/// kitty graphics through Unicode placeholders: the image is sent once as a virtual placement
/// (`a=T,U=1`) and drawn by writing U+10EEEE cells as ordinary text.
///
/// Each placeholder cell is U+10EEEE followed by two combining diacritics from
/// ``KittyPlaceholderDiacritics`` — its row, then its column, in the image's cell grid — in a
/// 24-bit foreground colour whose value is the image id (`ESC[38;2;r;g;bm`, id = r<<16|g<<8|b).
/// Because the cells are text, a multiplexer stores and redraws them like any other: inside tmux
/// the image survives pane switches, scrolling, copy mode and redraws, where a passthrough
/// placement is lost. Only the upload (and deletes) go through tmux's passthrough, one DCS per
/// 4 KiB APC chunk, far below tmux's 1 MiB sequence limit.
///
/// Every cell carries both diacritics, although kitty could infer the column from the cell to its
/// left: tmux redraws arbitrary runs of cells (a popup closing, a partial line update), and an
/// explicit column can never be inferred wrong. That costs 4 bytes per cell (8–10 with them).
///
/// Needs kitty ≥ 0.28 (placeholders) and, inside tmux, `allow-passthrough on` for the upload and
/// a tmux that passes 24-bit colour to the terminal (`terminal-features` with `RGB`), or the id
/// colour is rounded to the 256-colour palette.
public struct KittyPlaceholderEncoder: Sendable {
    public static let placeholder: UInt32 = 0x10EEEE
    public var compress: Bool
    /// Wrap each command to kitty in tmux's passthrough DCS.
    public var passthrough: Bool

    public init(compress: Bool = true, passthrough: Bool = false) {
        self.compress = compress; self.passthrough = passthrough
    }

    /// Sends `raster` as image `imageID` with a virtual placement over `layout`'s cells (`q=2`: no
    /// replies to read back).
    public func upload(raster: RGBImage, layout: ImageLayout, imageID: UInt32) -> [UInt8] {
        let (keys, zlib, payload) = KittyEncoder.pixelPayload(raster, compress: compress)
        let control = "a=T,U=1,\(keys),i=\(imageID),c=\(layout.columns),r=\(layout.rows),q=2" + (zlib ? ",o=z" : "")
        return KittyEncoder.chunks(control: control, payload: payload).flatMap(wrap)
    }

    /// Deletes images and their data (`a=d,d=I`), so kitty frees them.
    public func delete(imageIDs: [UInt32]) -> [UInt8] {
        imageIDs.flatMap { wrap(Array("\u{1B}_Ga=d,d=I,i=\($0),q=2\u{1B}\\".utf8)) }
    }

    /// Deletes every image of this terminal (on exit).
    public func deleteAll() -> [UInt8] { wrap(Array("\u{1B}_Ga=d,d=A,q=2\u{1B}\\".utf8)) }

    private func wrap(_ command: [UInt8]) -> [UInt8] { passthrough ? TmuxPassthrough.wrap(command) : command }

    /// `ESC[38;2;r;g;bm`: the foreground colour that names image `imageID` (its low 24 bits).
    public static func foreground(imageID: UInt32) -> [UInt8] {
        Array("\u{1B}[38;2;\(imageID >> 16 & 0xFF);\(imageID >> 8 & 0xFF);\(imageID & 0xFF)m".utf8)
    }

    /// The UTF-8 of row `row`'s `columns` placeholder cells (no colour, no cursor movement).
    /// Rows and columns past the 297-entry diacritic table are not addressable and are left out.
    public static func row(_ row: Int, columns: Int) -> [UInt8] {
        guard let rowMark = KittyPlaceholderDiacritics.diacritic(row) else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(columns * 10)
        for column in 0 ..< min(columns, KittyPlaceholderDiacritics.table.count) {
            appendUTF8(placeholder, to: &out)
            appendUTF8(rowMark, to: &out)
            appendUTF8(KittyPlaceholderDiacritics.table[column], to: &out)
        }
        return out
    }

    /// The placeholder cells of image `imageID` over `columns × rows` cells with its top-left
    /// cell at 1-based screen position (`row`, `column`): a cursor position per row, one colour
    /// change, and the colour reset after.
    public static func cells(imageID: UInt32, columns: Int, rows: Int, atRow row: Int, column: Int) -> [UInt8] {
        var out = foreground(imageID: imageID)
        for r in 0 ..< min(rows, KittyPlaceholderDiacritics.table.count) {
            out += Array("\u{1B}[\(row + r);\(column)H".utf8)
            out += Self.row(r, columns: columns)
        }
        out += Array("\u{1B}[39m".utf8)
        return out
    }

    /// The placeholder cells at the cursor, for a stream (`lightbox render`): rows separated by
    /// CR LF, so each starts at column 1 and the terminal scrolls as text does.
    public static func inlineCells(imageID: UInt32, columns: Int, rows: Int) -> [UInt8] {
        var out = foreground(imageID: imageID)
        for r in 0 ..< min(rows, KittyPlaceholderDiacritics.table.count) {
            if r > 0 { out += [0x0D, 0x0A] }
            out += Self.row(r, columns: columns)
        }
        out += Array("\u{1B}[39m".utf8)
        return out
    }

    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800: out.append(UInt8(0xC0 | scalar >> 6)); out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12)); out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18)); out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
