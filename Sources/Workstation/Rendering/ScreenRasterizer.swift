import TerminalGraphics

/// Turns the in-memory `Screen` into terminal cells: text in theme colours, and images encoded
/// as half-block (or sextant/ASCII) cells in place. Pixel-protocol images (sixel, kitty, iTerm2)
/// leave their cells blank; the backend sends their bytes after the cells.
struct ScreenRasterizer {
    var renderer: ImageRenderer

    func colors(_ style: Style, theme: Theme) -> (CellColor, CellColor) {
        func c(_ x: RGBColor) -> CellColor { .rgb(x.r, x.g, x.b) }
        let fg = c(theme.foreground), bg = c(theme.background)
        let dimBG = CellColor.rgb(0x26, 0x26, 0x26)
        switch style {
        case .normal: return (fg, bg)
        case .dim: return (.rgb(0x8a, 0x8a, 0x8a), bg)
        case .header: return (c(theme.background), c(theme.contour))
        case .selected: return (c(theme.background), c(theme.foreground))
        case .status: return (fg, dimBG)
        case .banner: return (.rgb(0xff, 0xff, 0xff), c(theme.color(for: .critical)))
        case .warning: return (c(theme.color(for: .high)), bg)
        case .accent: return (c(theme.contour), bg)
        case .prompt: return (c(theme.background), c(theme.box))
        case .risk(let r): return (c(theme.color(for: r)), bg)
        }
    }

    /// The glyph for screen cell (r, c). A wide character's right half becomes a continuation cell
    /// (sent as nothing); should a half ever stand alone it is drawn as a space, so the terminal's
    /// cursor and the canvas's column count can never disagree.
    func glyph(_ screen: Screen, _ r: Int, _ c: Int) -> UInt32 {
        let cell = screen[r, c]
        if cell.isContinuation {
            return c > 0 && !screen[r, c - 1].isContinuation && isWide(screen[r, c - 1]) ? Cell.continuationGlyph : 0x20
        }
        // Cells come from `Screen.put` (sanitised); a control or zero-width scalar from elsewhere
        // would move the cursor, so it is drawn as a space.
        guard let scalar = cell.character.unicodeScalars.first, scalar.value >= 0x20, !(0x7F...0x9F).contains(scalar.value),
              DisplayWidth.of(scalar) > 0 else { return 0x20 }
        if isWide(cell) && !(c + 1 < screen.columns && screen[r, c + 1].isContinuation) { return 0x20 }
        return scalar.value
    }

    private func isWide(_ cell: ScreenCell) -> Bool {
        cell.character.unicodeScalars.first.map { DisplayWidth.of($0) == 2 } ?? false
    }

    /// The cells of `screen`, with cell-protocol images drawn in.
    func cells(_ screen: Screen, theme: Theme, pixelProtocol: Bool) -> CellBuffer {
        var buffer = CellBuffer(columns: max(1, screen.columns), rows: max(1, screen.rows))
        for r in 0 ..< screen.rows {
            for c in 0 ..< screen.columns {
                let cell = screen[r, c]
                let (fg, bg) = colors(cell.style, theme: theme)
                buffer.cells[r * buffer.columns + c] = Cell(glyph: glyph(screen, r, c), foreground: fg, background: bg)
            }
        }
        guard !pixelProtocol else { return buffer }
        // Images go under any text the view drew in their area.
        for p in screen.images where p.columns > 0 && p.rows > 0 {
            let (img, layout, _) = renderer.renderCells(p.image, overlays: p.overlays, columns: p.columns, rows: p.rows)
            for r in 0 ..< min(layout.rows, img.rows) {
                for c in 0 ..< min(layout.columns, img.columns) {
                    let y = p.row + r, x = p.column + c
                    guard y >= 0, y < buffer.rows, x >= 0, x < buffer.columns else { continue }
                    // Text drawn over the image area (prompts, help) stays on top.
                    guard screen[y, x] == .blank else { continue }
                    buffer.cells[y * buffer.columns + x] = img[c, r]
                }
            }
        }
        return buffer
    }
}
