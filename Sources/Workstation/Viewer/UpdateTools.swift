/// The measure key (`m`): the first press starts a measurement at the cursor (or the image
/// centre), the second ends it there and says the distance in mm.
func measure(_ state: inout AppState) {
    guard let viewer = state.viewer, let f = state.currentFrame else { return }
    let p = viewer.display.cursorOrCentre(width: f.width, height: f.height)
    if let (start, end) = state.viewer?.tools.measure(at: p) {
        state.message = "Distance \(formatMM(distanceMM(start, end, f)))"
    } else {
        state.message = "Measure: move the cursor to the other end, press m"
    }
}
