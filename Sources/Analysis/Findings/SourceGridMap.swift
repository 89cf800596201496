import Imaging

/// A model-grid heatmap read on the volume's grid, one slice brought over (`ModelGrid.sourceSlice`)
/// the first time a voxel of it is read.
///
/// Findings are measured on the volume's grid, but only around the few peaks that reach the
/// threshold: resampling a whole 300-slice 512² map first took 1.3 s and 300 MB, most of it
/// for slices no finding touches.
final class SourceGridMap {
    private let grid: VolumeAnalyzer.ModelGrid
    private let volume: Volume
    private let precomputed: [Float]?
    private var slices: [[Float]?]
    private let plane: Int

    /// `precomputed`, when given, is the whole map already on the volume's grid.
    init(grid: VolumeAnalyzer.ModelGrid, volume: Volume, precomputed: [Float]? = nil) {
        precondition(precomputed == nil || precomputed!.count == volume.voxels.count, "heatmap is not on the volume's grid")
        self.grid = grid; self.volume = volume; self.precomputed = precomputed
        plane = volume.columns * volume.rows
        slices = [[Float]?](repeating: nil, count: precomputed == nil ? volume.slices : 0)
    }

    /// The value at voxel index `v` (slice-major on the volume's grid).
    subscript(v: Int) -> Float {
        if let precomputed { return precomputed[v] }
        let z = v / plane
        if slices[z] == nil { slices[z] = grid.sourceSlice(z, of: volume) }
        return slices[z]![v - z * plane]
    }
}
