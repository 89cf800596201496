import ArgumentParser
import DICOM
import Foundation
import Imaging

/// `lightbox export-png FILE --out F.png`: one displayed frame (modality LUT, window, presentation);
/// or, for a series folder with `--plane` / `--slab`, one reformatted plane or thick slab.
struct ExportPNGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-png", abstract: "Write one displayed frame of a DICOM image, or a plane or thick slab of a series, as PNG.")

    @Argument(help: "A DICOM image file (or, with --plane/--slab, a folder holding one series).")
    var file: String

    @Option(help: "Output PNG path.")
    var out: String

    @Option(help: "Frame to export (0-based).")
    var frame: Int = 0

    @Option(help: "Window as CENTER/WIDTH (e.g. -600/1500) or a preset name (lung, soft, bone, brain, stroke, mediastinum).")
    var window: String?

    @Option(help: "With --plane/--slab: plane index (0-based; axial in anatomical order, coronal a row, sagittal a column; default the middle one).")
    var slice: Int?

    @OptionGroup(title: "Planes and thick slabs (series folder)")
    var planeOptions: PlaneOptions

    func validate() throws {
        if slice != nil && !planeOptions.isRequested { throw ValidationError("--slice needs --plane or --slab (a series folder)") }
    }

    func run() throws {
        do {
            if planeOptions.isRequested {
                let r = try SeriesPlaneImage.render(path: file, slice: slice, options: planeOptions, window: try parsedWindow(), invert: false)
                try PNGCodec.write(r.image, to: out)
                return
            }
            let dicom = try DICOMFile.read(URL(fileURLWithPath: file))
            let reader = try PixelDataReader(dicom)
            let renderer = FrameRenderer(dicom.dataSet)
            let image = try renderer.render(try reader.frame(frame), window: try parsedWindow())
            try PNGCodec.write(image, to: out)
        } catch let error as ValidationError {
            throw error
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }

    private func parsedWindow() throws -> VOITransform.Window? {
        guard let window else { return nil }
        guard let parsed = VOITransform.Window(parsing: window) ?? VOITransform.Window.preset(named: window) else {
            throw ValidationError("--window must be CENTER/WIDTH or a preset name")
        }
        return parsed
    }
}
