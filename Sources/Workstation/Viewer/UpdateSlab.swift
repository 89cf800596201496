import Imaging

/// Slab and reference-line keys: `M` slab on/off, `P` projection, `(` `)` thickness, `y` lines.
func performSlab(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard var v = state.viewer else { return [] }
    defer { state.viewer = v }
    if action == .toggleReferenceLines {
        v.referenceLines.toggle()
        state.message = v.referenceLines ? "Reference lines on" : "Reference lines off"
        if v.referenceLines, v.layout == .single || v.hanging { state.message += " (they show in the 1×2, 2×2 and MPR layouts)" }
        return []
    }
    guard !v.hanging, let stack = state.currentStack else { state.message = "Slabs need a loaded CT or MR series"; return [] }
    guard stack.isVolume, let axial = AxialStack(stack) else { state.message = "Slabs need a volume (several slices of one size)"; return [] }
    switch action {
    case .toggleSlab: v.slab.isOn.toggle()
    case .cycleProjection: v.slab.projection = v.slab.projection.next; v.slab.isOn = true
    case .slabThicker: v.slab.step(thicker: true); v.slab.isOn = true
    case .slabThinner: v.slab.step(thicker: false); v.slab.isOn = true
    default: return []
    }
    guard v.slab.isOn else { state.message = "Slab off"; return [] }
    // Say now what the viewer would otherwise fall back from silently (no spacing along the normal).
    do {
        let range = try axial.slabRange(PlaneOrientation(v.orientation), state.currentSlice, thickness: v.slab.thicknessMM)
        state.message = "Slab \(v.slab.label) (\(range.count) \(v.orientation == .axial ? "slices" : "planes"))"
    } catch {
        state.message = "Slab: \(error)"
        v.slab.isOn = false
    }
    return []
}
