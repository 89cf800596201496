import ArgumentParser
import DICOM
import Foundation
import Imaging

/// `lightbox export-png FILE --out F.png`: one displayed frame (modality LUT, window, presentation).
struct ExportPNGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-png", abstract: "Write one displayed frame of a DICOM image as PNG.")

    @Argument(help: "A DICOM image file.")
    var file: String

    @Option(help: "Output PNG path.")
    var out: String

    @Option(help: "Frame to export (0-based).")
    var frame: Int = 0

    @Option(help: "Window as CENTER/WIDTH (e.g. -600/1500) or a preset name (lung, soft, bone, brain, stroke, mediastinum).")
    var window: String?

    func run() throws {
        do {
            let dicom = try DICOMFile.read(URL(fileURLWithPath: file))
            let reader = try PixelDataReader(dicom)
            let renderer = FrameRenderer(dicom.dataSet)
            var w: VOITransform.Window?
            if let window {
                guard let parsed = VOITransform.Window(parsing: window) ?? VOITransform.Window.preset(named: window) else {
                    throw ValidationError("--window must be CENTER/WIDTH or a preset name")
                }
                w = parsed
            }
            let image = try renderer.render(try reader.frame(frame), window: w)
            try PNGCodec.write(image, to: out)
        } catch let error as ValidationError {
            throw error
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }
}
