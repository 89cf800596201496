import Review

/// The viewer's zoom and pan as a presentation state's displayed area, and back.
///
/// The viewer shows a crop of `width / zoom` × `height / zoom` pixels centred on `pan`, kept on the
/// image (`ImageGeometry.fit`); the displayed area is that crop's corners as 1-based, inclusive
/// DICOM pixel positions. Going back is done only for a "simple" area: one with the image's own
/// shape (within 5 %) and a zoom the viewer can show (1–16×). Another tool's letterboxed or
/// stretched area is not forced onto the viewport; the window still applies.
extension DisplayedArea {
    /// The area the viewer shows at `zoom` and `pan` on a `width` × `height` image; nil when it
    /// shows the whole image (zoom 1).
    init?(zoom: Double, pan: ImagePoint?, width: Int, height: Int) {
        guard zoom > 1.0001, width > 0, height > 0 else { return nil }
        let w = Double(width), h = Double(height)
        let cw = w / zoom, ch = h / zoom
        let c = pan ?? ImagePoint(x: w / 2, y: h / 2)
        let x0 = min(max(0, c.x - cw / 2), w - cw), y0 = min(max(0, c.y - ch / 2), h - ch)
        self.init(left: Int(x0.rounded()) + 1, top: Int(y0.rounded()) + 1,
                  right: max(Int(x0.rounded()) + 1, Int((x0 + cw).rounded())), bottom: max(Int(y0.rounded()) + 1, Int((y0 + ch).rounded())))
    }

    /// The viewer's zoom and pan that show this area of a `width` × `height` image; nil when the
    /// area is not simple (see above). The whole image gives zoom 1 and no pan.
    func framing(width: Int, height: Int) -> (zoom: Double, pan: ImagePoint?)? {
        guard isValid, width > 0, height > 0 else { return nil }
        let w = Double(width), h = Double(height)
        let aw = Double(self.width), ah = Double(self.height)
        let zx = w / aw, zy = h / ah
        guard abs(zx - zy) / max(zx, zy) < 0.05 else { return nil }
        let zoom = (zx + zy) / 2
        guard zoom >= 0.95, zoom <= 16 else { return nil }
        if zoom < 1.05 { return (1, nil) }
        let centre = ImagePoint(x: Double(left - 1 + right) / 2, y: Double(top - 1 + bottom) / 2)
        return (zoom, centre)
    }
}
