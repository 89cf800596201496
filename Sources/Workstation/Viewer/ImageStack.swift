import DICOM
import Foundation
import Imaging
import Synchronization

/// The frames of one series in display order (sorted along the slice normal when they have
/// positions). Immutable once loaded; shared between state snapshots by reference.
public final class ImageStack: Sendable {
    public let seriesUID: String
    public let frames: [StackFrame]
    /// Distance between slices in mm, when the series is a regular volume.
    public let sliceSpacing: Double?
    /// Each frame's position along the slice normal (mm), when every file holds one frame with a
    /// position: thick slabs measure with these (Imaging's `SlabRule`).
    public let slicePositions: [Double]?
    public let failures: [String]
    /// When the series' frames split into several stacks (a DWI's b-values, an ADC map inside the
    /// series, several stacks of an Enhanced object; see Imaging's `FrameStacks`): every stack's
    /// label, and which one `frames` holds. Empty for an ordinary series.
    public let stackLabels: [String]
    public let stackIndex: Int
    /// The MR sequence of the frames shown (nil for other modalities).
    public let sequence: MRSequenceKind?

    public init(seriesUID: String, frames: [StackFrame], sliceSpacing: Double?, slicePositions: [Double]? = nil, failures: [String] = [],
                stackLabels: [String] = [], stackIndex: Int = 0, sequence: MRSequenceKind? = nil) {
        self.seriesUID = seriesUID; self.frames = frames; self.sliceSpacing = sliceSpacing; self.failures = failures
        self.slicePositions = slicePositions?.count == frames.count ? slicePositions : nil
        self.stackLabels = stackLabels; self.stackIndex = stackIndex; self.sequence = sequence
    }

    /// "b=1000 (2 of 2)" when the series holds several stacks, else nil.
    public var stackDescription: String? {
        guard stackLabels.count > 1, stackLabels.indices.contains(stackIndex) else { return nil }
        let label = stackLabels[stackIndex].isEmpty ? "stack" : stackLabels[stackIndex]
        return "\(label) (\(stackIndex + 1) of \(stackLabels.count))"
    }

    /// Whether every frame has the same size and grey values, so it can be reformatted.
    public var isVolume: Bool {
        guard frames.count > 2, let f = frames.first, !f.isColor else { return false }
        return frames.allSatisfy { $0.width == f.width && $0.height == f.height && !$0.isColor }
    }

    /// Loads a series' instances (every frame of each), on all cores. Unreadable files are listed
    /// in `failures`, never fatal. `progress` is called with the fraction done. A series whose
    /// frames form several stacks shows one of them: `stack`, or by default the one a reader opens
    /// first (`StackChoice`).
    public static func load(_ series: StudyIndex.Series, stack: Int? = nil, progress: (@Sendable (Double) -> Void)? = nil) -> ImageStack {
        let files = SeriesLoader.frames(of: series.instances, progress: progress)
        let loaded = files.frames
        let failures = files.failures.map { "\($0.path): \($0.reason)" }
        let isMR = series.first.modality == "MR"
        var attributes = loaded.map(\.attributes)
        for i in attributes.indices { attributes[i].index = i }
        let stacks = splitsIntoStacks(series.first.modality) ? FrameStacks.split(attributes) : []
        // One frame per file, one stack: the series as sorted by position (the common case).
        if (stacks.count <= 1 || stacks.allSatisfy({ $0.frames.count == 1 })) && files.isOneFramePerFile {
            let kind = isMR ? attributes.first.map { MRSequenceKind.identify($0) } : nil
            let spacing = files.positions.flatMap(SeriesLoader.medianStep)
            return ImageStack(seriesUID: series.seriesInstanceUID, frames: windowed(loaded.map(\.frame), kind: kind),
                              sliceSpacing: spacing ?? series.first.sliceThickness, slicePositions: files.positions,
                              failures: failures, sequence: kind)
        }
        // Several stacks, or multi-frame files: the chosen stack, ordered along its normal.
        let index = min(max(stack ?? StackChoice.preferred(stacks), 0), max(stacks.count - 1, 0))
        let chosen = stacks.isEmpty ? Array(loaded.indices) : stacks[index].frames
        let frames = chosen.map { loaded[$0].frame }
        var stackPositions: [Double]?
        if let normal = chosen.first.flatMap({ attributes[$0].normal }) {
            let d = chosen.compactMap { attributes[$0].distance(along: normal) }
            if d.count == chosen.count { stackPositions = d }
        }
        let stackSpacing = stackPositions.flatMap(SeriesLoader.medianStep)
        let kind = isMR ? chosen.first.map { MRSequenceKind.identify(attributes[$0]) } : nil
        return ImageStack(seriesUID: series.seriesInstanceUID, frames: windowed(frames, kind: kind),
                          sliceSpacing: stackSpacing ?? chosen.first.flatMap { attributes[$0].sliceThickness } ?? series.first.sliceThickness,
                          slicePositions: stackPositions, failures: failures,
                          stackLabels: stacks.count > 1 ? stacks.map(\.label) : [], stackIndex: stacks.count > 1 ? index : 0,
                          sequence: kind)
    }

    /// Whether a series of this modality can hold several scrollable stacks. Projection images
    /// (a mammogram's four views, a radiograph's PA and lateral) each have their own orientation
    /// but are one set of views, never stacks to choose between.
    static func splitsIntoStacks(_ modality: String) -> Bool {
        !["MG", "CR", "DX", "RF", "XA", "IO", "PX", "US", "OT", "SC"].contains(modality.uppercased())
    }

    /// MR frames without a window of their own get one from the stack's values (`RobustWindow`):
    /// MR intensities have no unit, and a min–max window per slice would change as the reader scrolls.
    static func windowed(_ frames: [StackFrame], kind: MRSequenceKind?) -> [StackFrame] {
        guard let kind, frames.contains(where: { $0.fileWindow == nil && !$0.isColor }) else { return frames }
        var sample: [Float] = []
        let step = max(1, frames.count / 16)
        for f in stride(from: 0, to: frames.count, by: step) { sample += frames[f].values }
        guard let window = RobustWindow.window(sample, kind: kind) else { return frames }
        return frames.map { var f = $0; if f.fileWindow == nil { f.fileWindow = window }; return f }
    }
}

/// Which stack of a multi-stack series a reader sees first: the highest b-value of a diffusion
/// series (the trace image that shows restriction), else the stack with the most frames, else the
/// first.
enum StackChoice {
    static func preferred(_ stacks: [FrameStacks.Stack]) -> Int {
        if let best = stacks.indices.filter({ stacks[$0].diffusionBValue != nil })
            .max(by: { (stacks[$0].diffusionBValue!, -$0) < (stacks[$1].diffusionBValue!, -$1) }) {
            return best
        }
        return stacks.indices.max { (stacks[$0].frames.count, -$0) < (stacks[$1].frames.count, -$1) } ?? 0
    }
}
