/// The MPR 1×3 layout (axial | coronal | sagittal of one series): the active viewport is the
/// viewer's `orientation`, so slice keys, the cursor and the status line act on it unchanged.
func nextMPRViewport(_ state: inout AppState) -> [Effect] {
    guard let v = state.viewer else { return [] }
    let planes = state.viewports.map(\.orientation)
    guard planes.count > 1 else { state.message = "MPR needs a volume: one plane only"; return [] }
    let k = ((planes.firstIndex(of: v.display.orientation) ?? -1) + 1) % planes.count
    selectMPRPlane(&state, planes[k])
    return []
}

/// Makes `o` the active MPR plane; the reader's pan, zoom and cursor belong to the old one.
func selectMPRPlane(_ state: inout AppState, _ o: ViewerState.Orientation) {
    guard let v = state.viewer, v.display.orientation != o else { return }
    state.viewer?.display.selectPlane(o)
    state.message = "Active plane: \(o.rawValue)"
}
