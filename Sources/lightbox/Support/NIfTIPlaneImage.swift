import Foundation
import Imaging

/// `lightbox render FILE.nii[.gz]`: one plane or thick slab of a NIfTI volume, cut by Imaging's
/// `AxialStack` like a DICOM series folder (`SeriesPlaneImage`). "Axial" is the file's own slice
/// plane; the window is the file's cal_min/cal_max when set, else a robust (0.5–99.5 %) window of
/// the whole volume, as MR has no fixed units.
enum NIfTIPlaneImage {
    static func render(path: String, slice: Int?, options: PlaneOptions, window: VOITransform.Window?, invert: Bool) throws -> DisplayImage {
        let image = try NIfTIReader.read(path: path)
        for w in image.warnings { Output.error("\((path as NSString).lastPathComponent): \(w)") }
        let v = image.volume
        let positions = (0 ..< v.slices).map { z in zip(v.patientPosition(column: 0, row: 0, slice: Double(z)), v.sliceDirection).map(*).reduce(0, +) }
        guard let stack = AxialStack(volume: v, slicePositions: positions) else {
            throw SeriesPlaneImage.Problem(description: "\(path): the volume is empty")
        }
        let o = options.orientation
        let count = stack.planeCount(o)
        let k = slice ?? count / 2
        guard k >= 0 && k < count else {
            throw SeriesPlaneImage.Problem(description: "--slice \(k) is outside 0..<\(count) for the \(o.rawValue) plane")
        }
        let plane = try options.slab.map { try stack.slab(o, k, thickness: $0, projection: options.chosenProjection) } ?? stack.plane(o, k)
        let h = image.header
        let fileWindow = h.calMax > h.calMin && h.calMin.isFinite && h.calMax.isFinite
            ? VOITransform.Window(center: (h.calMax + h.calMin) / 2, width: h.calMax - h.calMin) : nil
        let chosen = window ?? fileWindow ?? RobustWindow.window(v.voxels)
        let voi = chosen.map { VOITransform.window($0) } ?? VOITransform.fullRange(of: plane.values)
        return try plane.displayImage(voi: voi, monochrome1: invert)
    }
}
