/// A text label to draw next to an image, in cells relative to the image's top-left cell.
/// `text` is already sanitised (``TextSanitizer``).
public struct PlacedLabel: Equatable, Sendable {
    public var text: String
    public var column: Int
    public var row: Int
    public var color: RGBColor

    public init(text: String, column: Int, row: Int, color: RGBColor) {
        self.text = TextSanitizer.sanitize(text); self.column = column; self.row = row; self.color = color
    }
}
