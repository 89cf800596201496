import Analysis
import ArgumentParser
import DICOM
import Foundation
import Imaging
import SystemCalls
import TerminalGraphics

/// `lightbox render PATH`: one image printed to stdout through the best protocol the terminal has,
/// like chafa or timg do for ordinary pictures — for DICOM files, series folders and PNG files.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Print a DICOM image, a slice of a series folder or NIfTI volume, or a PNG to the terminal.",
        discussion: "The protocol comes from LIGHTBOX_GRAPHICS (auto|sixel|kitty|iterm|blocks|ascii), --protocol, or detection.")

    @Argument(help: "A DICOM file, a folder holding one series, a NIfTI volume (.nii, .nii.gz), or a PNG file.")
    var path: String

    @Option(help: "Slice of a series folder (0-based, in anatomical order; with --plane the row or column; default the middle one).")
    var slice: Int?

    @Option(help: "Frame of a multi-frame file (0-based).")
    var frame: Int = 0

    @Option(help: "Window as CENTER/WIDTH, e.g. -600/1500.")
    var window: String?

    @Option(help: "Window preset: soft, lung, bone, brain, stroke, mediastinum.")
    var preset: String?

    @Option(name: .customLong("protocol"), help: "auto, sixel, kitty, iterm, blocks, sextants, ascii.")
    var graphicsProtocol: String?

    @Option(help: "Cell symbols for block output: half or sextant.")
    var symbols: String?

    @Option(help: "Fit inside COLSxROWS cells (default: the terminal size, or 80x24).")
    var size: String?

    @Option(help: "Colours: full, 256, 16 or none.")
    var colors: String?

    @Option(name: .customLong("cell-size"), help: "Cell size in pixels WxH (default: asked of the terminal, else 8x16).")
    var cellSize: String?

    @Flag(help: "Invert the grey scale.")
    var invert = false

    @Flag(help: "Draw the AI findings (analysis.json beside the image, docs/ANALYSIS_JSON.md) and list them below.")
    var findings = false

    @OptionGroup(title: "Planes and thick slabs (series folder)")
    var planeOptions: PlaneOptions

    func validate() throws {
        if let graphicsProtocol, GraphicsProtocol(argument: graphicsProtocol) == nil { throw ValidationError("unknown --protocol \(graphicsProtocol)") }
        if let symbols, !["half", "vhalf", "sextant", "sextants"].contains(symbols) { throw ValidationError("--symbols must be half or sextant") }
        if let colors, !["full", "256", "16", "none"].contains(colors) { throw ValidationError("--colors must be full, 256, 16 or none") }
        if let size, parseSize(size) == nil { throw ValidationError("--size must be COLSxROWS, e.g. 160x50") }
        if let cellSize, CellGrid.parseCellSize(cellSize) == nil { throw ValidationError("--cell-size must be WxH, e.g. 10x20") }
        if window != nil && preset != nil { throw ValidationError("give --window or --preset, not both") }
    }

    func run() throws {
        let loaded: LoadedImage
        do {
            loaded = try loadImage()
        } catch let error as ValidationError {
            throw error
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let env = ProcessInfo.processInfo.environment
        let interactive = SystemCall.isTerminal(1) && SystemCall.isTerminal(0)
        var caps = interactive
            ? TerminalCapabilities.detect(environment: env, input: STDIN_FILENO, output: STDOUT_FILENO,
                                          protocolFlag: graphicsProtocol ?? env["LIGHTBOX_GRAPHICS"],
                                          cellSize: cellSize.flatMap(CellGrid.parseCellSize))
            : TerminalCapabilities.fromEnvironment(env)
        if !interactive {
            caps.apply(override: graphicsProtocol ?? env["LIGHTBOX_GRAPHICS"])
            if let c = cellSize.flatMap(CellGrid.parseCellSize) { caps.cellWidth = c.width; caps.cellHeight = c.height }
        }
        if let symbols, !caps.graphicsProtocol.isPixelProtocol || graphicsProtocol == nil {
            caps.graphicsProtocol = symbols.hasPrefix("sextant") ? .sextants : .blocks
        }
        if let colors {
            caps.colorDepth = ["full": .trueColor, "256": .xterm256, "16": .ansi16, "none": .none][colors] ?? caps.colorDepth
            if caps.colorDepth == .none && !caps.graphicsProtocol.isPixelProtocol { caps.graphicsProtocol = .ascii }
        }
        let image = loaded.image
        let (columns, rows) = size.flatMap(parseSize) ?? terminalSize()
        let rgb = try RGBImage(width: image.width, height: image.height, channels: 3, pixels: image.rgb(),
                           pixelAspectRatio: image.pixelAspectRatio)
        let (overlays, legend) = findings ? findingOverlays(loaded) : ([], [])
        let rendered = ImageRenderer(capabilities: caps).render(rgb, overlays: overlays, columns: columns, rows: rows)
        FileHandle.standardOutput.write(Data(rendered.bytes))
        if !rendered.bytes.isEmpty && rendered.bytes.last != 0x0A { FileHandle.standardOutput.write(Data("\n".utf8)) }
        for line in legend { Output.line(line) }
    }

    /// What was rendered, and where it came from (to find its findings).
    struct LoadedImage {
        var image: DisplayImage
        var sopInstanceUID: String? = nil
        var studyInstanceUID: String? = nil
        var directory: String? = nil
    }

    /// Boxes (or points) in risk colours for the findings on this image, and a text legend that says
    /// which model proposed them and that it is not for clinical use.
    private func findingOverlays(_ loaded: LoadedImage) -> ([Overlay], [String]) {
        guard let dir = loaded.directory else { return ([], ["AI: no findings file (analysis.json) beside this image"]) }
        let url = URL(fileURLWithPath: dir).appendingPathComponent(AnalysisDocument.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            return ([], ["AI: no findings file (analysis.json) beside this image"])
        }
        let document: AnalysisDocument
        do { document = try AnalysisDocument.read(contentsOf: url) } catch {
            return ([], ["AI: analysis.json is unreadable: \(error)"])
        }
        if let uid = document.studyInstanceUID, !uid.isEmpty, let mine = loaded.studyInstanceUID, uid != mine {
            return ([], ["AI: analysis.json beside this image is for another study"])
        }
        let here = document.findings.filter { $0.sopInstanceUID == loaded.sopInstanceUID }
        var overlays: [Overlay] = []
        var legend: [String] = []
        if let model = document.models.first?.reference ?? document.findings.first?.model {
            legend.append("AI findings: \(model.id) \(model.version)"
                          + (document.notForClinicalUse ? " — NOT FOR CLINICAL USE (synthetic training data)" : ""))
        }
        for f in here {
            let color = OverlayColor.severity(RiskLevel.allCases.firstIndex(of: f.risk) ?? 0)   // the theme's ramp, least severe first
            if f.bboxPX.count == 4, f.bboxPX[2] > 0, f.bboxPX[3] > 0 {
                overlays.append(.box(x: Double(f.bboxPX[0]), y: Double(f.bboxPX[1]), width: Double(f.bboxPX[2]),
                                     height: Double(f.bboxPX[3]), color: color, label: nil))
            } else if f.centerPX.count == 2 {
                overlays.append(.marker(OverlayPoint(x: f.centerPX[0], y: f.centerPX[1]), color: color, label: nil))
            }
            var text = "  [\(f.risk.rawValue)] \(f.label)" + String(format: " p=%.2f", f.probability)
            if let d = f.diameterMM { text += String(format: " %.1f mm", d) }
            if let c = f.category { text += " (\(c))" }
            if f.ood { text += " — outside the model's validated range" }
            legend.append(text)
        }
        let elsewhere = document.findings.count - here.count
        if elsewhere > 0 { legend.append("  \(elsewhere) more finding(s) on other images of this study") }
        for problem in document.problems { legend.append("  (analysis.json: \(problem))") }
        return (overlays, legend)
    }

    private func chosenWindow() throws -> VOITransform.Window? {
        if let window {
            guard let w = VOITransform.Window(parsing: window) else { throw ValidationError("--window must be CENTER/WIDTH") }
            return w
        }
        if let preset {
            guard let w = VOITransform.Window.preset(named: preset) else { throw ValidationError("unknown preset \(preset)") }
            return w
        }
        return nil
    }

    private func loadImage() throws -> LoadedImage {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ValidationError("\(path): no such file or folder")
        }
        if !isDir.boolValue && path.lowercased().hasSuffix(".png") { return LoadedImage(image: try PNGCodec.read(path)) }
        if !isDir.boolValue && NIfTIReader.handles(path: path) {
            return LoadedImage(image: try NIfTIPlaneImage.render(path: path, slice: slice, options: planeOptions,
                                                                 window: try chosenWindow(), invert: invert))
        }
        if planeOptions.isRequested {
            let r = try SeriesPlaneImage.render(path: path, slice: slice, options: planeOptions, window: try chosenWindow(), invert: invert)
            return LoadedImage(image: r.image, sopInstanceUID: r.sopInstanceUID, studyInstanceUID: r.studyInstanceUID, directory: r.directory)
        }
        var file = path
        if isDir.boolValue {
            let index = StudyIndex.scan([path], cache: nil)
            guard let series = index.studies.first?.series.first(where: { $0.first.hasPixelData }) else {
                throw ValidationError("\(path): no DICOM images found")
            }
            let sorted = SeriesLoader.sortedForVolume(series.instances).sorted
            let k = slice ?? sorted.count / 2
            guard k >= 0 && k < sorted.count else { throw ValidationError("--slice \(k) is outside 0..<\(sorted.count)") }
            file = sorted[k].path
        }
        let dicom = try DICOMFile.read(URL(fileURLWithPath: file))
        let reader = try PixelDataReader(dicom)
        let image = try FrameRenderer(dicom.dataSet).render(try reader.frame(frame), window: try chosenWindow(), invert: invert)
        return LoadedImage(image: image, sopInstanceUID: dicom.dataSet.string(.sopInstanceUID),
                           studyInstanceUID: dicom.dataSet.string(.studyInstanceUID),
                           directory: (file as NSString).deletingLastPathComponent)
    }

    private func parseSize(_ text: String) -> (Int, Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let c = Int(parts[0]), let r = Int(parts[1]), (1...2000).contains(c), (1...1000).contains(r) else { return nil }
        return (c, r)
    }

    /// The terminal's size in cells, leaving a row for the prompt; 80×24 when not a terminal.
    private func terminalSize() -> (Int, Int) {
        if let w = WindowSize.of(fd: STDOUT_FILENO), w.columns > 0, w.rows > 1 { return (w.columns, w.rows - 1) }
        return (80, 24)
    }
}
