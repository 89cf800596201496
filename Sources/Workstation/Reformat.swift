/// Orthogonal reformats of a volume stack: coronal and sagittal planes rebuilt from axial slices.
/// Superior is drawn at the top (slices are sorted inferior → superior along the normal).
enum Reformat {
    /// Number of planes in `orientation`.
    static func count(_ stack: ImageStack, _ orientation: ViewerState.Orientation) -> Int {
        guard orientation != .axial, stack.isVolume, let f = stack.frames.first else { return stack.frames.count }
        return orientation == .coronal ? f.height : f.width
    }

    /// Plane `index` of `stack` in `orientation` (axial: the frame itself).
    static func frame(_ stack: ImageStack, _ orientation: ViewerState.Orientation, _ index: Int) -> StackFrame? {
        guard !stack.frames.isEmpty else { return nil }
        guard orientation != .axial, stack.isVolume, let first = stack.frames.first else {
            return stack.frames[min(max(0, index), stack.frames.count - 1)]
        }
        let n = stack.frames.count, w = first.width, h = first.height
        let k = min(max(0, index), (orientation == .coronal ? h : w) - 1)
        let outW = orientation == .coronal ? w : h
        var values = [Float](repeating: 0, count: outW * n)
        for z in 0 ..< n {
            let src = stack.frames[z].values
            let row = n - 1 - z
            if orientation == .coronal {
                for x in 0 ..< w { values[row * outW + x] = src[k * w + x] }
            } else {
                for y in 0 ..< h { values[row * outW + y] = src[y * w + k] }
            }
        }
        var f = first
        f.width = outW; f.height = n; f.values = values
        f.rowSpacing = stack.sliceSpacing ?? first.columnSpacing
        f.columnSpacing = orientation == .coronal ? first.columnSpacing : first.rowSpacing
        f.sopUID = ""
        return f
    }
}
