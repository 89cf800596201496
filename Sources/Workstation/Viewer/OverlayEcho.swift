import Analysis
import Imaging
import Review

/// An AI map made on one MR sequence, shown on the others at the same anatomy: the stroke model
/// reads the DWI, and the reader checks the same region on ADC, FLAIR and T1 side by side.
///
/// A frame without a map of its own borrows the map of a frame from another loaded series that
/// lies in the same plane: parallel orientation (cosines within 1e-3), the same pixel spacing and
/// matrix, the same in-plane origin (within half a pixel), and a position along the normal within
/// half that series' slice spacing; the nearest such frame wins. Frames on another in-plane grid
/// get no echo: the map would need resampling in patient space, and a misplaced map is worse than
/// none. Echoed outlines are labelled "echo of DWI".
enum OverlayEcho {
    struct Source {
        var heatmap: ModelGridHeatmap
        var frame: StackFrame
        /// The sequence the map was made on, for the label ("echo of DWI").
        var sequence: MRSequenceKind?
        var label: String { "echo of \(sequence?.rawValue ?? "another series")" }
    }

    /// The frame whose map `frame` borrows, if any.
    static func source(for frame: StackFrame, stacks: [String: ImageStack], heatmaps: [String: ModelGridHeatmap]) -> Source? {
        guard frame.aiMap(in: heatmaps) == nil, !heatmaps.isEmpty, let n = normal(frame.orientation), frame.position.count == 3 else { return nil }
        let position = dot(n, frame.position)
        var best: (distance: Double, source: Source)?
        for stack in stacks.values where !stack.frames.contains(where: { $0.sopUID == frame.sopUID }) {
            let tolerance = (stack.sliceSpacing ?? 0) / 2 + 1e-3
            for other in stack.frames {
                guard let map = other.aiMap(in: heatmaps), samePlaneGrid(frame, other), other.position.count == 3 else { continue }
                let d = abs(dot(n, other.position) - position)
                if d <= tolerance, best == nil || d < best!.distance { best = (d, Source(heatmap: map, frame: other, sequence: stack.sequence)) }
            }
        }
        return best?.source
    }

    /// Same orientation, spacing, matrix and in-plane origin.
    static func samePlaneGrid(_ a: StackFrame, _ b: StackFrame) -> Bool {
        guard a.width == b.width, a.height == b.height, a.orientation.count == 6, b.orientation.count == 6,
              zip(a.orientation, b.orientation).allSatisfy({ abs($0 - $1) < 1e-3 }),
              let sa = a.geometry.spacing, let sb = b.geometry.spacing,
              abs(sa.row - sb.row) < 1e-3, abs(sa.column - sb.column) < 1e-3,
              a.position.count == 3, b.position.count == 3 else { return false }
        let delta = zip(a.position, b.position).map { $0 - $1 }
        let alongRow = dot(Array(a.orientation[0 ..< 3]), delta), alongColumn = dot(Array(a.orientation[3 ..< 6]), delta)
        return abs(alongRow) < sa.column / 2 && abs(alongColumn) < sa.row / 2
    }

    static func normal(_ o: [Double]) -> [Double]? {
        guard o.count == 6 else { return nil }
        let n = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]]
        let length = dot(n, n).squareRoot()
        return length > 1e-6 ? n.map { $0 / length } : nil
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}
