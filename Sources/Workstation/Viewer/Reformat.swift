import Imaging

/// The viewer's orthogonal reformats: an `ImageStack` in a `ViewerState.Orientation`, cut by
/// Imaging's `AxialStack` (which documents the geometry). Non-volumes and the axial orientation
/// show the stack's own frames.
enum Reformat {
    /// Number of planes in `orientation`.
    static func count(_ stack: ImageStack, _ orientation: ViewerState.Orientation) -> Int {
        guard orientation != .axial, let axial = AxialStack(stack) else { return stack.frames.count }
        return axial.planeCount(PlaneOrientation(orientation))
    }

    /// Plane `index` of `stack` in `orientation` (axial: the frame itself).
    static func frame(_ stack: ImageStack, _ orientation: ViewerState.Orientation, _ index: Int) -> StackFrame? {
        guard !stack.frames.isEmpty else { return nil }
        guard orientation != .axial, let first = stack.frames.first, let axial = AxialStack(stack) else {
            return stack.frames[min(max(0, index), stack.frames.count - 1)]
        }
        let plane = axial.plane(PlaneOrientation(orientation), index)
        var f = first
        f.width = plane.width; f.height = plane.height; f.values = plane.values
        f.rowSpacing = plane.rowSpacing; f.columnSpacing = plane.columnSpacing
        f.sopUID = ""
        return f
    }
}

extension AxialStack {
    /// `stack`'s frames, when it is a volume (`ImageStack.isVolume`).
    init?(_ stack: ImageStack) {
        guard stack.isVolume, let first = stack.frames.first else { return nil }
        self.init(slices: stack.frames.map(\.values), width: first.width, height: first.height,
                  rowSpacing: first.rowSpacing, columnSpacing: first.columnSpacing, sliceSpacing: stack.sliceSpacing)
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
