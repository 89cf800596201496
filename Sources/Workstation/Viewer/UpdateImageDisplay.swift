import Imaging

/// Keys that change only how the current image looks: window/level and its presets, invert,
/// zoom, pan, the cursor, cine and the corner annotations. They read the current frame (before
/// any change) and change nothing but `ViewerDisplay`, which is stored back once at the end.
func performImageDisplay(_ state: inout AppState, _ action: Action) {
    guard var display = state.viewer?.display else { return }
    let frame = state.currentFrame
    defer { state.viewer?.display = display }
    switch action {
    case .cine:
        display.cine.toggle()
        state.message = display.cine ? "Cine on" : "Cine off"
    case .widthUp, .widthDown, .widthUpCoarse, .widthDownCoarse, .levelUp, .levelDown, .levelUpCoarse, .levelDownCoarse:
        let w = adjustedWindow(state.effectiveWindow(frame), action)
        display.window = w
        state.message = "W/L \(w)"
    case .preset1, .preset2, .preset3, .preset4, .preset5, .preset6:
        guard let k = [Action.preset1, .preset2, .preset3, .preset4, .preset5, .preset6].firstIndex(of: action) else { return }
        let p = VOITransform.Window.presets[k]
        display.window = p.window
        state.message = "Window: \(p.name) \(p.window)"
    case .defaultWindow:
        display.window = nil
        state.message = "Window: file default"
    case .invert: display.invert.toggle()
    case .reset:
        display.resetImage()
        state.viewer?.tools.reset()
        state.message = "Reset"
    case .fit: display.fit()
    case .zoomIn: display.zoomIn()
    case .zoomOut: display.zoomOut()
    case .panLeft, .panRight, .panUp, .panDown:
        guard let f = frame else { return }
        display.pan(direction(of: action), width: f.width, height: f.height)
    case .cursorLeft, .cursorRight, .cursorUp, .cursorDown:
        guard let f = frame else { return }
        display.moveCursor(direction(of: action), width: f.width, height: f.height)
    case .toggleAnnotations: display.annotations.toggle()
    default: break
    }
}

/// The screen direction of a pan or cursor key.
private func direction(of action: Action) -> ViewerDisplay.Direction {
    switch action {
    case .panLeft, .cursorLeft: return .left
    case .panRight, .cursorRight: return .right
    case .panUp, .cursorUp: return .up
    default: return .down
    }
}

/// Window steps scale with the current width, so they suit CT (HU) and 14-bit mammograms alike.
func adjustedWindow(_ window: VOITransform.Window, _ action: Action) -> VOITransform.Window {
    var w = window
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
    return w
}
