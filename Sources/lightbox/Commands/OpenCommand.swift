import ArgumentParser
import Foundation
import Workstation

/// `lightbox open [PATH…]` (and plain `lightbox`): the reading workstation on folders, files or
/// DICOMDIRs; with no path, on the bundled SampleStudies.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open the reading workstation (worklist, viewer, findings review).")

    @Argument(help: "Folders, files or DICOMDIRs (default: the bundled SampleStudies).")
    var paths: [String] = []

    @Option(help: "Reader name recorded with every decision (default: $USER).")
    var reader: String?

    @Option(help: "Review database (default: $XDG_DATA_HOME/lightbox/review.sqlite).")
    var db: String?

    @Flag(help: "Hide patient names, IDs and dates everywhere.")
    var deidentify = false

    @Option(name: .customLong("protocol"), help: "Graphics: auto, blocks, sextants, sixel, kitty, iterm, ascii.")
    var graphics: String?

    @Option(help: "Theme name from Themes/*.toml.")
    var theme: String?

    @Option(help: "Key map and settings file (default: $XDG_CONFIG_HOME/lightbox/config.toml).")
    var config: String?

    func run() throws {
        var roots = paths
        if roots.isEmpty {
            guard let samples = WorkstationOptions.locate("SampleStudies") else {
                throw ValidationError("No SampleStudies folder found; give folders of DICOM files: lightbox open PATH…")
            }
            roots = [samples]
        }
        // A DICOMDIR names files in its folder tree: scanning the folder finds them.
        roots = roots.map { ($0 as NSString).lastPathComponent.uppercased() == "DICOMDIR" ? ($0 as NSString).deletingLastPathComponent : $0 }
        var options = WorkstationOptions(paths: roots, databasePath: db, reader: reader)
        options.deidentify = deidentify
        options.graphics = graphics
        options.themeName = theme
        if let config { options.configPath = config }
        guard isatty(1) != 0, isatty(0) != 0 else {
            throw ValidationError("lightbox open needs a terminal (stdin and stdout must be a tty)")
        }
        try Runtime(options: options).run()
    }
}
