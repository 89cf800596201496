import Parallel
import DICOM
import Dispatch
import Foundation
import Synchronization

extension SeriesLoader {
    /// The decoded frames of a series, in reading order, and what each file's load said.
    public struct LoadedFrames: Sendable {
        /// Every frame, files in `sortedForVolume` order and each file's frames in its own order.
        public var frames: [LoadedFrame]
        /// How many frames each file gave (0 for a file that failed), in the same file order.
        public var framesPerFile: [Int]
        /// Each file's position along the normal, when every file has one (`sortedForVolume`).
        public var positions: [Double]?
        /// The files that could not be decoded, with the reason.
        public var failures: [SkippedInstance]
        /// Whether each file holds exactly one frame (a classic series).
        public var isOneFramePerFile: Bool { framesPerFile.allSatisfy { $0 == 1 } }
    }

    /// A file this large in frames is cut: the viewer keeps every frame in memory.
    public static let maximumFramesPerInstance = 2000

    /// Decodes every frame of every instance with pixel data, on all cores; a file that fails is
    /// listed in `failures`, never fatal. `progress` gets the fraction of files done.
    public static func frames(of instances: [InstanceHeader], progress: (@Sendable (Double) -> Void)? = nil) -> LoadedFrames {
        let (sorted, _, positions) = sortedForVolume(instances.filter(\.hasPixelData))
        var perFile = [[LoadedFrame]](repeating: [], count: sorted.count)
        var errors = [String?](repeating: nil, count: sorted.count)
        let done = Atomic<Int>(0)
        perFile.withUnsafeMutableBufferPointer { out in
            errors.withUnsafeMutableBufferPointer { errs in
                nonisolated(unsafe) let (out, errs) = (out, errs)  // each index written by one iteration
                Parallel.perform(iterations: sorted.count) { i in
                    do { out[i] = try loadFrames(sorted[i]) } catch { errs[i] = "\(error)" }
                    let n = done.add(1, ordering: .relaxed).newValue
                    if n % 8 == 0 || n == sorted.count { progress?(Double(n) / Double(max(1, sorted.count))) }
                }
            }
        }
        return LoadedFrames(frames: perFile.flatMap { $0 }, framesPerFile: perFile.map(\.count), positions: positions,
                            failures: errors.indices.compactMap { i in errors[i].map { SkippedInstance(path: sorted[i].path, reason: $0) } })
    }

    /// A decoded frame and what its headers (or functional groups) say about it.
    public struct LoadedFrame: Sendable {
        public var frame: StackFrame
        public var attributes: FrameAttributes
    }

    /// Every frame of one instance (at most `maximumFramesPerInstance`). Enhanced objects take
    /// geometry, rescale and window per frame from their functional groups.
    static func loadFrames(_ h: InstanceHeader) throws -> [LoadedFrame] {
        if h.isNIfTI { return try niftiFrames(h) }
        let file = try DICOMFile.read(URL(fileURLWithPath: h.path))
        let reader = try PixelDataReader(file)
        let renderer = FrameRenderer(file.dataSet)
        var window: VOITransform.Window?
        if case .window(let w)? = renderer.fileVOI { window = w }
        // Enhanced objects keep geometry, rescale and window per frame in functional groups.
        let enhanced = FunctionalGroups.isEnhanced(file.dataSet)
        let attributes = FunctionalGroups.frames(of: file.dataSet)
        var out: [LoadedFrame] = []
        for k in 0 ..< min(reader.frameCount, maximumFramesPerInstance) {
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
