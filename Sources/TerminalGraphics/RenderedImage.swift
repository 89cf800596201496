/// The result of ``ImageRenderer/render(_:overlays:columns:rows:)``: bytes that draw the image
/// at the cursor, where it lies, and the labels to write next to it.
public struct RenderedImage: Sendable {
    public var bytes: [UInt8]
    public var layout: ImageLayout
    public var labels: [PlacedLabel]
    /// The protocol actually used (a sixel too large for tmux falls back to blocks).
    public var graphicsProtocol: GraphicsProtocol
}
