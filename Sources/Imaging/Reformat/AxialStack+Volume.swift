extension AxialStack {
    /// The slices of a loaded `Volume` (copied out slice by slice), with each slice's position
    /// along the normal when known (`SeriesLoader.sortedForVolume` gives them in the same order).
    public init?(volume: Volume, slicePositions: [Double]? = nil) {
        let slices = (0 ..< volume.slices).map { Array(volume.slice($0)) }
        self.init(slices: slices, width: volume.columns, height: volume.rows,
                  rowSpacing: volume.spacing.row, columnSpacing: volume.spacing.column,
                  sliceSpacing: volume.spacing.slice, slicePositions: slicePositions)
    }
}
