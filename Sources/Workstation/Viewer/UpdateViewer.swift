import Imaging
import Review
import TerminalGraphics

/// Viewer keys: slices, series, window, zoom, pan, cursor, layout, overlays.
func performViewer(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard state.viewer != nil else { state.mode = .worklist; return [] }
    switch action {
    case .back where state.teaching != nil && state.viewer?.tool == .pointer:
        return performTeaching(&state, .summary)
    case .back:
        if state.viewer?.tool != .pointer { state.viewer?.tool = .pointer; state.viewer?.measurement = nil; state.message = "Tool: pointer"; return [] }
        let uid = state.viewer!.studyUID
        state.mode = .worklist
        state.viewer = nil
        return [.audit(action: "close", studyUID: uid, detail: ""), .saveSession(sessionState(state))]
    case .nextSlice: return stepSlice(&state, 1)
    case .previousSlice: return stepSlice(&state, -1)
    case .nextSlicePage: return stepSlice(&state, 10)
    case .previousSlicePage: return stepSlice(&state, -10)
    case .firstSlice: return stepSlice(&state, -Int(Int32.max))
    case .lastSlice: return stepSlice(&state, Int(Int32.max))
    case .nextSeries, .previousSeries:
        guard let n = state.currentEntry?.study.series.count, n > 0 else { return [] }
        let i = state.viewer!.seriesIndex + (action == .nextSeries ? 1 : -1)
        state.viewer!.seriesIndex = (i + n) % n
        state.viewer!.pan = nil; state.viewer!.cursor = nil; state.viewer!.zoom = 1
        return seriesToLoad(state).map { .loadSeries(seriesUID: $0) } + [.saveSession(sessionState(state))]
    case .cine:
        state.viewer!.cine.toggle()
        state.message = state.viewer!.cine ? "Cine on" : "Cine off"
    case .widthUp, .widthDown, .widthUpCoarse, .widthDownCoarse, .levelUp, .levelDown, .levelUpCoarse, .levelDownCoarse:
        adjustWindow(&state, action)
    case .preset1, .preset2, .preset3, .preset4, .preset5, .preset6:
        let k = [Action.preset1, .preset2, .preset3, .preset4, .preset5, .preset6].firstIndex(of: action)!
        let p = VOITransform.Window.presets[k]
        state.viewer!.window = p.window
        state.message = "Window: \(p.name) \(p.window)"
    case .defaultWindow:
        state.viewer!.window = nil
        state.message = "Window: file default"
    case .invert: state.viewer!.invert.toggle()
    case .reset:
        state.viewer!.window = nil; state.viewer!.invert = false; state.viewer!.zoom = 1; state.viewer!.pan = nil
        state.viewer!.measurement = nil; state.viewer!.tool = .pointer
        state.message = "Reset"
    case .fit: state.viewer!.zoom = 1; state.viewer!.pan = nil
    case .zoomIn: state.viewer!.zoom = min(16, state.viewer!.zoom * 1.5)
    case .zoomOut: state.viewer!.zoom = max(1, state.viewer!.zoom / 1.5)
    case .panLeft, .panRight, .panUp, .panDown:
        guard let f = state.currentFrame else { return [] }
        let step = Double(max(f.width, f.height)) / (8 * state.viewer!.zoom)
        var c = state.viewer!.pan ?? ImagePoint(x: Double(f.width) / 2, y: Double(f.height) / 2)
        switch action {
        case .panLeft: c.x -= step
        case .panRight: c.x += step
        case .panUp: c.y -= step
        default: c.y += step
        }
        c.x = min(max(0, c.x), Double(f.width)); c.y = min(max(0, c.y), Double(f.height))
        state.viewer!.pan = c
    case .cursorLeft, .cursorRight, .cursorUp, .cursorDown:
        guard let f = state.currentFrame else { return [] }
        let step = max(1, Double(max(f.width, f.height)) / (64 * state.viewer!.zoom))
        var c = state.viewer!.cursor ?? ImagePoint(x: Double(f.width) / 2, y: Double(f.height) / 2)
        switch action {
        case .cursorLeft: c.x -= step
        case .cursorRight: c.x += step
        case .cursorUp: c.y -= step
        default: c.y += step
        }
        c.x = min(max(0, c.x), Double(f.width - 1)); c.y = min(max(0, c.y), Double(f.height - 1))
        state.viewer!.cursor = c
    case .cycleLayout:
        guard !state.viewer!.hanging else { state.message = "Mammography uses its hanging protocol"; return [] }
        let all = ViewerState.Layout.allCases
        state.viewer!.layout = all[((all.firstIndex(of: state.viewer!.layout) ?? 0) + 1) % all.count]
        state.viewer!.activeViewport = 0
        state.message = "Layout \(state.viewer!.layout.rawValue)" + (state.viewer!.layout == .mpr ? " (w: next plane)" : "")
        return seriesToLoad(state).map { .loadSeries(seriesUID: $0) }
    case .cycleOrientation:
        guard state.currentStack?.isVolume == true else { state.message = "Reformats need a volume"; return [] }
        let all = ViewerState.Orientation.allCases
        let o = all[((all.firstIndex(of: state.viewer!.orientation) ?? 0) + 1) % all.count]
        state.viewer!.orientation = o
        state.viewer!.pan = nil; state.viewer!.cursor = nil; state.viewer!.zoom = 1
        if let s = state.currentSeries, state.viewer!.slices[state.sliceKey(s.seriesInstanceUID, o)] == nil {
            state.viewer!.slices[state.sliceKey(s.seriesInstanceUID, o)] = state.currentSliceCount / 2
        }
        state.message = "Plane: \(o.rawValue)"
    case .togglePrior:
        guard state.viewer!.hanging else { state.message = "Prior comparison is for mammography"; return [] }
        guard state.viewer!.priorStudyUID != nil else { state.message = "No prior exam"; return [] }
        state.viewer!.showPrior.toggle()
        state.message = state.viewer!.showPrior ? "Showing prior exam" : "Showing current exam"
        return seriesToLoad(state).map { .loadSeries(seriesUID: $0) }
    case .toggleAnnotations: state.viewer!.annotations.toggle()
    case .toggleSlab, .cycleProjection, .slabThicker, .slabThinner, .toggleReferenceLines:
        return performSlab(&state, action)
    case .toggleLink, .linkHere, .toggleLinkWindow:
        return performLink(&state, action)
    case .tagBrowser:
        guard let f = state.currentFrame, !f.path.isEmpty else { state.message = "No image"; return [] }
        return [.loadTags(path: f.path)]
    case .measure:
        guard let f = state.currentFrame else { return [] }
        let p = state.viewer!.cursor ?? ImagePoint(x: Double(f.width) / 2, y: Double(f.height) / 2)
        if case .measure(let start?) = state.viewer!.tool {
            state.viewer!.measurement = (start, p)
            state.viewer!.tool = .pointer
            state.message = "Distance \(formatMM(distanceMM(start, p, f)))"
        } else {
            state.viewer!.tool = .measure(start: p)
            state.viewer!.measurement = nil
            state.message = "Measure: move the cursor to the other end, press m"
        }
    case .showWithheld:
        guard state.currentEntry?.aiResult?.abstained == true else { state.message = "The AI did not abstain on this study"; return [] }
        if state.isBlinded(state.viewer!.studyUID) { state.message = "AI hidden until the reveal (R)"; return [] }
        state.viewer!.showWithheld.toggle()
        state.message = state.viewer!.showWithheld ? "Showing withheld AI output: outside the model's validated range, marked OOD"
            : "Withheld AI output hidden"
    case .toggleAI:
        if state.isBlinded(state.viewer!.studyUID) { state.message = "AI hidden until the reveal (R)"; return [] }
        state.viewer!.aiOverlay.toggle()
        state.message = state.viewer!.aiOverlay ? "AI overlay on" : "AI overlay off"
    case .toggleHeatmap:
        state.viewer!.heatmap.toggle()
        state.message = state.viewer!.heatmap ? "Heatmap on" : "Heatmap off"
    case .toggleOutlines:
        state.viewer!.outlines.toggle()
        state.message = state.viewer!.outlines ? "Outlines on" : "Outlines off"
    case .cycleOpacity:
        let steps = [0.25, 0.5, 0.75, 1.0]
        let i = steps.firstIndex { $0 > state.viewer!.opacity + 1e-9 } ?? 0
        state.viewer!.opacity = steps[i]
        state.message = "Overlay opacity \(Int(steps[i] * 100))%"
    case .nextFinding, .previousFinding, .accept, .reject, .correct, .addPoint, .addBox, .undo, .signOff:
        return performReview(&state, action)
    case .nextViewport, .assess, .reveal, .nextCase, .previousCase, .summary:
        return performWorkflow(&state, action)
    default: break
    }
    return []
}

