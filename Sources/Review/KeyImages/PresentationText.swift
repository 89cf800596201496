/// A text a presentation state shows on an image (Text Object Sequence item, PS3.3 C.10.5): the
/// reader's label for a mark, anchored at the point it names.
public struct PresentationText: Sendable, Equatable {
    public var text: String
    /// The point the text is about (pixel-centre coordinates).
    public var anchor: PixelPoint
    /// Whether a line from the text to the anchor is drawn.
    public var anchorVisible: Bool
    public var layer: String

    public init(_ text: String, anchor: PixelPoint, anchorVisible: Bool = false, layer: String) {
        self.text = text; self.anchor = anchor; self.anchorVisible = anchorVisible; self.layer = layer
    }
}
