/// Mouse in the viewer: wheel scrolls slices, click selects a viewport and sets the cursor (and
/// the measurement or box ends with those tools), left-drag adjusts W/L.
func updateViewerMouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
    guard let viewer = state.viewer else { return [] }
    let display = viewer.display
    switch event.kind {
    case .wheelUp: return stepSlice(&state, -1)
    case .wheelDown: return stepSlice(&state, 1)
    case .press, .rightPress:
        let vps = state.viewports
        guard let k = vps.firstIndex(where: { $0.rect.contains(row: event.row, column: event.column) }) else {
            return []
        }
        if display.hanging { state.viewer?.display.activeViewport = k }
        else if display.layout == .mpr { selectMPRPlane(&state, vps[k].orientation) }
        else if k > 0, let e = state.currentEntry {
            state.viewer?.display.seriesIndex = min(e.study.series.count - 1, display.seriesIndex + k)
        }
        // The viewports again: the click may have changed the active one, the plane or the series.
        let ports = state.viewports
        guard let vp = display.hanging || display.layout == .mpr ? (ports.indices.contains(k) ? ports[k] : nil) : ports.first else { return [] }
        guard let g = state.geometry(vp), let p = g.imagePoint(row: event.row, column: event.column) else { return [] }
        state.viewer?.display.cursor = p
        if event.kind == .press {
            let window = state.effectiveWindow(vp.frame)
            state.viewer?.tools.dragOrigin = (event.row, event.column, window)
            switch viewer.tools.tool {
            case .measure: return performViewer(&state, .measure)
            case .box: return performReview(&state, .addBox)
            case .pointer: break
            }
        }
        return []
    case .drag:
        guard let o = viewer.tools.dragOrigin else { return [] }
        var w = o.window
        let scale = max(1, o.window.width / 50)
        w.width = max(1, (o.window.width + Double(event.column - o.column) * scale).rounded())
        w.center = (o.window.center + Double(event.row - o.row) * scale).rounded()
        state.viewer?.display.window = w
        state.message = "W/L \(w)"
        return []
    case .release:
        state.viewer?.tools.dragOrigin = nil
        return []
    }
}
