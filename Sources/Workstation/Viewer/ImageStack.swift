import DICOM
import Foundation
import Imaging

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
public final class ImageStack: @unchecked Sendable {
    public let seriesUID: String
    public let frames: [StackFrame]
    /// Distance between slices in mm, when the series is a regular volume.
    public let sliceSpacing: Double?
    /// Each frame's position along the slice normal (mm), when every file holds one frame with a
    /// position: thick slabs measure with these (Imaging's `SlabRule`).
    public let slicePositions: [Double]?
    public let failures: [String]

    public init(seriesUID: String, frames: [StackFrame], sliceSpacing: Double?, slicePositions: [Double]? = nil, failures: [String] = []) {
        self.seriesUID = seriesUID; self.frames = frames; self.sliceSpacing = sliceSpacing; self.failures = failures
        self.slicePositions = slicePositions?.count == frames.count ? slicePositions : nil
    }

    /// Whether every frame has the same size and grey values, so it can be reformatted.
    public var isVolume: Bool {
        guard frames.count > 2, let f = frames.first, !f.isColor else { return false }
        return frames.allSatisfy { $0.width == f.width && $0.height == f.height && !$0.isColor }
    }

    /// Loads a series' instances (every frame of each), on all cores. Unreadable files are listed
    /// in `failures`, never fatal. `progress` is called with the fraction done.
    public static func load(_ series: StudyIndex.Series, progress: (@Sendable (Double) -> Void)? = nil) -> ImageStack {
        let (sorted, _, positions) = VolumeLoader.sortedForVolume(series.instances.filter(\.hasPixelData))
        var perFile = [[StackFrame]](repeating: [], count: sorted.count)
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
        var spacing: Double?
        if let positions, positions.count > 1 {
            let steps = zip(positions.dropFirst(), positions).map { $0 - $1 }.sorted()
            let median = steps[steps.count / 2]
            if median > 1e-6 { spacing = median }
        }
        // Positions stand for frames only when every file gave exactly one.
        let onePerFile = perFile.allSatisfy { $0.count == 1 }
        return ImageStack(seriesUID: series.seriesInstanceUID, frames: perFile.flatMap { $0 },
                          sliceSpacing: spacing ?? series.first.sliceThickness, slicePositions: onePerFile ? positions : nil,
                          failures: errors.compactMap { $0 })
    }

    static func loadFrames(_ h: InstanceHeader) throws -> [StackFrame] {
        let file = try DICOMFile.read(URL(fileURLWithPath: h.path))
        let reader = try PixelDataReader(file)
        let renderer = FrameRenderer(file.dataSet)
        var window: VOITransform.Window?
        if case .window(let w)? = renderer.fileVOI { window = w }
        var out: [StackFrame] = []
        for k in 0 ..< min(reader.frameCount, 2000) {
            let frame = try reader.frame(k)
            var f = StackFrame(width: frame.columns, height: frame.rows, values: [], rgb: [], sopUID: h.sopInstanceUID,
                               path: h.path, frameIndex: k,
                               rowSpacing: h.pixelGeometry.rowSpacingMM, columnSpacing: h.pixelGeometry.columnSpacingMM,
                               position: h.imagePosition, fileWindow: window,
                               monochrome1: renderer.photometricInterpretation == "MONOCHROME1",
                               laterality: h.laterality.uppercased(), viewPosition: h.viewPosition.uppercased(),
                               orientation: h.imageOrientation.count == 6 ? h.imageOrientation : [1, 0, 0, 0, 1, 0])
            if frame.samplesPerPixel == 1 && renderer.photometricInterpretation != "PALETTE COLOR" {
                f.values = renderer.modalityValues(frame)
            } else {
                f.rgb = try renderer.render(frame).rgb()
            }
            guard f.width > 0, f.height > 0 else { continue }
            out.append(f)
        }
        return out
    }
}

/// A thread-safe counter for progress reports.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
