import Imaging

/// Slab and reference-line keys: `M` slab on/off, `P` projection, `(` `)` thickness, `y` lines.
func performSlab(_ state: inout AppState, _ action: Action) -> [Effect] {
    // Only the display changes, and nothing read below depends on the slab or the lines.
    guard var display = state.viewer?.display else { return [] }
    defer { state.viewer?.display = display }
    if action == .toggleReferenceLines {
        display.referenceLines.toggle()
        state.message = display.referenceLines ? "Reference lines on" : "Reference lines off"
        if display.referenceLines, display.layout == .single || display.hanging { state.message += " (they show in the 1×2, 2×2 and MPR layouts)" }
        return []
    }
    guard !display.hanging, let stack = state.currentStack else { state.message = "Slabs need a loaded CT or MR series"; return [] }
    guard stack.isVolume, let axial = AxialStack(stack) else { state.message = "Slabs need a volume (several slices of one size)"; return [] }
    switch action {
    case .toggleSlab: display.slab.isOn.toggle()
    case .cycleProjection: display.slab.projection = display.slab.projection.next; display.slab.isOn = true
    case .slabThicker: display.slab.step(thicker: true); display.slab.isOn = true
    case .slabThinner: display.slab.step(thicker: false); display.slab.isOn = true
    default: return []
    }
    guard display.slab.isOn else { state.message = "Slab off"; return [] }
    // Say now what the viewer would otherwise fall back from silently (no spacing along the normal).
    do {
        let range = try axial.slabRange(PlaneOrientation(display.orientation), state.currentSlice, thickness: display.slab.thicknessMM)
        state.message = "Slab \(display.slab.label) (\(range.count) \(display.orientation == .axial ? "slices" : "planes"))"
    } catch {
        state.message = "Slab: \(error)"
        display.slab.isOn = false
    }
    return []
}
