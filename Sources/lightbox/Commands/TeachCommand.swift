import ArgumentParser
import Foundation
import Inference
import SystemCalls
import TerminalGraphics
import Workstation

/// `lightbox teach PATH`: a teaching session over annotated cases (study folders with
/// `ground_truth.json` sidecars), in the workstation.
struct TeachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teach",
        abstract: "Teaching session: step through annotated cases, as known cases or as a scored quiz.",
        discussion: """
            Keys: . next case, , previous case, F/B mark a finding, u undo, b assessment, R reveal (quiz), \
            E session summary, Q quit. A quiz mark hits a lesion when it lies within max(radius, 5 mm) of it. \
            Results are stored per trainee in the review database (teaching_sessions, teaching_marks, teaching_results).
            """)

    enum Order: String, ExpressibleByArgument, CaseIterable { case fixed, random }
    enum Mode: String, ExpressibleByArgument, CaseIterable { case known, unknown }

    @Argument(help: "A folder of study folders, each with a ground_truth.json sidecar (default: the bundled SampleStudies).")
    var path: String?

    @Option(help: "Case order: fixed (folder order) or random.")
    var order: Order = .fixed

    @Option(help: "Seed for --order random (default: from the clock; the session records it).")
    var seed: UInt64?

    @Option(help: "known: answers visible; unknown: a quiz, answers on reveal.")
    var mode: Mode = .unknown

    @Option(help: "Trainee name the results are stored under (default: $USER).")
    var trainee: String?

    @Flag(help: "Presenter use: larger panel, every annotation labelled, de-identified display forced on.")
    var presenter = false

    @Flag(help: "Hide patient names, IDs and dates everywhere.")
    var deidentify = false

    @Option(help: "Review database: a SQLite path or a postgresql:// URL (default: $LIGHTBOX_REVIEW_DB, [review] url in config.toml, $XDG_DATA_HOME/lightbox/review.sqlite).")
    var db: String?

    @Option(name: .customLong("protocol"), help: "Graphics: auto, blocks, sextants, sixel, kitty, iterm, ascii.")
    var graphics: String?

    @Option(help: "Theme name from Themes/*.toml.")
    var theme: String?

    @Option(help: "Key map and settings file (default: $XDG_CONFIG_HOME/lightbox/config.toml).")
    var config: String?

    func run() throws {
        BLASTuning.reexecWithTunedKernelsIfNeeded()  // the models run in this process (see OpenCommand.run)
        guard let root = path ?? WorkstationOptions.locate("SampleStudies") else {
            throw ValidationError("No SampleStudies folder found; give a folder of annotated studies: lightbox teach PATH")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError(TextSanitizer.sanitize("\(root) is not a folder"))
        }
        let cases: [TeachingCase]
        // The message quotes sidecar paths (folder names from the teaching set): sanitised, since
        // ArgumentParser prints a ValidationError as it is.
        do { cases = try TeachingCase.load(root: root) } catch { throw ValidationError(TextSanitizer.sanitize("\(error)")) }
        let seedValue = seed ?? UInt64(Date().timeIntervalSince1970 * 1000)
        let ordered = TeachingCase.ordered(cases, random: order == .random, seed: seedValue)
        var options = WorkstationOptions(paths: ordered.map(\.folder), databasePath: ReviewStoreChoice.location(explicit: db, configPath: config), reader: trainee)
        options.deidentify = deidentify || presenter
        options.graphics = graphics
        options.themeName = theme
        if let config { options.configPath = config }
        options.teaching = TeachingSession(key: UUID().uuidString.lowercased(), mode: mode == .known ? .known : .unknown,
                                           presenter: presenter, cases: ordered)
        options.teachingOrder = order.rawValue
        // Int64 range for SQLite; the seed that was used is what matters for replaying the order.
        options.teachingSeed = order == .random ? Int(truncatingIfNeeded: Int64(bitPattern: seedValue)) : nil
        if let folder = WorkstationOptions.locate("Models"),
           let source = try? ModelFindingsSource(modelsFolder: URL(fileURLWithPath: folder)), !source.catalog.entries.isEmpty {
            options.findingsSource = source
        }
        guard SystemCall.isTerminal(1), SystemCall.isTerminal(0) else {
            throw ValidationError("lightbox teach needs a terminal (stdin and stdout must be a tty)")
        }
        try Runtime(options: options).run()
    }
}
