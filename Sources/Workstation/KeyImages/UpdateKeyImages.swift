import Imaging
import Review
import TerminalGraphics

extension AppState {
    /// The acquired image a viewport shows, as key images name it; nil for a reformatted plane or a
    /// thick slab (neither is an image of the study).
    func keyImageRef(_ vp: Viewport) -> KeyImageRef? {
        guard let f = vp.frame, vp.orientation == .axial, f.slabLabel == nil, !f.sopUID.isEmpty else { return nil }
        var series = vp.stackUID
        if viewer?.display.hanging == true {
            // The hanging's viewports draw from every series of the study.
            series = currentEntry?.study.series.first { s in s.instances.contains { $0.sopInstanceUID == f.sopUID } }?.seriesInstanceUID ?? series
        }
        // A multi-frame image's frames are adjacent in its stack: frame numbers only where there are several.
        var multi = f.frameIndex > 0
        if !multi, let stack = stacks[vp.stackUID], vp.sliceIndex + 1 < stack.frames.count {
            multi = stack.frames[vp.sliceIndex + 1].sopUID == f.sopUID
        }
        return KeyImageRef(seriesUID: series, sopUID: f.sopUID, frame: multi ? f.frameIndex + 1 : nil)
    }

    /// The active viewport and the image it shows.
    var activeKeyImage: (viewport: Viewport, ref: KeyImageRef)? {
        guard let vp = viewports.first(where: \.isActive), let ref = keyImageRef(vp) else { return nil }
        return (vp, ref)
    }
}

/// `*`: marks the shown image key, with the view it is shown in (window, inversion, zoom and pan),
/// or unmarks it. The store write is an effect the runtime commits on the loop like a decision
/// (one INSERT); the mark shows at once.
func toggleKeyImage(_ state: inout AppState) -> [Effect] {
    guard let v = state.viewer else { return [] }
    if state.teaching != nil { state.message = "Teaching: key images are not kept"; return [] }
    guard let (vp, ref) = state.activeKeyImage, let frame = vp.frame else {
        state.message = "Key images are acquired images: show an axial image without a slab"
        return []
    }
    if v.keyImages.isStored(ref) {
        state.viewer?.keyImages.stored.removeAll { $0.sopUID == ref.sopUID && $0.frame == ref.frame }
        let still = v.keyImages.isDocumented(ref) ? " (still flagged by the study's key object selection)" : ""
        state.message = "Key image removed\(still) · \(state.viewer?.keyImages.count ?? 0) key image(s)"
        return [.removeKeyImage(studyUID: v.studyUID, sopUID: ref.sopUID, frame: ref.frame)]
    }
    let window = frame.isColor ? nil : state.effectiveWindow(frame)
    let zoom = vp.isActive || v.display.link.windowAndZoom ? v.display.zoom : 1
    let record = KeyImageRecord(reader: state.reader, studyUID: v.studyUID, seriesUID: ref.seriesUID, sopUID: ref.sopUID,
                                frame: ref.frame, windowCenter: window?.center, windowWidth: window?.width,
                                inverted: v.display.invert,
                                displayedArea: DisplayedArea(zoom: zoom, pan: v.display.pan, width: frame.width, height: frame.height))
    state.viewer?.keyImages.stored.append(record)
    state.viewer?.keyImages.presentedImage = ref
    state.message = "Key image marked · \(state.viewer?.keyImages.count ?? 0) key image(s)"
    return [.addKeyImage(record)]
}

/// Arriving at a key image with a saved view (the reader's mark, else the study's presentation
/// state) shows it that way: its window, inversion, and its zoom and pan when the area is simple
/// (see `DisplayedArea.framing`). Once per arrival: the reader may then change it freely. Only in
/// the layouts with one series per viewport (not the mammography hanging, whose viewports share
/// one window), and not while cine plays through the images.
func applyKeyImageView(_ state: inout AppState) {
    guard state.mode == .viewer, state.modal == nil, let v = state.viewer, !v.display.hanging, !v.display.cine,
          !v.keyImages.stored.isEmpty || !v.keyImages.documents.isEmpty,
          // Cheap refusals first: this runs after every message, and the viewports are worked out below.
          !v.display.slab.isOn, v.display.orientation == .axial else { return }
    guard let (vp, ref) = state.activeKeyImage, let frame = vp.frame else { return }
    guard v.keyImages.presentedImage != ref else { return }
    state.viewer?.keyImages.presentedImage = ref
    guard let saved = v.keyImages.savedView(ref, monochrome1: frame.monochrome1) else { return }
    var d = v.display
    var applied: [String] = []
    if let w = saved.window, !frame.isColor {
        d.window = VOITransform.Window(center: w.center, width: w.width)
        applied.append("W \(Int(w.width)) L \(Int(w.center))")
    }
    if let inv = saved.invert, inv != d.invert { d.invert = inv; applied.append(inv ? "inverted" : "not inverted") }
    if let area = saved.area, let (zoom, pan) = area.framing(width: frame.width, height: frame.height) {
        d.zoom = zoom; d.pan = pan
        if zoom > 1 { applied.append(String(format: "zoom %.1f×", zoom)) }
    }
    state.viewer?.display = d
    if !applied.isEmpty { state.message = "Key image: \(saved.source) applied (\(applied.joined(separator: ", ")))" }
}
