import Foundation
import Imaging
import TerminalGraphics

/// The viewer: header (patient, study, banner), series strip, the viewports with corner
/// annotations, the findings panel and the status line.
enum ViewerView {
    static func draw(_ state: AppState, into screen: inout Screen) {
        guard let v = state.viewer, let e = state.currentEntry else { return }
        let h = e.study.first
        screen.fill(row: ScreenLayout.headerRow, column: 0, rows: 1, columns: screen.columns, style: .header)
        let date = state.deidentify ? "" : "  " + Text.date(h.studyDate)
        var title = "\(state.patientLabel(e))\(date)  \(state.shownDescription(h.studyDescription))"
        if let t = state.teaching { title = "CASE \(t.index + 1)/\(t.cases.count) · " + title }
        if state.workflow == .secondReader { title += state.isBlinded(e.uid) ? "  · SECOND READER: blinded first read" : "  · SECOND READER: AI revealed" }
        if state.workflow == .arbitration { title += "  · ARBITRATION" }
        screen.put(title, row: 0, column: 1, style: .header)
        if let r = e.aiResult, r.notForClinicalUse, v.overlay.ai, !state.isBlinded(e.uid) {
            let banner = " AI: \(TextSanitizer.sanitize(r.model?.id ?? "model")) — NOT FOR CLINICAL USE "
            screen.put(banner, row: 0, column: max(0, screen.columns - Text.width(banner) - 1), style: .banner)
        }
        drawSeriesStrip(state, e, into: &screen)
        let viewports = state.viewports
        for (k, vp) in viewports.enumerated() {
            drawViewport(state, vp, others: viewports.enumerated().filter { $0.offset != k }.map(\.element), into: &screen)
        }
        if state.teaching != nil { TeachingPanel.draw(state, into: &screen) } else { FindingsPanel.draw(state, into: &screen) }
        let f = state.currentFrame
        var parts = ["tool: \(v.tools.tool.name)"]
        if f?.isColor == false { parts.append("W/L \(state.effectiveWindow(f))") }
        if !v.display.hanging { parts.append("slice \(state.currentSlice + 1)/\(state.currentSliceCount)") }
        if let c = v.display.cursor, let f, let value = f.value(x: Int(c.x), y: Int(c.y)) {
            parts.append("(\(Int(c.x)),\(Int(c.y))) \(formatValue(value, modality: e.study.first.modality))")
        }
        StatusLine.draw(state, into: &screen, left: parts.joined(separator: "  "))
    }

    static func formatValue(_ v: Float, modality: String) -> String {
        let s = v.rounded() == v ? String(Int(v)) : String(format: "%.1f", v)
        return modality == "CT" ? "\(s) HU" : s
    }

    static func drawSeriesStrip(_ state: AppState, _ e: StudyEntry, into screen: inout Screen) {
        guard let v = state.viewer else { return }
        var x = 1
        for (i, s) in e.study.series.enumerated() {
            let h = s.first
            let progress = state.loading[s.seriesInstanceUID].map { " " + Text.percent($0) } ?? ""
            let label = " \(h.seriesNumber.map(String.init) ?? "-") \(h.modality) \(state.shownDescription(h.seriesDescription)) (\(s.instanceCount))\(progress) "
            let text = Text.prefix(label, 40)
            screen.put(text, row: ScreenLayout.seriesRow, column: x, style: i == v.display.seriesIndex ? .selected : .dim)
            x += Text.width(text) + 1
            if x >= screen.columns { break }
        }
        if v.display.hanging {
            let prior = v.display.priorStudyUID == nil ? "no prior" : (v.display.showPrior ? "PRIOR shown (p)" : "prior available (p)")
            let text = " hanging: RCC|LCC / RMLO|LMLO · \(prior) "
            screen.put(text, row: ScreenLayout.seriesRow, column: max(x, screen.columns - ScreenLayout.panelWidth(state) - Text.width(text) - 1), style: .accent)
        }
    }

