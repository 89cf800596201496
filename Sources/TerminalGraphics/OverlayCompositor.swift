/// Draws overlays onto the raster an encoder will consume, in raster space.
///
/// Compositing happens after resampling, at output resolution: a 1-pixel contour on a 512²
/// slice would average away when shrunk to 100 samples, so lines are drawn at the raster's
/// scale with a width of `max(1, rasterWidth / 400)` samples. Heatmaps are sampled bilinearly at
/// each raster pixel, thresholded and alpha-blended. Text cannot be drawn into pixels portably;
/// labels come back as ``PlacedLabel``s in cells for ``LabelWriter``.
public struct OverlayCompositor {
    public var theme: Theme

    public init(theme: Theme = .dark) { self.theme = theme }

    /// - Parameters:
    ///   - raster: the resampled image, `layout.sampleWidth × layout.sampleHeight`.
    ///   - sourceWidth/sourceHeight: the size of the image the overlay coordinates refer to.
    public func composite(_ overlays: [Overlay], onto raster: inout RGBImage, layout: ImageLayout,
                          sourceWidth: Int, sourceHeight: Int) -> [PlacedLabel] {
        let sx = Double(raster.width) / Double(sourceWidth), sy = Double(raster.height) / Double(sourceHeight)
        let cellX = Double(layout.columns) / Double(raster.width), cellY = Double(layout.rows) / Double(raster.height)
        let thickness = max(1, raster.width / 400)
        var labels = [PlacedLabel]()
        func label(_ text: String?, atX x: Double, y: Double, color: RGBColor) {
            guard let text, !text.isEmpty else { return }
            labels.append(PlacedLabel(text: text, column: min(layout.columns - 1, max(0, Int(x * sx * cellX))),
                                      row: min(layout.rows - 1, max(0, Int(y * sy * cellY))), color: color))
        }
        for overlay in overlays {
            switch overlay {
            case .heatmap(let h):
                blend(h, onto: &raster)
            case .contour(let points, let closed, let color):
                let c = color.resolve(in: theme)
                guard points.count > 1 else { continue }
                for i in 0..<(points.count - (closed ? 0 : 1)) {
                    let a = points[i], b = points[(i + 1) % points.count]
                    line(&raster, a.x * sx, a.y * sy, b.x * sx, b.y * sy, c, thickness)
                }
            case .box(let x, let y, let w, let h, let color, let text):
                let c = color.resolve(in: theme)
                let x0 = x * sx, y0 = y * sy, x1 = (x + w) * sx, y1 = (y + h) * sy
                line(&raster, x0, y0, x1, y0, c, thickness); line(&raster, x1, y0, x1, y1, c, thickness)
                line(&raster, x1, y1, x0, y1, c, thickness); line(&raster, x0, y1, x0, y0, c, thickness)
                label(text, atX: x, y: y, color: c)
            case .marker(let p, let color, let text):
                let c = color.resolve(in: theme)
                let arm = Double(max(3, raster.width / 60))
                let x = p.x * sx, y = p.y * sy
                line(&raster, x - arm, y, x - arm / 3, y, c, thickness); line(&raster, x + arm / 3, y, x + arm, y, c, thickness)
                line(&raster, x, y - arm, x, y - arm / 3, c, thickness); line(&raster, x, y + arm / 3, x, y + arm, c, thickness)
                label(text, atX: p.x + arm / sx * 1.2, y: p.y, color: c)
            case .measurement(let a, let b, let text):
                let c = theme.measurement
                let ax = a.x * sx, ay = a.y * sy, bx = b.x * sx, by = b.y * sy
                line(&raster, ax, ay, bx, by, c, thickness)
                let len = max(((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).squareRoot(), 1e-9)
                let tx = -(by - ay) / len * Double(max(2, raster.width / 120)), ty = (bx - ax) / len * Double(max(2, raster.width / 120))
                line(&raster, ax - tx, ay - ty, ax + tx, ay + ty, c, thickness)
                line(&raster, bx - tx, by - ty, bx + tx, by + ty, c, thickness)
                label(text, atX: (a.x + b.x) / 2, y: (a.y + b.y) / 2, color: c)
            }
        }
        return labels
    }

    func blend(_ h: ScalarOverlay, onto raster: inout RGBImage) {
        let map = (h.colorMap ?? theme.heatmap).table
        let threshold = h.threshold ?? theme.heatmapThreshold
        let opacity = h.opacity ?? theme.heatmapOpacity
        let w = raster.width, ht = raster.height, ch = raster.channels
        let fx = Double(h.width) / Double(w), fy = Double(h.height) / Double(ht)
        raster.withUnsafeMutablePixels { p in
            for y in 0..<ht {
                for x in 0..<w {
                    let v = h.sample((Double(x) + 0.5) * fx, (Double(y) + 0.5) * fy)
                    if v < threshold || !(v == v) { continue }
                    let c = map[v >= 1 ? 255 : Int(v * 255 + 0.5)]
                    let i = (y * w + x) * ch
                    p[i] = UInt8(Float(p[i]) * (1 - opacity) + Float(c.r) * opacity + 0.5)
                    p[i + 1] = UInt8(Float(p[i + 1]) * (1 - opacity) + Float(c.g) * opacity + 0.5)
                    p[i + 2] = UInt8(Float(p[i + 2]) * (1 - opacity) + Float(c.b) * opacity + 0.5)
                    if ch == 4 { p[i + 3] = 255 }
                }
            }
        }
    }

    /// A line of `thickness` samples (square brush), clipped to the raster.
    func line(_ raster: inout RGBImage, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ c: RGBColor, _ thickness: Int) {
        let steps = max(1, Int(max(abs(x1 - x0), abs(y1 - y0)).rounded(.up)))
        let w = raster.width, h = raster.height, ch = raster.channels
        let r0 = -(thickness - 1) / 2
        raster.withUnsafeMutablePixels { p in
            for s in 0...steps {
                let t = Double(s) / Double(steps)
                let cx = Int((x0 + (x1 - x0) * t).rounded(.down)), cy = Int((y0 + (y1 - y0) * t).rounded(.down))
                for dy in r0..<(r0 + thickness) {
                    for dx in r0..<(r0 + thickness) {
                        let x = cx + dx, y = cy + dy
                        guard x >= 0, y >= 0, x < w, y < h else { continue }
                        let i = (y * w + x) * ch
                        p[i] = c.r; p[i + 1] = c.g; p[i + 2] = c.b
                        if ch == 4 { p[i + 3] = 255 }
                    }
                }
            }
        }
    }
}
