import Analysis
import Imaging
import Review
import TerminalGraphics

/// Turns a frame and the viewer's display settings into the RGB image and overlays a viewport
/// shows: window/level, invert, zoom/pan crop, mirroring, findings, cursor and measurement, and
/// the reference lines of the `others` viewports' planes.
enum ImageComposer {
    static func compose(_ state: AppState, _ vp: Viewport, _ g: ImageGeometry, others: [Viewport] = []) -> (RGBImage, [Overlay])? {
        guard let f = vp.frame, let v = state.viewer else { return nil }
        let x0 = Int(g.cropX), y0 = Int(g.cropY)
        let w = max(1, min(f.width - x0, Int(g.cropWidth.rounded()))), h = max(1, min(f.height - y0, Int(g.cropHeight.rounded())))
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        if f.isColor {
            for y in 0 ..< h {
                for x in 0 ..< w {
                    let sx = g.mirror ? x0 + w - 1 - x : x0 + x
                    let s = ((y0 + y) * f.width + sx) * 3, d = (y * w + x) * 3
                    guard s + 2 < f.rgb.count else { continue }
                    for c in 0 ..< 3 { rgb[d + c] = v.display.invert ? 255 - f.rgb[s + c] : f.rgb[s + c] }
                }
            }
        } else {
            let win = state.effectiveWindow(f)
            let lo = win.center - win.width / 2
            let scale = 255 / max(1e-6, win.width)
            let flip = f.monochrome1 != v.display.invert
            for y in 0 ..< h {
                for x in 0 ..< w {
                    let sx = g.mirror ? x0 + w - 1 - x : x0 + x
                    let i = (y0 + y) * f.width + sx
                    guard i < f.values.count else { continue }
                    let t = (Double(f.values[i]) - lo) * scale
                    var b = UInt8(t.isFinite ? min(255, max(0, t)) : 0)
                    if flip { b = 255 - b }
                    let d = (y * w + x) * 3
                    rgb[d] = b; rgb[d + 1] = b; rgb[d + 2] = b
                }
            }
        }
        // A frame whose spacing gives no usable aspect ratio is not drawn (it used to trap).
        guard let image = try? RGBImage(width: w, height: h, pixels: rgb, pixelAspectRatio: f.aspect) else { return nil }
        var overlays = overlays(state, vp, frame: f, x0: Double(x0), y0: Double(y0), width: Double(w), height: Double(h), mirror: g.mirror)
        overlays += ReferenceLines.overlays(state, vp, others: others, x0: Double(x0), y0: Double(y0), width: Double(w), mirror: g.mirror)
        return (image, overlays)
    }

    /// The part of the model's map under the crop, on the crop's pixels and mirrored like the
    /// image: each pixel takes the map's bilinear value at its source pixel (`sourceValue`), so
    /// only what is shown is computed. A map made for another grid than the frame's is scaled to it.
    static func cropHeatmap(_ h: ModelGridHeatmap, frame f: StackFrame, x0: Double, y0: Double, width: Double, height: Double,
                            mirror: Bool, opacity: Float) -> ScalarOverlay? {
        let w = max(1, Int(width.rounded()))
        let hgt = max(1, Int(height.rounded()))
        let sx = Double(h.sourceColumns) / Double(max(1, f.width)), sy = Double(h.sourceRows) / Double(max(1, f.height))
        var values = [Float](repeating: 0, count: w * hgt)
        for y in 0 ..< hgt {
            let hy = min(h.sourceRows - 1, max(0, Int((y0 + Double(y) + 0.5) * sy)))
            for x in 0 ..< w {
                let ix = mirror ? Int(x0) + w - 1 - x : Int(x0) + x
                let hx = min(h.sourceColumns - 1, max(0, Int((Double(ix) + 0.5) * sx)))
                values[y * w + x] = h.sourceValue(x: Double(hx), y: Double(hy))
            }
        }
        return ScalarOverlay(width: w, height: hgt, values: values, opacity: opacity)
    }

