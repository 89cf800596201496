import ArgumentParser
import DICOM
import Foundation
import Imaging
import Inference

/// `lightbox info FILE`: a dcmdump-style tag listing and a pixel summary; `--json` for machines;
/// `--pixels-npy OUT` writes the decoded stored values for comparison with other toolkits.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a DICOM file's elements and pixel summary (or a NIfTI volume's header and geometry).",
        discussion: """
            --frames reads the Shared and Per-frame Functional Groups (PS3.3 C.7.6.16) and splits the frames into \
            stacks by Stack ID, b-value, time point and derived map, each ordered along its normal.
            Stored values in --pixels-npy are before any LUT: frames×rows×columns[×samples], in the stored dtype.
            Exit status: 0 success, 2 unreadable, 3 pixel data cannot be decoded, 4 data set truncated or malformed \
            (the elements before the fault are shown).
            """)

    @Argument(help: "A DICOM file (Part 10 or a bare data set), or a NIfTI volume (.nii, .nii.gz).")
    var file: String

    @Flag(help: "Print DICOM JSON (PS3.18 F.2) plus a pixel summary instead of a listing.")
    var json = false

    @Option(name: .customLong("pixels-npy"), help: "Write decoded stored pixel values to this .npy file.")
    var pixelsNPY: String?

    @Option(help: "With --pixels-npy: only this frame (0-based); default all frames.")
    var frame: Int?

    @Flag(help: "Stop reading at the pixel data (faster for large files).")
    var headerOnly = false

    @Flag(help: "Print each frame's geometry and acquisition (from the functional groups of an Enhanced object), the stacks the frames split into, and each stack's MR sequence, as JSON.")
    var frames = false

    func run() throws {
        if NIfTIReader.handles(path: file) {
            do { return try NIfTIInfo.run(path: file, json: json, pixelsNPY: pixelsNPY) } catch {
                Output.error("\(error)")
                throw ExitCode(2)
            }
        }
        let dicom: DICOMFile
        do {
            dicom = try DICOMFile.read(URL(fileURLWithPath: file), options: .init(stopBeforePixelData: headerOnly, lenient: true))
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        if frames {
            try Output.json(FrameReport.object(dicom.dataSet, file: file))
            return
        }
        var pixelSummary: [String: Any] = [:]
        var pixelError: String?
        if dicom.dataSet[.pixelData] != nil {
            do {
                let reader = try PixelDataReader(dicom)
                let d = reader.description
                pixelSummary = ["rows": d.rows, "columns": d.columns, "frames": d.numberOfFrames,
                                "samplesPerPixel": d.samplesPerPixel, "bitsAllocated": d.bitsAllocated,
                                "bitsStored": d.bitsStored, "signed": d.isSigned,
                                "photometricInterpretation": d.photometricInterpretation]
                if let out = pixelsNPY { try writeNPY(reader, to: out) }
            } catch {
                pixelError = "\(error)"
            }
        } else if pixelsNPY != nil {
            pixelError = "\(file): the data set has no Pixel Data"
        }

        if json {
            var object: [String: Any] = [
                "file": file, "transferSyntax": ["uid": dicom.transferSyntax.uid, "name": dicom.transferSyntax.name],
                "meta": DICOMJSONEncoder.object(dicom.meta), "dataset": DICOMJSONEncoder.object(dicom.dataSet),
            ]
            if !pixelSummary.isEmpty { object["pixels"] = pixelSummary }
            if let pixelError { object["pixelError"] = pixelError }
            if let parseError = dicom.parseError { object["parseError"] = "\(parseError)" }
            try Output.json(object)
        } else {
            for line in DataSetDump.lines(dicom) { Output.line(line) }
            if !pixelSummary.isEmpty {
                Output.line("")
                Output.line("# Pixels: \(pixelSummary["columns"]!)×\(pixelSummary["rows"]!), \(pixelSummary["frames"]!) frame(s), \(pixelSummary["samplesPerPixel"]!) sample(s), \(pixelSummary["bitsStored"]!)/\(pixelSummary["bitsAllocated"]!) bits, \((pixelSummary["signed"] as? Bool) == true ? "signed" : "unsigned"), \(pixelSummary["photometricInterpretation"]!)")
            }
        }
        if let parseError = dicom.parseError {
            // What came before the fault was shown; the fault itself is an error the caller must see.
            Output.error("\(parseError) (showing the elements before it)")
            throw ExitCode(4)
        }
        if let pixelError {
            Output.error(pixelError)
            throw ExitCode(3)
        }
    }

    private func writeNPY(_ reader: PixelDataReader, to path: String) throws {
        let d = reader.description
        let frames: [Int]
        if let frame { frames = [frame] } else { frames = Array(0 ..< d.numberOfFrames) }
        var body: [UInt8] = []
        var signed = d.isSigned
        for f in frames {
            let decoded = try reader.frame(f)
            signed = decoded.isSigned
            body += decoded.samples
        }
        var shape = [frames.count, d.rows, d.columns]
        if d.samplesPerPixel > 1 { shape.append(d.samplesPerPixel) }
        let data = Data(NPY.file(descr: NPY.integerDescr(bytes: d.bytesPerSample, signed: signed), shape: shape, body: body))
        try data.write(to: URL(fileURLWithPath: path))
    }
}
