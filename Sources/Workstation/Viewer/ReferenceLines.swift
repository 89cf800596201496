import Imaging
import TerminalGraphics

/// Reference lines: in each viewport, where the other viewports' planes cut it (Imaging's
/// `ReferenceLine`, from Image Position / Orientation (Patient)), one colour per plane
/// orientation so an axial line reads the same in the coronal and the sagittal view. `y` hides
/// and shows them.
enum ReferenceLines {
    static func color(_ o: ViewerState.Orientation) -> OverlayColor {
        switch o {
        case .axial: return .rgb(RGBColor(r: 0xf0, g: 0xd0, b: 0x30))
        case .coronal: return .rgb(RGBColor(r: 0x40, g: 0xc8, b: 0xf0))
        case .sagittal: return .rgb(RGBColor(r: 0xf0, g: 0x70, b: 0xc0))
        }
    }

    /// The segments on `vp`'s image, in image pixel coordinates (pixel centres at integers).
    static func segments(_ vp: Viewport, others: [Viewport]) -> [(ReferenceLine.Segment, ViewerState.Orientation)] {
        guard let mine = vp.plane else { return [] }
        return others.compactMap { o in
            guard let theirs = o.plane, let s = ReferenceLine.segment(of: theirs, on: mine) else { return nil }
            return (s, o.orientation)
        }
    }

    /// Contours in crop coordinates, as `ImageComposer` draws overlays: pixel (x, y)'s centre is
    /// (x + 0.5, y + 0.5) there, so a line through row y runs through the middle of that row.
    static func overlays(_ state: AppState, _ vp: Viewport, others: [Viewport], x0: Double, y0: Double, width: Double,
                         mirror: Bool) -> [Overlay] {
        // Not in the mammography hanging: its views are projections of the same breast, and a
        // plane through one says nothing about where it lies in another.
        guard let v = state.viewer, v.display.referenceLines, !v.display.hanging, !others.isEmpty else { return [] }
        func pt(_ x: Double, _ y: Double) -> OverlayPoint {
            let cx = x + 0.5 - x0
            return OverlayPoint(x: mirror ? width - cx : cx, y: y + 0.5 - y0)
        }
        return segments(vp, others: others).map { s, o in
            .contour(points: [pt(s.from.x, s.from.y), pt(s.to.x, s.to.y)], closed: false, color: color(o))
        }
    }
}
