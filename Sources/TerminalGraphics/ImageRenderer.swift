/// The whole pipeline for one image: pick the encoder for the capabilities, fit, resample,
/// composite overlays at output resolution, encode.
///
/// This is the entry point for `lightbox render` and the viewer. For scrolling in cell modes,
/// use ``renderCells(_:overlays:columns:rows:)`` with a ``CellCanvas`` so that only changed cells
/// are sent; for kitty the fixed image id already makes each step a replacement. Inside tmux,
/// kitty is drawn with Unicode placeholders (``renderPlaceholders(_:overlays:columns:rows:key:store:)``),
/// a forced iTerm2 protocol is wrapped for passthrough, and a sixel larger than tmux's input
/// buffer falls back to half blocks.
public struct ImageRenderer {
    public var capabilities: TerminalCapabilities
    public var theme: Theme
    public var dithering: Dithering
    /// kitty image id (reused on every frame, so successive slices replace one another).
    public var kittyImageID: UInt32 = 1

    public init(capabilities: TerminalCapabilities, theme: Theme = .dark, dithering: Dithering = .none) {
        self.capabilities = capabilities; self.theme = theme; self.dithering = dithering
    }

    /// The encoder for `graphicsProtocol` (default: the detected one) at the detected depth.
    public func encoder(for graphicsProtocol: GraphicsProtocol? = nil) -> any ImageEncoder {
        let depth = capabilities.colorDepth == .none ? ColorDepth.trueColor : capabilities.colorDepth
        switch graphicsProtocol ?? capabilities.graphicsProtocol {
        case .sixel: return SixelEncoder(registers: capabilities.sixelRegisters)
        case .kitty: return KittyEncoder(imageID: kittyImageID, placementID: 1)
        case .iterm: return ITermEncoder()
        case .sextants: return SextantEncoder(depth: depth, dithering: dithering)
        case .blocks, .auto: return capabilities.colorDepth == .none ? AsciiEncoder() : HalfBlockEncoder(depth: depth, dithering: dithering)
        case .ascii: return AsciiEncoder()
        }
    }

    func prepare(_ image: RGBImage, overlays: [Overlay], encoder: any ImageEncoder, grid: CellGrid)
        -> (RGBImage, ImageLayout, [PlacedLabel]) {
        let layout = encoder.layout(for: image, in: grid)
        var raster = Resampler.resample(image, width: layout.sampleWidth, height: layout.sampleHeight)
        let labels = overlays.isEmpty ? [] : OverlayCompositor(theme: theme)
            .composite(overlays, onto: &raster, layout: layout, sourceWidth: image.width, sourceHeight: image.height)
        return (raster, layout, labels)
    }

    /// Renders `image` with `overlays` into at most `columns × rows` cells.
    public func render(_ image: RGBImage, overlays: [Overlay] = [], columns: Int, rows: Int) -> RenderedImage {
        if capabilities.kittyPlaceholders {
            var store = KittyImageStore()
            let placed = renderPlaceholders(image, overlays: overlays, columns: columns, rows: rows, key: 0, store: &store)
            let cells = KittyPlaceholderEncoder.inlineCells(imageID: placed.imageID, columns: placed.layout.columns, rows: placed.layout.rows)
            return RenderedImage(bytes: placed.commands + cells, layout: placed.layout, labels: placed.labels, graphicsProtocol: .kitty)
        }
        let grid = capabilities.grid(columns: columns, rows: rows)
        var proto = capabilities.graphicsProtocol == .auto ? GraphicsProtocol.blocks : capabilities.graphicsProtocol
        var enc = encoder(for: proto)
        var (raster, layout, labels) = prepare(image, overlays: overlays, encoder: enc, grid: grid)
        var bytes = enc.encode(raster: raster, layout: layout)
        if let limit = capabilities.maxSequenceBytes, proto.isPixelProtocol, bytes.count > limit {
            proto = capabilities.colorDepth == .none ? .ascii : .blocks
            enc = encoder(for: proto)
            (raster, layout, labels) = prepare(image, overlays: overlays, encoder: enc, grid: grid)
            bytes = enc.encode(raster: raster, layout: layout)
        }
        if capabilities.insideTmux && proto == .iterm {
            // Only reached when forced (detection never picks these inside tmux): needs
            // `set -g allow-passthrough on`.
            bytes = TmuxPassthrough.wrap(bytes)
        }
        return RenderedImage(bytes: bytes, layout: layout, labels: labels, graphicsProtocol: proto)
    }

    /// Renders into a ``CellBuffer`` for a ``CellCanvas`` (cell protocols; pixel protocols fall
    /// back to half blocks).
    public func renderCells(_ image: RGBImage, overlays: [Overlay] = [], columns: Int, rows: Int)
        -> (buffer: CellBuffer, layout: ImageLayout, labels: [PlacedLabel]) {
        let grid = capabilities.grid(columns: columns, rows: rows)
        let proto = capabilities.graphicsProtocol
        let depth = capabilities.colorDepth == .none ? ColorDepth.trueColor : capabilities.colorDepth
        let enc: any CellEncoder
        if capabilities.colorDepth == .none || proto == .ascii { enc = AsciiEncoder() }
        else if proto == .sextants { enc = SextantEncoder(depth: depth, dithering: dithering) }
        else { enc = HalfBlockEncoder(depth: depth, dithering: dithering) }
        let (raster, layout, labels) = prepare(image, overlays: overlays, encoder: enc, grid: grid)
        return (enc.cells(raster: raster, layout: layout), layout, labels)
    }
}