/// Moves the slice by `delta`, clamped; saves the position so a restart resumes here.
func stepSlice(_ state: inout AppState, _ delta: Int) -> [Effect] {
    guard state.viewer?.hanging == false else { return [] }
    let n = state.currentSliceCount
    guard n > 0 else { return [] }
    let target = min(max(0, state.currentSlice + max(-n, min(n, delta))), n - 1)
    guard target != state.currentSlice else { return [] }
    setSlice(&state, target)
    return [.saveSession(sessionState(state))]
}

func setSlice(_ state: inout AppState, _ index: Int) {
    guard let s = state.currentSeries, let o = state.viewer?.orientation else { return }
    state.viewer!.slices[state.sliceKey(s.seriesInstanceUID, o)] = index
    syncLinkedSlices(&state)
}

/// Window steps scale with the current width, so they suit CT (HU) and 14-bit mammograms alike.
func adjustWindow(_ state: inout AppState, _ action: Action) {
    var w = state.effectiveWindow(state.currentFrame)
    let fine = max(1, w.width * 0.05), coarse = max(1, w.width * 0.25)
    switch action {
    case .widthUp: w.width += fine
    case .widthDown: w.width = max(1, w.width - fine)
    case .widthUpCoarse: w.width += coarse
    case .widthDownCoarse: w.width = max(1, w.width - coarse)
    case .levelUp: w.center += fine
    case .levelDown: w.center -= fine
    case .levelUpCoarse: w.center += coarse
    case .levelDownCoarse: w.center -= coarse
    default: break
    }
    w.width = w.width.rounded(); w.center = w.center.rounded()
    state.viewer!.window = w
    state.message = "W/L \(w)"
}

