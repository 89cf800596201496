import DICOM
import Foundation
import Imaging
import Synchronization

/// One displayable frame of a series, in modality values (HU for CT) or already-RGB colour.
public struct StackFrame: Sendable {
    public var width: Int
    public var height: Int
    /// Grey frames: modality values, row-major. Empty for colour frames.
    public var values: [Float]
    /// Colour frames: RGB bytes. Empty for grey frames.
    public var rgb: [UInt8]
    public var sopUID: String
    public var path: String
    public var frameIndex: Int
    /// Row and column spacing in mm (nil when the file gives none).
    public var rowSpacing: Double?
    public var columnSpacing: Double?
    public var position: [Double]
    public var fileWindow: VOITransform.Window?
    /// MONOCHROME1: displayed inverted.
    public var monochrome1: Bool
    public var laterality: String
    public var viewPosition: String
    /// Image Orientation (Patient): row then column direction (axial when the file gives none).
    public var orientation: [Double] = [1, 0, 0, 0, 1, 0]
    /// Set on a thick-slab projection made from the stack ("MIP 10 mm"), for the corner annotation.
    public var slabLabel: String? = nil

    public var isColor: Bool { !rgb.isEmpty }
    /// The frame's pixel spacing as one value (unknown when either spacing is missing or invalid).
    public var geometry: PixelGeometry { PixelGeometry(rowSpacing: rowSpacing, columnSpacing: columnSpacing) }
    public var aspect: Double { geometry.aspectRatio }

    /// Modality value at (x, y), nil outside.
    public func value(x: Int, y: Int) -> Float? {
        guard x >= 0, y >= 0, x < width, y < height, !values.isEmpty else { return nil }
        return values[y * width + x]
    }
}

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
        let (sorted, _, positions) = VolumeLoader.sortedForVolume(series.instances.filter(\.hasPixelData))
        var perFile = [[LoadedFrame]](repeating: [], count: sorted.count)
        var errors = [String?](repeating: nil, count: sorted.count)
        let done = Counter()
        perFile.withUnsafeMutableBufferPointer { out in
            errors.withUnsafeMutableBufferPointer { errs in
                nonisolated(unsafe) let (out, errs) = (out, errs)  // each index written by one iteration
                DispatchQueue.concurrentPerform(iterations: sorted.count) { i in
                    do { out[i] = try loadFrames(sorted[i]) } catch { errs[i] = "\(sorted[i].path): \(error)" }
                    let n = done.increment()
                    if n % 8 == 0 || n == sorted.count { progress?(Double(n) / Double(max(1, sorted.count))) }
                }
            }
        }
        let spacing = positions.flatMap(medianStep)
        let loaded = perFile.flatMap { $0 }
        let failures = errors.compactMap { $0 }
        let isMR = series.first.modality == "MR"
        // One frame per file, one stack: the series as sorted by position (the common case).
        var attributes = loaded.map(\.attributes)
        for i in attributes.indices { attributes[i].index = i }
        let stacks = splitsIntoStacks(series.first.modality) ? FrameStacks.split(attributes) : []
        if (stacks.count <= 1 || stacks.allSatisfy({ $0.frames.count == 1 })) && perFile.allSatisfy({ $0.count == 1 }) {
            let kind = isMR ? attributes.first.map { MRSequenceKind.identify($0) } : nil
            return ImageStack(seriesUID: series.seriesInstanceUID, frames: windowed(loaded.map(\.frame), kind: kind),
                              sliceSpacing: spacing ?? series.first.sliceThickness, slicePositions: positions,
                              failures: failures, sequence: kind)
        }
        // Several stacks, or multi-frame files: the chosen stack, ordered along its normal.
        let index = min(max(stack ?? StackChoice.preferred(stacks), 0), max(stacks.count - 1, 0))
        let chosen = stacks.isEmpty ? [] : stacks[index].frames
        let frames = chosen.map { loaded[$0].frame }
        var stackPositions: [Double]?
        if let normal = chosen.first.flatMap({ attributes[$0].normal }) {
            let d = chosen.compactMap { attributes[$0].distance(along: normal) }
            if d.count == chosen.count { stackPositions = d }
        }
        let stackSpacing = stackPositions.flatMap(medianStep)
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

    /// The median distance between neighbouring positions (sorted ascending), nil for fewer than
    /// two or a zero step: the slice spacing of a regular stack.
    static func medianStep(_ positions: [Double]) -> Double? {
        guard positions.count > 1 else { return nil }
        let steps = zip(positions.dropFirst(), positions).map { $0 - $1 }.sorted()
        let median = steps[steps.count / 2]
        return median > 1e-6 ? median : nil
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

    /// A decoded frame and what its headers (or functional groups) say about it.
    struct LoadedFrame {
        var frame: StackFrame
        var attributes: FrameAttributes
    }

    static func loadFrames(_ h: InstanceHeader) throws -> [LoadedFrame] {
        let file = try DICOMFile.read(URL(fileURLWithPath: h.path))
        let reader = try PixelDataReader(file)
        let renderer = FrameRenderer(file.dataSet)
        var window: VOITransform.Window?
        if case .window(let w)? = renderer.fileVOI { window = w }
        // Enhanced objects keep geometry, rescale and window per frame in functional groups.
        let enhanced = FunctionalGroups.isEnhanced(file.dataSet)
        let attributes = FunctionalGroups.frames(of: file.dataSet)
        var out: [LoadedFrame] = []
        for k in 0 ..< min(reader.frameCount, 2000) {
            let frame = try reader.frame(k)
            let a = k < attributes.count ? attributes[k] : FrameAttributes(index: k)
            var f = StackFrame(width: frame.columns, height: frame.rows, values: [], rgb: [], sopUID: h.sopInstanceUID,
                               path: h.path, frameIndex: k,
                               rowSpacing: h.pixelGeometry.rowSpacingMM, columnSpacing: h.pixelGeometry.columnSpacingMM,
                               position: h.imagePosition, fileWindow: window,
                               monochrome1: renderer.photometricInterpretation == "MONOCHROME1",
                               laterality: h.laterality.uppercased(), viewPosition: h.viewPosition.uppercased(),
                               orientation: h.imageOrientation.count == 6 ? h.imageOrientation : [1, 0, 0, 0, 1, 0])
            if enhanced {
                if a.imagePosition.count == 3 { f.position = a.imagePosition }
                if a.imageOrientation.count == 6 { f.orientation = a.imageOrientation }
                let spacing = PixelGeometry(pixelSpacing: a.pixelSpacing)
                if spacing.isKnown { f.rowSpacing = spacing.rowSpacingMM; f.columnSpacing = spacing.columnSpacingMM }
                if let c = a.windowCenter, let w = a.windowWidth, w > 0 { f.fileWindow = VOITransform.Window(center: c, width: w) }
            }
            if frame.samplesPerPixel == 1 && renderer.photometricInterpretation != "PALETTE COLOR" {
                f.values = renderer.modalityValues(frame)
                if enhanced && (a.rescaleSlope != 1 || a.rescaleIntercept != 0) {
                    let m = Float(a.rescaleSlope), b = Float(a.rescaleIntercept)
                    for i in f.values.indices { f.values[i] = f.values[i] * m + b }
                }
            } else {
                f.rgb = try renderer.render(frame).rgb()
            }
            guard f.width > 0, f.height > 0 else { continue }
            out.append(LoadedFrame(frame: f, attributes: a))
        }
        return out
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

/// A thread-safe counter for progress reports.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func increment() -> Int { value.add(1, ordering: .relaxed).newValue }
}
