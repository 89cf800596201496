/// One graphic a presentation state draws on an image (Graphic Object Sequence item, PS3.3 C.10.5):
/// a point, an open or closed polyline, a circle (centre, then a point on the circumference) or an
/// ellipse (major axis end points, then minor axis end points).
public struct PresentationGraphic: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case point = "POINT", polyline = "POLYLINE", interpolated = "INTERPOLATED", circle = "CIRCLE", ellipse = "ELLIPSE"

        /// How many points the type needs at least.
        var minimumPoints: Int {
            switch self { case .point: 1; case .polyline, .interpolated: 2; case .circle: 2; case .ellipse: 4 }
        }
    }

    public var kind: Kind
    public var points: [PixelPoint]
    /// The graphic layer it is drawn in (e.g. `READER`, `AI`).
    public var layer: String
    public var filled: Bool

    public init(_ kind: Kind, points: [PixelPoint], layer: String, filled: Bool = false) {
        self.kind = kind; self.points = points; self.layer = layer; self.filled = filled
    }

    /// A closed polyline: the first point repeated at the end (PS3.3 C.10.5.1.2).
    public var isClosed: Bool {
        switch kind {
        case .circle, .ellipse: true
        case .point: false
        case .polyline, .interpolated: points.count > 2 && points.first == points.last
        }
    }

    /// The closed polyline around a box given by its centre and size (pixel-centre coordinates).
    public static func box(centerX: Double, centerY: Double, width: Double, height: Double, layer: String) -> PresentationGraphic {
        let x0 = centerX - width / 2, x1 = centerX + width / 2, y0 = centerY - height / 2, y1 = centerY + height / 2
        let corners = [PixelPoint(x: x0, y: y0), PixelPoint(x: x1, y: y0), PixelPoint(x: x1, y: y1), PixelPoint(x: x0, y: y1)]
        return PresentationGraphic(.polyline, points: corners + [corners[0]], layer: layer)
    }
}