    static func drawViewport(_ state: AppState, _ vp: Viewport, others: [Viewport] = [], into screen: inout Screen) {
        guard let v = state.viewer, let e = state.currentEntry else { return }
        let r = vp.rect
        guard let f = vp.frame, let g = state.geometry(vp), let (image, overlays) = ImageComposer.compose(state, vp, g, others: others) else {
            let text = state.loading[vp.stackUID].map { "Loading " + StatusLine.progressBar($0, width: 10) }
                ?? (state.stacks[vp.stackUID] == nil ? "Loading…" : "No image")
            screen.put(text, row: r.row + r.rows / 2, column: r.column + max(0, (r.columns - Text.width(text)) / 2), style: .dim)
            if v.display.hanging || v.display.layout == .mpr { screen.put(vp.title, row: r.row, column: r.column + 1, style: .accent) }
            return
        }
        screen.images.append(ImagePlacement(row: g.placement.row, column: g.placement.column, columns: g.placement.columns,
                                            rows: g.placement.rows, image: image, overlays: overlays))
        guard v.display.annotations, r.rows > 4 else { return }
        // The prior beside a follow-up is described by its own header (its date, its modality).
        let h = state.priorBesideSeries.flatMap { $0.seriesInstanceUID == vp.stackUID ? $0.first : nil } ?? e.study.first
        let right = r.column + r.columns
        func put(_ s: String, _ row: Int, alignRight: Bool, style: Style = .dim) {
            let text = Text.prefix(s, r.columns / 2 - 1)
            screen.put(text, row: row, column: alignRight ? right - Text.width(text) - 1 : r.column + 1, style: style)
        }
        let study = state.deidentify ? "" : Text.date(h.studyDate)
        put(vp.isActive && !v.display.hanging && v.display.layout != .mpr ? state.patientLabel(e) : vp.title, r.row, alignRight: false, style: vp.isActive ? .accent : .dim)
        // MR: the sequence and, for a series of several stacks (a DWI's b-values), which one is shown.
        let stack = state.stacks[vp.stackUID]
        let sequence = [stack?.sequence.map(\.rawValue), stack?.stackDescription].compactMap { $0 }.joined(separator: " ")
        put("\(study) \(TextSanitizer.sanitize(h.modality))\(sequence.isEmpty ? "" : " " + sequence)", r.row, alignRight: true)
        var position = vp.sliceCount > 1 ? "\(vp.orientation == .axial ? "Im" : vp.orientation.rawValue) \(vp.sliceIndex + 1)/\(vp.sliceCount)" : ""
        if state.isComparisonLayout, let p = vp.plane, vp.sliceCount > 1 {
            // Side by side: the slice position along the plane's own normal (what linked scrolling
            // matches) and the link marker come first, so a narrow viewport still shows them.
            position = String(format: "Z %.1f mm", SliceSync.position(of: p, along: p.normal)) + (state.isLinked(vp) ? " ⇄ " : " ") + position
        } else if vp.orientation == .axial, f.position.count == 3 { position += String(format: " z %.1f", f.position[2]) }
        if vp.mirror { position += " mirrored" }
        // Key image first, so a narrow viewport still shows it.
        if let ref = state.keyImageRef(vp), v.keyImages.isKey(ref) {
            position = (v.keyImages.isStored(ref) ? "★ KEY " : "★ KEY (KOS) ") + position
        }
        put(position, r.row + r.rows - 1, alignRight: false)
        let wl = f.isColor ? "" : "W \(Int(state.effectiveWindow(f).width)) L \(Int(state.effectiveWindow(f).center))"
        // The slab first: a narrow viewport cuts the end of this corner, and the slab must show.
        let slab = f.slabLabel.map { $0 + "  " } ?? ""
        put("\(slab)\(wl) zoom \(String(format: "%.1f", vp.isActive || v.display.link.windowAndZoom ? v.display.zoom : 1.0))×" + (v.display.invert ? " inv" : ""), r.row + r.rows - 1, alignRight: true)
    }
}
