import Imaging

/// The viewer's orthogonal reformats and thick slabs: an `ImageStack` in a
/// `ViewerState.Orientation`, cut or projected by Imaging's `AxialStack` (which documents the
/// geometry; `SlabRule` says which samples a slab takes). Non-volumes and the plain axial
/// orientation show the stack's own frames.
enum Reformat {
    /// Number of planes in `orientation`.
    static func count(_ stack: ImageStack, _ orientation: ViewerState.Orientation) -> Int {
        guard orientation != .axial, let axial = AxialStack(stack) else { return stack.frames.count }
        return axial.planeCount(PlaneOrientation(orientation))
    }

    /// Plane `index` of `stack` in `orientation` (axial: the frame itself), or the slab centred on
    /// it when `slab` is on and the stack is a volume (the frame's `slabLabel` then says so). A
    /// slab that cannot be made (no spacing along its normal) shows the plain plane, unlabelled;
    /// `performSlab` tells the reader why when the key is pressed.
    static func frame(_ stack: ImageStack, _ orientation: ViewerState.Orientation, _ index: Int,
                      slab: SlabSettings = SlabSettings()) -> StackFrame? {
        guard !stack.frames.isEmpty else { return nil }
        let clamped = min(max(0, index), stack.frames.count - 1)
        guard orientation != .axial || slab.isOn, let first = stack.frames.first, let axial = AxialStack(stack) else {
            return stack.frames[clamped]
        }
        let o = PlaneOrientation(orientation)
        let projected = slab.isOn
            ? SlabCache.shared.plane(stack, o, index, slab) { try? axial.slab(o, index, thickness: slab.thicknessMM, projection: slab.projection) }
            : nil
        if orientation == .axial && projected == nil { return stack.frames[clamped] }
        let plane = projected ?? axial.plane(o, index)
        var f = orientation == .axial ? stack.frames[clamped] : first
        f.width = plane.width; f.height = plane.height; f.values = plane.values
        f.rowSpacing = plane.rowSpacing; f.columnSpacing = plane.columnSpacing
        f.slabLabel = projected == nil ? nil : slab.label
        // A reformat or slab is no stored image: findings and marks (by SOP UID) do not land on it.
        f.sopUID = ""
        return f
    }

    /// Where plane `index` of `stack` in `orientation` lies in patient space (for reference
    /// lines); nil without positions, orientation or pixel spacing.
    static func imagePlane(_ stack: ImageStack, _ orientation: ViewerState.Orientation, _ index: Int) -> PatientPlane? {
        guard let first = stack.frames.first, let last = stack.frames.last else { return nil }
        if orientation == .axial || !stack.isVolume {
            return imagePlane(stack.frames[min(max(0, index), stack.frames.count - 1)])
        }
        guard let p0 = imagePlane(first), let p1 = imagePlane(last) else { return nil }
        return PatientPlane.reformat(PlaneOrientation(orientation), index: index, first: p0, last: p1, sliceCount: stack.frames.count)
    }

    /// A stored frame's plane, from its Image Position / Orientation (Patient) and Pixel Spacing.
    static func imagePlane(_ f: StackFrame) -> PatientPlane? {
        guard f.position.count == 3, f.orientation.count == 6, let rs = f.rowSpacing, let cs = f.columnSpacing else { return nil }
        return PatientPlane(origin: f.position, rowDirection: Array(f.orientation[0 ..< 3]), columnDirection: Array(f.orientation[3 ..< 6]),
                          rowSpacing: rs, columnSpacing: cs, width: f.width, height: f.height)
    }
}

extension AxialStack {
    /// `stack`'s frames, when it is a volume (`ImageStack.isVolume`).
    init?(_ stack: ImageStack) {
        guard stack.isVolume, let first = stack.frames.first else { return nil }
        self.init(slices: stack.frames.map(\.values), width: first.width, height: first.height,
                  rowSpacing: first.rowSpacing, columnSpacing: first.columnSpacing, sliceSpacing: stack.sliceSpacing,
                  slicePositions: stack.slicePositions)
    }
}

extension PlaneOrientation {
    init(_ orientation: ViewerState.Orientation) {
        switch orientation {
        case .axial: self = .axial
        case .coronal: self = .coronal
        case .sagittal: self = .sagittal
        }
    }
}
