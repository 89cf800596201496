/// Keys that change how the AI's output is drawn: the overlay, heatmap, outlines, opacity, and
/// what an abstaining AI withheld. A blinded read cannot turn the AI on (`isBlinded`).
func performOverlay(_ state: inout AppState, _ action: Action) {
    guard let viewer = state.viewer else { return }
    var overlay = viewer.overlay
    switch action {
    case .showWithheld:
        guard state.currentEntry?.aiResult?.abstained == true else { state.message = "The AI did not abstain on this study"; return }
        if state.isBlinded(viewer.studyUID) { state.message = "AI hidden until the reveal (R)"; return }
        overlay.showWithheld.toggle()
        state.message = overlay.showWithheld ? "Showing withheld AI output: outside the model's validated range, marked OOD"
            : "Withheld AI output hidden"
    case .toggleAI:
        if state.isBlinded(viewer.studyUID) { state.message = "AI hidden until the reveal (R)"; return }
        overlay.ai.toggle()
        state.message = overlay.ai ? "AI overlay on" : "AI overlay off"
    case .toggleHeatmap:
        overlay.heatmap.toggle()
        state.message = overlay.heatmap ? "Heatmap on" : "Heatmap off"
    case .toggleOutlines:
        overlay.outlines.toggle()
        state.message = overlay.outlines ? "Outlines on" : "Outlines off"
    case .cycleOpacity:
        let opacity = overlay.cycleOpacity()
        state.message = "Overlay opacity \(Int(opacity * 100))%"
    default: return
    }
    state.viewer?.overlay = overlay
}