/// Distance in mm between two image points of a frame; nil when it has no pixel spacing.
func distanceMM(_ a: ImagePoint, _ b: ImagePoint, _ f: StackFrame) -> Double? {
    f.geometry.distanceMM(from: (a.x, a.y), to: (b.x, b.y))
}

/// "12.3 mm", or "n/a (no pixel spacing)".
func formatMM(_ d: Double?) -> String { PixelGeometry.describe(d) }

/// Mouse in the viewer: wheel scrolls slices, click selects a viewport and sets the cursor (and
/// the measurement or box ends with those tools), left-drag adjusts W/L.
func updateViewerMouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
    switch event.kind {
    case .wheelUp: return stepSlice(&state, -1)
    case .wheelDown: return stepSlice(&state, 1)
    case .press, .rightPress:
        let vps = state.viewports
        guard let k = vps.firstIndex(where: { $0.rect.contains(row: event.row, column: event.column) }) else {
            return []
        }
        if state.viewer!.hanging { state.viewer!.activeViewport = k }
        else if state.viewer!.layout == .mpr { selectMPRPlane(&state, vps[k].orientation) }
        else if k > 0, let e = state.currentEntry {
            state.viewer!.seriesIndex = min(e.study.series.count - 1, state.viewer!.seriesIndex + k)
        }
        let ports = state.viewports
        guard let vp = state.viewer!.hanging || state.viewer!.layout == .mpr ? (ports.indices.contains(k) ? ports[k] : nil) : ports.first else { return [] }
        guard let g = state.geometry(vp), let p = g.imagePoint(row: event.row, column: event.column) else { return [] }
        state.viewer!.cursor = p
        if event.kind == .press {
            state.viewer!.dragOrigin = (event.row, event.column, state.effectiveWindow(vp.frame))
            switch state.viewer!.tool {
            case .measure: return performViewer(&state, .measure)
            case .box: return performReview(&state, .addBox)
            case .pointer: break
            }
        }
        return []
    case .drag:
        guard let o = state.viewer?.dragOrigin else { return [] }
        var w = o.window
        let scale = max(1, o.window.width / 50)
        w.width = max(1, (o.window.width + Double(event.column - o.column) * scale).rounded())
        w.center = (o.window.center + Double(event.row - o.row) * scale).rounded()
        state.viewer!.window = w
        state.message = "W/L \(w)"
        return []
    case .release:
        state.viewer?.dragOrigin = nil
        return []
    }
}
