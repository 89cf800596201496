import Imaging
import Review
import TerminalGraphics

/// Viewer keys: each group of keys goes to the update function of the part of `ViewerState` it
/// changes. Every one binds the viewer once (`guard let … = state.viewer`) and does nothing when
/// no study is open; none force-unwraps it.
func performViewer(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard let viewer = state.viewer else { state.mode = .worklist; return [] }
    switch action {
    case .back where state.teaching != nil && viewer.tools.tool == .pointer:
        return performTeaching(&state, .summary)
    case .back:
        if viewer.tools.tool != .pointer { state.viewer?.tools.reset(); state.message = "Tool: pointer"; return [] }
        state.mode = .worklist
        state.viewer = nil
        return [.audit(action: "close", studyUID: viewer.studyUID, detail: ""), .saveSession(sessionState(state))]
    case .nextSlice: return stepSlice(&state, 1)
    case .previousSlice: return stepSlice(&state, -1)
    case .nextSlicePage: return stepSlice(&state, 10)
    case .previousSlicePage: return stepSlice(&state, -10)
    case .firstSlice: return stepSlice(&state, -Int(Int32.max))
    case .lastSlice: return stepSlice(&state, Int(Int32.max))
    case .nextSeries, .previousSeries, .cycleLayout, .cycleOrientation, .togglePrior:
        return performNavigation(&state, action)
    case .cine, .widthUp, .widthDown, .widthUpCoarse, .widthDownCoarse, .levelUp, .levelDown, .levelUpCoarse, .levelDownCoarse,
         .preset1, .preset2, .preset3, .preset4, .preset5, .preset6, .defaultWindow, .invert, .reset, .fit, .zoomIn, .zoomOut,
         .panLeft, .panRight, .panUp, .panDown, .cursorLeft, .cursorRight, .cursorUp, .cursorDown, .toggleAnnotations:
        performImageDisplay(&state, action)
    case .toggleSlab, .cycleProjection, .slabThicker, .slabThinner, .toggleReferenceLines:
        return performSlab(&state, action)
    case .toggleLink, .linkHere, .toggleLinkWindow:
        return performLink(&state, action)
    case .tagBrowser:
        guard let f = state.currentFrame, !f.path.isEmpty else { state.message = "No image"; return [] }
        return [.loadTags(path: f.path)]
    case .measure:
        measure(&state)
    case .showWithheld, .toggleAI, .toggleHeatmap, .toggleOutlines, .cycleOpacity:
        performOverlay(&state, action)
    case .nextFinding, .previousFinding, .accept, .reject, .correct, .addPoint, .addBox, .undo, .signOff:
        return performReview(&state, action)
    case .relinkPrior:
        return askPriorLink(&state)
    case .keyImage:
        return toggleKeyImage(&state)
    case .reportDraft:
        return openReportEditor(&state)
    case .nextViewport, .assess, .reveal, .nextCase, .previousCase, .summary:
        return performWorkflow(&state, action)
    default: break
    }
    return []
}

/// Moves the slice by `delta`, clamped; saves the position so a restart resumes here.
func stepSlice(_ state: inout AppState, _ delta: Int) -> [Effect] {
    guard state.viewer?.display.hanging == false else { return [] }
    let n = state.currentSliceCount
    guard n > 0 else { return [] }
    let target = min(max(0, state.currentSlice + max(-n, min(n, delta))), n - 1)
    guard target != state.currentSlice else { return [] }
    setSlice(&state, target)
    return [.saveSession(sessionState(state))]
}

/// Shows slice `index` of the current series in the current plane; linked viewports follow.
func setSlice(_ state: inout AppState, _ index: Int) {
    guard let s = state.currentSeries else { return }
    // In place through the optional: this runs per slice step and per cine tick.
    state.viewer?.display.setSlice(index, series: s.seriesInstanceUID)
    syncLinkedSlices(&state)
}

/// Distance in mm between two image points of a frame; nil when it has no pixel spacing.
func distanceMM(_ a: ImagePoint, _ b: ImagePoint, _ f: StackFrame) -> Double? {
    f.geometry.distanceMM(from: (a.x, a.y), to: (b.x, b.y))
}

/// "12.3 mm", or "n/a (no pixel spacing)".
func formatMM(_ d: Double?) -> String { PixelGeometry.describe(d) }