    /// Teaching: the sidecar's lesions on this image once the answer shows, as boxes labelled
    /// "GT n" (with the label in presenter mode).
    static func groundTruthOverlays(_ state: AppState, frame f: StackFrame, pt: (Double, Double) -> OverlayPoint) -> [Overlay] {
        guard let t = state.teaching, let v = state.viewer, t.revealed.contains(v.studyUID), let c = t.teachingCase(v.studyUID),
              !f.sopUID.isEmpty else { return [] }
        let spacing = f.geometry.spacing
        var out: [Overlay] = []
        for (i, lesion) in c.lesions.enumerated() {
            for a in lesion.appearances where a.sopUID == f.sopUID {
                // The scoring circle when the frame has spacing; without it (and no sidecar box) only a
                // small marker on the centre, labelled so, since no size in pixels can be known.
                let r = max(lesion.radiusMM, TeachingScore.minimumRadiusMM)
                let half = spacing.map { (x: r / $0.column, y: r / $0.row) } ?? (x: 3, y: 3)
                var x0 = a.x - half.x, y0 = a.y - half.y
                var x1 = a.x + half.x, y1 = a.y + half.y
                var sized = spacing != nil
                if let b = a.box, b.count == 4 { x0 = b[0]; y0 = b[1]; x1 = b[2]; y1 = b[3]; sized = true }
                let p0 = pt(x0, y0), p1 = pt(x1, y1)
                let label = "GT \(i + 1)" + (t.presenter ? ": \(lesion.label)" : "") + (sized ? "" : " (\(PixelGeometry.missingSpacingText))")
                out.append(.box(x: min(p0.x, p1.x), y: min(p0.y, p1.y), width: abs(p1.x - p0.x), height: abs(p1.y - p0.y),
                                color: .rgb(RGBColor(r: 0x40, g: 0xe0, b: 0x40)), label: label))
            }
        }
        return out
    }

    /// Overlays in crop coordinates.
    static func overlays(_ state: AppState, _ vp: Viewport, frame f: StackFrame, x0: Double, y0: Double, width: Double, height: Double, mirror: Bool) -> [Overlay] {
        guard let v = state.viewer else { return [] }
        func pt(_ x: Double, _ y: Double) -> OverlayPoint {
            OverlayPoint(x: mirror ? width - (x - x0) : x - x0, y: y - y0)
        }
        var out: [Overlay] = []
        let blinded = state.currentEntry.map { state.isBlinded($0.uid) } ?? true
        let ai = state.currentEntry?.aiResult
        // A map made on another sequence at this anatomy (MR: the DWI's map on ADC, FLAIR, T1).
        let echo = blinded || f.sopUID.isEmpty ? nil : OverlayEcho.source(for: f, stacks: state.stacks, heatmaps: ai?.heatmaps ?? [:])
        if v.overlay.ai, v.overlay.heatmap, !blinded, !f.sopUID.isEmpty,
           let h = ai.flatMap({ f.aiMap(in: $0.heatmaps) }) ?? (v.overlay.showWithheld ? ai.flatMap { f.aiMap(in: $0.withheldHeatmaps) } : nil)
               ?? echo?.heatmap,
           let overlay = cropHeatmap(h, frame: f, x0: x0, y0: y0, width: width, height: height, mirror: mirror,
                                     opacity: Float(v.overlay.opacity)) {
            out.append(.heatmap(overlay))
        }
        let selectedKey = state.selectedFinding?.key
        if !f.sopUID.isEmpty {
            for finding in state.findings where f.shows(finding) || echo?.frame.shows(finding) == true {
                let echoed = !f.shows(finding)
                // A finding without a place on the image (an SR without coordinates) is listed, not drawn.
                guard let centerX = finding.centerX, let centerY = finding.centerY else { continue }
                if finding.origin == .ai && !(v.overlay.ai && v.overlay.outlines) { continue }
                let decision = v.review.decisions[finding.key]
                if decision?.kind == .reject { continue }
                let color: OverlayColor = finding.origin == .reader ? .marker : (finding.risk.map { .risk($0) } ?? .box)
                let labelAll = state.teaching?.presenter == true
                let label = finding.key == selectedKey || labelAll
                    ? TextSanitizer.sanitize(finding.label) + (echoed ? " (\(echo?.label ?? "echo"))" : "") : nil
                if finding.width > 0, finding.height > 0 {
                    let p = pt(centerX - (mirror ? -finding.width : finding.width) / 2, centerY - finding.height / 2)
                    out.append(.box(x: p.x, y: p.y, width: finding.width, height: finding.height, color: color, label: label))
                } else {
                    out.append(.marker(pt(centerX, centerY), color: color, label: label))
                }
            }
        }
        out += groundTruthOverlays(state, frame: f, pt: pt)
        if v.overlay.ai, !blinded, let prior = state.priorBesideSeries, vp.stackUID == prior.seriesInstanceUID, let plane = vp.plane {
            let spacing = state.stacks[vp.stackUID]?.sliceSpacing ?? 1
            for m in state.priorMarks(on: plane, sliceSpacing: spacing) { out.append(.marker(pt(m.x, m.y), color: .box, label: m.label)) }
        }
        if vp.isActive {
            if let m = v.tools.measurement {
                out.append(.measurement(from: pt(m.0.x, m.0.y), to: pt(m.1.x, m.1.y), label: formatMM(distanceMM(m.0, m.1, f))))
            }
            if let c = v.display.cursor { out.append(.marker(pt(c.x, c.y), color: .measurement, label: nil)) }
        }
        return out
    }
}
