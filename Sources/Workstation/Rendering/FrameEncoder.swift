import TerminalGraphics

/// Screen frames → terminal bytes: the cells diffed by `CellCanvas` (text and half-block images
/// in one 24-bit stream), then pixel-protocol images (sixel, kitty, iTerm2) at their positions,
/// skipped when unchanged. kitty inside tmux sends each distinct image once and then only its
/// placeholder cells (``KittyImageStore``). No terminal I/O, so the benchmark measures exactly
/// what is sent.
///
/// `@_spi(Benchmarks)`: Benchmarks/SliceStepBench drives it directly; it is not API for others.
@_spi(Benchmarks) public final class FrameEncoder {
    private let canvas: CellCanvas
    private let capabilities: TerminalCapabilities
    private var rasterizer: ScreenRasterizer
    /// Last pixel-protocol images sent, to skip unchanged ones.
    private var sentImages: [Int: Int] = [:]
    private var sentRects: [[Int]] = []
    /// kitty inside tmux: the images uploaded so far (placeholders), and ids to delete next frame.
    private var kittyStore = KittyImageStore()
    private var pendingDeletes: [UInt32] = []

    @_spi(Benchmarks) public init(capabilities: TerminalCapabilities, theme: Theme) {
        self.capabilities = capabilities
        canvas = CellCanvas(originRow: 1, originColumn: 1, depth: capabilities.colorDepth)
        rasterizer = ScreenRasterizer(renderer: ImageRenderer(capabilities: capabilities, theme: theme))
    }

    /// Forget what was sent: the next frame repaints everything.
    func invalidate() {
        canvas.invalidate()
        sentImages = [:]
        sentRects = []
        // A resize may also be a tmux reattach from another terminal: upload afresh.
        pendingDeletes += kittyStore.removeAll()
    }

    /// What to send on exit so kitty frees our images: with placeholders, a delete of each id
    /// we uploaded (other panes' images stay); with direct placement, all images.
    func kittyCleanup() -> [UInt8] {
        guard capabilities.graphicsProtocol == .kitty else { return [] }
        if capabilities.kittyPlaceholders {
            return rasterizer.renderer.placeholderEncoder.delete(imageIDs: pendingDeletes + kittyStore.removeAll())
        }
        return Array("\u{1B}_Ga=d\u{1B}\\".utf8)
    }

    @_spi(Benchmarks) public func encode(_ screen: Screen, theme: Theme) -> [UInt8] {
        let pixel = capabilities.graphicsProtocol.isPixelProtocol
        rasterizer.renderer.theme = theme
        var out: [UInt8] = []
        let rects = screen.images.map { [$0.row, $0.column, $0.rows, $0.columns] }
        if pixel && rects != sentRects {
            // Pixel images do not live in cells: when they move or go, clear them and repaint the cells.
            // Placeholder images are text: the repaint below erases them, and they stay in kitty for reuse.
            if capabilities.graphicsProtocol == .kitty && !capabilities.kittyPlaceholders { out += Array("\u{1B}_Ga=d\u{1B}\\".utf8) }
            canvas.invalidate()
            sentImages = [:]
            sentRects = rects
        }
        out += canvas.draw(rasterizer.cells(screen, theme: theme, pixelProtocol: pixel))
        if !pendingDeletes.isEmpty {
            out += rasterizer.renderer.placeholderEncoder.delete(imageIDs: pendingDeletes)
            pendingDeletes = []
        }
        if pixel {
            for (i, p) in screen.images.enumerated() {
                // A pixel image would cover prompt text drawn over it: skip it while that text is up,
                // and send it again once the text is gone (the canvas repaints those cells blank).
                let covered = (p.row ..< p.row + p.rows).contains { r in (p.column ..< p.column + p.columns).contains { screen[r, $0] != .blank } }
                if covered { sentImages[i] = nil; continue }
                var content = Hasher()
                content.combine(p.image.pixels); content.combine(p.image.width); content.combine(p.image.height)
                content.combine(p.columns); content.combine(p.rows); content.combine("\(p.overlays)")
                let contentKey = content.finalize()
                var h = Hasher()
                h.combine(contentKey); h.combine(p.row); h.combine(p.column)
                let key = h.finalize()
                if sentImages[i] == key { continue }
                sentImages[i] = key
                if capabilities.kittyPlaceholders {
                    let placed = rasterizer.renderer.renderPlaceholders(p.image, overlays: p.overlays, columns: p.columns, rows: p.rows,
                                                                      key: contentKey, store: &kittyStore)
                    out += placed.commands + placed.cells(atRow: p.row + 1, column: p.column + 1)
                    continue
                }
                var renderer = rasterizer.renderer
                renderer.kittyImageID = UInt32(i + 1)
                let rendered = renderer.render(p.image, overlays: p.overlays, columns: p.columns, rows: p.rows)
                out += Array("\u{1B}[\(p.row + 1);\(p.column + 1)H".utf8) + rendered.bytes
            }
        }
        if let c = screen.cursor {
            out += Array("\u{1B}[\(c.row + 1);\(c.column + 1)H\u{1B}[?25h".utf8)
        } else {
            out += Array("\u{1B}[?25l".utf8)
        }
        return out
    }
}
