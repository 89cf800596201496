/// One image drawn through kitty's Unicode placeholders: the commands for kitty (deletes of
/// evicted images, then the upload — both empty when the image is already there) and where its
/// placeholder cells go.
public struct KittyPlacedImage: Sendable {
    /// Passthrough-wrapped (inside tmux) kitty commands; empty on a revisit.
    public var commands: [UInt8]
    public var imageID: UInt32
    public var layout: ImageLayout
    /// Overlay labels; only computed when the image was rendered afresh (empty on a revisit).
    public var labels: [PlacedLabel]
    public var uploaded: Bool

    /// The placeholder cells with their top-left at 1-based screen (`row`, `column`).
    public func cells(atRow row: Int, column: Int) -> [UInt8] {
        KittyPlaceholderEncoder.cells(imageID: imageID, columns: layout.columns, rows: layout.rows, atRow: row, column: column)
    }
}

extension ImageRenderer {
    /// The placeholder encoder for these capabilities (passthrough inside tmux).
    public var placeholderEncoder: KittyPlaceholderEncoder {
        KittyPlaceholderEncoder(compress: true, passthrough: capabilities.insideTmux)
    }

    /// Draws `image` through placeholders, uploading it only when `store` has no image for
    /// `key` (the caller's hash of pixels, overlays and cell box). A revisit costs no resampling,
    /// compositing or encoding — only the placeholder cells.
    public func renderPlaceholders(_ image: RGBImage, overlays: [Overlay] = [], columns: Int, rows: Int,
                                   key: Int, store: inout KittyImageStore) -> KittyPlacedImage {
        if let entry = store.lookup(key) {
            return KittyPlacedImage(commands: [], imageID: entry.id, layout: entry.layout, labels: [], uploaded: false)
        }
        let grid = capabilities.grid(columns: columns, rows: rows)
        let (raster, layout, labels) = prepare(image, overlays: overlays, encoder: KittyEncoder(), grid: grid)
        let (id, evicted) = store.insert(key, layout: layout, bytes: raster.width * raster.height * 4)
        let enc = placeholderEncoder
        let commands = enc.delete(imageIDs: evicted) + enc.upload(raster: raster, layout: layout, imageID: id)
        return KittyPlacedImage(commands: commands, imageID: id, layout: layout, labels: labels, uploaded: true)
    }
}
