/// A volume and what the load had to say about it: slices left out and gaps between slices.
public struct LoadedVolume: Sendable {
    public var volume: Volume
    /// Slices left out because they could not be decoded (only with `Options.skipUnreadable`).
    public var skipped: [SeriesLoader.SkippedInstance]
    /// Each slice's position along the normal (mm), in volume order, when every slice has one.
    public var positions: [Double]?
    /// The files gave no usable Pixel Spacing and the volume's in-plane spacing is an assumed 1 mm.
    public var pixelSpacingAssumed: Bool

    public init(volume: Volume, skipped: [SeriesLoader.SkippedInstance] = [], positions: [Double]? = nil,
                pixelSpacingAssumed: Bool = false) {
        self.volume = volume; self.skipped = skipped; self.positions = positions
        self.pixelSpacingAssumed = pixelSpacingAssumed
    }

    /// Human-readable warnings: skipped slices and gaps between slices.
    public var warnings: [String] {
        var w = skipped.map { "skipped unreadable slice \($0)" }
        if pixelSpacingAssumed {
            w.append("\(PixelGeometry.missingSpacingText): in-plane spacing taken as 1 mm; sizes and volumes are not in mm")
        }
        if !volume.gapsAfter.isEmpty {
            w.append("series has \(volume.gapsAfter.count) gap(s) between slices (after slice index \(volume.gapsAfter.map(String.init).joined(separator: ", "))); volumes and sizes across a gap are approximate")
        }
        return w
    }
}
