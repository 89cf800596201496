/// Keys that change what the viewer shows: the series, the layout, the plane, the prior exam.
/// Each changes `ViewerDisplay` and stores it back before asking the state what it now shows
/// (which series to load, the slice count of the new plane).
func performNavigation(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard var display = state.viewer?.display else { return [] }
    switch action {
    case .nextSeries, .previousSeries:
        guard let n = state.currentEntry?.study.series.count, n > 0 else { return [] }
        let viewports = state.isComparisonLayout ? (display.layout == .sideBySide ? 2 : 4) : 0
        display.stepSeries(action == .nextSeries ? 1 : -1, of: n, comparison: viewports)
        state.viewer?.display = display
        if viewports > 1, let s = state.currentSeries {
            state.message = "Viewport \(display.activeViewport + 1): \(state.shownDescription(s.first.seriesDescription))"
        }
        return seriesToLoad(state).map { .loadSeries(seriesUID: $0) } + [.saveSession(sessionState(state))]
    case .cycleLayout:
        guard !display.hanging else { state.message = "Mammography uses its hanging protocol"; return [] }
        display.cycleLayout()
        state.viewer?.display = display
        state.message = "Layout \(display.layout.rawValue)" + (display.layout == .mpr ? " (w: next plane)" : "")
        return seriesToLoad(state).map { .loadSeries(seriesUID: $0) }
    case .cycleOrientation:
        guard state.currentStack?.isVolume == true else { state.message = "Reformats need a volume"; return [] }
        let o = display.nextOrientation
        display.selectPlane(o)
        state.viewer?.display = display
        // A plane not visited yet starts in the middle (the count is the new plane's).
        if let s = state.currentSeries, display.slices[ViewerDisplay.sliceKey(s.seriesInstanceUID, o)] == nil {
            let middle = state.currentSliceCount / 2
            state.viewer?.display.setSlice(middle, series: s.seriesInstanceUID)
        }
        state.message = "Plane: \(o.rawValue)"
    case .togglePrior:
        guard display.hanging else { state.message = "Prior comparison is for mammography"; return [] }
        guard display.priorStudyUID != nil else { state.message = "No prior exam"; return [] }
        display.showPrior.toggle()
        state.viewer?.display = display
        state.message = display.showPrior ? "Showing prior exam" : "Showing current exam"
        return seriesToLoad(state).map { .loadSeries(seriesUID: $0) }
    default: break
    }
    return []
}
