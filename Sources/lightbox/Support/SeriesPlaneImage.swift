import DICOM
import Foundation
import Imaging

/// One plane or thick slab of a series folder as a displayed image: the series loaded as a volume
/// (HU), cut or projected by Imaging's `AxialStack` (`SlabRule` says which samples a slab takes),
/// windowed like a stored frame.
enum SeriesPlaneImage {
    struct Problem: Error, CustomStringConvertible { let description: String }

    /// The image, and the SOP instance / study it came from (the centre slice for an axial plane).
    struct Result {
        var image: DisplayImage
        var sopInstanceUID: String?
        var studyInstanceUID: String?
        var directory: String
    }

    /// - Parameters:
    ///   - slice: plane index in `options.orientation` (0-based; axial in anatomical order, coronal
    ///     an image row, sagittal an image column); default the middle one.
    ///   - window: overrides the window; otherwise the centre slice's own (its first window), else
    ///     the plane's value range.
    static func render(path: String, slice: Int?, options: PlaneOptions, window: VOITransform.Window?, invert: Bool) throws -> Result {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw Problem(description: "\(path): --plane, --slab and --projection need a folder holding one series")
        }
        let index = StudyIndex.scan([path], cache: nil)
        guard let study = index.studies.first, let series = study.series.first(where: { $0.first.hasPixelData }) else {
            throw Problem(description: "\(path): no DICOM images found")
        }
        let images = series.instances.filter { $0.hasPixelData && $0.rows > 0 }
        if options.slab != nil && images.count < 2 {
            throw Problem(description: "\(path): \(SlabError.singleImage)")
        }
        let sorted = SeriesLoader.sortedForVolume(images).sorted
        let loaded = try SeriesLoader.volume(of: images)
        guard let stack = AxialStack(volume: loaded.volume, slicePositions: loaded.positions) else {
            throw Problem(description: "\(path): the series is not one volume")
        }
        let o = options.orientation
        let count = stack.planeCount(o)
        let k = slice ?? count / 2
        guard k >= 0 && k < count else { throw Problem(description: "--slice \(k) is outside 0..<\(count) for the \(o.rawValue) plane") }
        let plane = try options.slab.map { try stack.slab(o, k, thickness: $0, projection: options.chosenProjection) }
            ?? stack.plane(o, k)
        // The window and presentation of the centre slice (the one an axial plane shows).
        let centre = sorted[o == .axial ? k : sorted.count / 2]
        let header = try DICOMFile.read(URL(fileURLWithPath: centre.path), options: .init(stopBeforePixelData: true))
        let renderer = FrameRenderer(header.dataSet)
        let voi = window.map { VOITransform.window($0) } ?? renderer.fileVOI ?? VOITransform.fullRange(of: plane.values)
        let monochrome1 = (renderer.photometricInterpretation == "MONOCHROME1") != invert
        return Result(image: try plane.displayImage(voi: voi, monochrome1: monochrome1),
                      sopInstanceUID: o == .axial && options.slab == nil ? centre.sopInstanceUID : nil,
                      studyInstanceUID: study.studyInstanceUID, directory: path)
    }
}
