import Imaging

/// Synchronised comparison (issue 21): scrolling linked by patient position across the viewports
/// of a 1×2 or 2×2 layout, and optionally zoom.
///
/// Series that share a Frame of Reference UID are linked by position (offset 0); the others only
/// after the reader aligns them on one slice ("link here"), which records the difference of their
/// positions as an offset. The nearest-slice rule itself is Imaging's `SliceSync`.
struct SliceLinking: Sendable, Equatable {
    /// Stepping the active viewport moves the others to the same anatomy.
    var scroll = false
    /// Zoom applies to every viewport, not only the active one (W/L is one value for all already).
    var windowAndZoom = false
    /// Reader-set offsets (mm, along the target's normal) by series UID, from "link here".
    var offsets: [String: Double] = [:]
}

extension AppState {
    /// The viewports a link moves: the side-by-side and grid layouts of cross-sectional images.
    var linkableViewports: [Viewport] { isComparisonLayout ? viewports : [] }

    /// 1×2 or 2×2 outside the hanging protocol (cheap: no viewport is built).
    var isComparisonLayout: Bool {
        guard let v = viewer else { return false }
        return !v.display.hanging && (v.display.layout == .sideBySide || v.display.layout == .grid)
    }

    /// The patient positions of every slice of `uid` in the current orientation, nil when any
    /// slice lacks geometry (radiographs: no link by position).
    func slicePlanes(_ uid: String) -> [PatientPlane]? {
        guard let stack = stacks[uid], let o = viewer?.display.orientation else { return nil }
        let n = Reformat.count(stack, o)
        guard n > 1 else { return nil }
        let planes = (0 ..< n).compactMap { Reformat.imagePlane(stack, o, $0) }
        return planes.count == n ? planes : nil
    }

    func frameOfReference(_ uid: String) -> String {
        currentEntry?.study.series.first { $0.seriesInstanceUID == uid }?.first.frameOfReferenceUID ?? ""
    }

    /// The offset linking `target` to the active series: 0 with a shared Frame of Reference, the
    /// reader's offset otherwise, nil when neither (not linked until "link here").
    func linkOffset(from source: String, to target: String) -> Double? {
        let a = frameOfReference(source), b = frameOfReference(target)
        if !a.isEmpty, a == b { return viewer?.display.link.offsets[target] ?? 0 }
        return viewer?.display.link.offsets[target]
    }

    /// Whether viewport `vp` follows the active one (for the corner's link marker).
    func isLinked(_ vp: Viewport) -> Bool {
        guard let v = viewer, v.display.link.scroll, let active = linkableViewports.first(where: \.isActive) else { return false }
        if vp.isActive { return true }
        return slicePlanes(vp.stackUID) != nil
            && (priorLinkOffset(source: active, target: vp) != nil || linkOffset(from: active.stackUID, to: vp.stackUID) != nil)
    }
}

/// Moves every linked viewport to the slice nearest the active viewport's slice position.
func syncLinkedSlices(_ state: inout AppState) {
    guard let v = state.viewer, v.display.link.scroll else { return }
    let vps = state.linkableViewports
    guard let active = vps.first(where: \.isActive), let source = active.plane else { return }
    for vp in vps where !vp.isActive && vp.stackUID != active.stackUID {
        // The reader's "link here" first; the prior beside through its registration; else a shared frame.
        let readers = v.display.link.offsets[vp.stackUID]
        guard let planes = state.slicePlanes(vp.stackUID),
              let offset = readers ?? state.priorLinkOffset(source: active, target: vp) ?? state.linkOffset(from: active.stackUID, to: vp.stackUID),
              let index = SliceSync.nearestSlice(to: source, in: planes, offset: offset) else { continue }
        state.viewer?.display.setSlice(index, series: vp.stackUID)
    }
}

/// `Y` linked scrolling on/off, `V` link here (align the others on this slice), `T` link zoom.
func performLink(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard let v = state.viewer else { return [] }
    switch action {
    case .toggleLink:
        let on = !v.display.link.scroll
        state.viewer?.display.link.scroll = on
        guard on else { state.message = "Linked scrolling off"; return [] }
        let vps = state.linkableViewports
        guard vps.count > 1 else {
            state.message = "Linked scrolling on (it links the 1×2 and 2×2 layouts: l)"; return []
        }
        let unlinked = vps.filter { !$0.isActive && !state.isLinked($0) }.count
        state.message = unlinked == 0 ? "Linked scrolling on (by patient position)"
            : "Linked scrolling on; \(unlinked) viewport(s) differ in frame of reference: align them and press V (link here)"
        syncLinkedSlices(&state)
    case .linkHere:
        let vps = state.linkableViewports
        guard vps.count > 1, let active = vps.first(where: \.isActive), let source = active.plane else {
            state.message = "Link here needs two series side by side (l) with patient positions"; return []
        }
        var n = 0
        for vp in vps where !vp.isActive && vp.stackUID != active.stackUID {
            guard let target = vp.plane else { continue }
            state.viewer?.display.link.offsets[vp.stackUID] = SliceSync.offset(aligning: source, with: target)
            n += 1
        }
        state.viewer?.display.link.scroll = true
        state.message = "Linked here: \(n) viewport(s) keep this offset"
    case .toggleLinkWindow:
        let on = !v.display.link.windowAndZoom
        state.viewer?.display.link.windowAndZoom = on
        state.message = on ? "Zoom linked across viewports" : "Zoom on the active viewport only"
    default: break
    }
    return []
}
