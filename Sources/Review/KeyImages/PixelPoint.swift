/// A point on an image in the coordinates findings use: x = column, y = row, integer values at pixel
/// centres. Presentation states count from the top left corner of the first pixel (PIXEL units,
/// PS3.3 C.10.5.1.2), so the writer adds 0.5 and the reader subtracts it.
public struct PixelPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}
