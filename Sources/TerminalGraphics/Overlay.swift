/// Something drawn over an image. Coordinates are in source-image pixels (x right, y down;
/// (0, 0) is the top-left corner of the first pixel), whatever size the image is drawn at.
public enum Overlay: Equatable, Sendable {
    /// A heatmap covering the whole image.
    case heatmap(ScalarOverlay)
    /// A finding's outline.
    case contour(points: [OverlayPoint], closed: Bool, color: OverlayColor)
    /// An axis-aligned box with an optional label at its top-left corner.
    case box(x: Double, y: Double, width: Double, height: Double, color: OverlayColor, label: String?)
    /// A cross-hair marker with an optional label to its right.
    case marker(OverlayPoint, color: OverlayColor, label: String?)
    /// A measurement line with end ticks and a label (e.g. "12.4 mm") at its midpoint.
    case measurement(from: OverlayPoint, to: OverlayPoint, label: String?)
}

public struct OverlayPoint: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// Where an overlay's colour comes from: a step of the theme's severity ramp, a theme role, or an
/// explicit colour.
public enum OverlayColor: Equatable, Sendable {
    case severity(Int)
    case contour, box, marker, measurement
    case rgb(RGBColor)

    public func resolve(in theme: Theme) -> RGBColor {
        switch self {
        case .severity(let index): return theme.severityColor(index)
        case .contour: return theme.contour
        case .box: return theme.box
        case .marker: return theme.marker
        case .measurement: return theme.measurement
        case .rgb(let c): return c
        }
    }
}
