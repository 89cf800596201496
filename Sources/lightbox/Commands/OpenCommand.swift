import ArgumentParser
import DICOMNetwork
import DICOMweb
import Foundation
import Imaging
import Inference
import Review
import SliceStepBench
import TerminalGraphics
@_spi(Benchmarks) import Workstation
import Synchronization
import SystemCalls

/// `lightbox open [PATH…]` (and plain `lightbox`): the reading workstation on folders, files or
/// DICOMDIRs; with no path, on the bundled SampleStudies.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open the reading workstation (worklist, viewer, findings review).")

    @Argument(help: "Folders, files (DICOM, or NIfTI .nii/.nii.gz volumes), DICOMDIRs or DICOMweb archives (http(s)://…/dicom-web or dicomweb://NAME from config.toml; default: the bundled SampleStudies).")
    var paths: [String] = []

    @Option(help: "Reader name recorded with every decision (default: $USER).")
    var reader: String?

    @Option(help: "Review database: a SQLite path or a postgresql:// URL (default: $LIGHTBOX_REVIEW_DB, [review] url in config.toml, $XDG_DATA_HOME/lightbox/review.sqlite).")
    var db: String?

    @Flag(help: "Hide patient names, IDs and dates everywhere.")
    var deidentify = false

    @Flag(help: "Second-reader screening: the AI stays hidden until the reader has recorded per-breast BI-RADS and reveals it (R); discordances need a decision before sign-off.")
    var secondReader = false

    @Flag(help: "Arbitrate the discordance queue as a third reader (name yourself with --reader).")
    var arbitrate = false

    @Option(name: .customLong("protocol"), help: "Graphics: auto, blocks, sextants, sixel, kitty, iterm, ascii.")
    var graphics: String?

    @Option(help: "Theme name from Themes/*.toml.")
    var theme: String?

    @Option(help: "Key map and settings file (default: $XDG_CONFIG_HOME/lightbox/config.toml).")
    var config: String?

    @Option(help: ArgumentHelp("Rescan the folders every N seconds for studies that arrive while the workstation is open (pushed by `lightbox listen` or copied in); they join the worklist and are queued for AI once complete.", valueName: "N"))
    var watch: Double?

    @Option(help: ArgumentHelp("Also receive studies pushed over DICOM (C-STORE SCP, C-ECHO) on this port while open; they join the worklist as they arrive.", valueName: "PORT"))
    var listen: Int?

    @Option(name: .customLong("ae-title"), help: "With --listen: our AE title.")
    var aeTitle: String = "LIGHTBOX"

    @Option(help: "With --listen: comma-separated calling AE titles allowed (default: any).")
    var allow: String?

    @Option(help: "With --listen: where received studies are stored (default: $XDG_DATA_HOME/lightbox/received).")
    var store: String?

    @Option(help: "With a DICOMweb archive: fetch at most this many studies, newest first.")
    var limit: Int = 50

    @Option(name: .customLong("cache-limit"), help: "With a DICOMweb archive: size limit of the local copy in GiB (least recently fetched studies are removed first).")
    var cacheLimit: Double = 4

    @Option(help: ArgumentHelp("Benchmark: step through the first CT series resampled to N slices and print latency and bytes per step for blocks, sixel and kitty (no terminal needed).", valueName: "N"))
    var benchmarkSlices: Int?

    @Option(help: ArgumentHelp("Benchmark: build a worklist of N generated studies and print the first paint and each sort, filter and search step in ms (no terminal needed). With folders: the key steps again while the AI analyses their studies, niced and not.", valueName: "N"))
    var benchmarkWorklist: Int?

    func run() throws {
        // The AI queue runs the models in this process: the same tuned BLAS kernels and short
        // OpenMP/OpenBLAS spinning as `lightbox analyze` (see BLASTuning), chosen by re-executing
        // once, before the terminal or any thread is set up. A spinning idle worker takes the core
        // the UI loop needs while the AI works.
        BLASTuning.reexecWithTunedKernelsIfNeeded()
        // The log takes stderr before any background work starts (the archive mirror, the SCP), so
        // their first messages land in it rather than on the screen; errors thrown from here on are
        // printed after `end()` has given stderr back.
        if let n = benchmarkWorklist { return try benchmarkWorklist(n, aiStudies: paths) }
        if benchmarkSlices == nil, SystemCall.isTerminal(1), SystemCall.isTerminal(0) {
            StandardErrorLog.begin(databasePath: ReviewStoreChoice.location(explicit: db, configPath: config))
        }
        defer { StandardErrorLog.end() }
        // Archives are mirrored into a local folder the worklist watches; pushes land in the store.
        var roots = try paths.map { try localFolder(for: $0) }
        var arriving = paths.contains(where: Self.isArchive)
        if let listen {
            roots.append(try startListening(port: listen))
            arriving = true
        }
        if roots.isEmpty {
            guard let samples = WorkstationOptions.locate("SampleStudies") else {
                throw ValidationError("No SampleStudies folder found; give folders of DICOM files: lightbox open PATH…")
            }
            roots = [samples]
        }
        // A DICOMDIR names files in its folder tree: scanning the folder finds them.
        roots = roots.map { ($0 as NSString).lastPathComponent.uppercased() == "DICOMDIR" ? ($0 as NSString).deletingLastPathComponent : $0 }
        if let n = benchmarkSlices { return try benchmark(roots, slices: n) }
        var options = WorkstationOptions(paths: roots, databasePath: ReviewStoreChoice.location(explicit: db, configPath: config), reader: reader)
        options.deidentify = deidentify
        guard !(secondReader && arbitrate) else { throw ValidationError("--second-reader and --arbitrate are different readings: pick one") }
        options.workflow = arbitrate ? .arbitration : secondReader ? .secondReader : .standard
        options.graphics = graphics
        options.themeName = theme
        if let watch {
            guard watch >= 0.5, watch <= 3600 else { throw ValidationError("--watch takes 0.5…3600 seconds") }
            options.watchInterval = watch
        } else if arriving {
            options.watchInterval = 2
        }
        if let config { options.configPath = config }
        options.resultsDestinations = try resultsDestinations()
        // Models beside the studies run in the background; without them the sidecar source stays.
        options.modelsFolder = WorkstationOptions.locate("Models")
        if let folder = options.modelsFolder,
           let source = try? ModelFindingsSource(modelsFolder: URL(fileURLWithPath: folder)), !source.catalog.entries.isEmpty {
            options.findingsSource = source
        }
        // A TID 1500 report in the study (ours or another tool's) is shown first; then the above.
        options.findingsSource = SRFindingsSource(fallback: options.findingsSource)
        guard SystemCall.isTerminal(1), SystemCall.isTerminal(0) else {
            throw ValidationError("lightbox open needs a terminal (stdin and stdout must be a tty)")
        }
        try Runtime(options: options).run()
    }

    static func isArchive(_ path: String) -> Bool {
        path.hasPrefix("dicomweb://") || path.hasPrefix("http://") || path.hasPrefix("https://")
    }

    static func archiveName(_ path: String) -> String {
        path.hasPrefix("dicomweb://") ? String(path.dropFirst("dicomweb://".count)) : (URL(string: path)?.host ?? "archive")
    }

    /// The archives opened here whose config says `store_results = true`, with their local folders.
    private func resultsDestinations() throws -> [ResultsDestination] {
        let archives = paths.filter(Self.isArchive)
        guard !archives.isEmpty else { return [] }
        let registry = try ArchiveRegistry.load(path: config)
        return archives.compactMap { path in
            guard let archive = try? registry.resolve(path), archive.storeResults else { return nil }
            return ResultsDestination(folder: ArchiveMirror.folder(for: Self.archiveName(path)).path, archive: archive)
        }
    }

    /// A path as given, or for an archive the local folder it is mirrored into (fetching starts now).
    private func localFolder(for path: String) throws -> String {
        guard Self.isArchive(path) else { return path }
        let client = try ArchiveCommandSupport.client(for: path, config: config)
        guard (1 ... 10_000).contains(limit) else { throw ValidationError("--limit takes 1…10000") }
        let name = Self.archiveName(path)
        guard cacheLimit > 0, cacheLimit <= 16_384 else { throw ValidationError("--cache-limit takes 0…16384 GiB") }
        let folder = ArchiveMirror.folder(for: name)
        let limitBytes = Int64(cacheLimit * 1_073_741_824)
        ArchiveMirror.prune(folder, limitBytes: limitBytes)
        ArchiveMirror.start(client: client, query: StudyQuery(limit: limit), into: folder, limitBytes: limitBytes)
        return folder.path
    }

    /// Starts the C-STORE SCP for `--listen` and returns the folder it stores into.
    private func startListening(port: Int) throws -> String {
        guard (1 ... 65535).contains(port) else { throw ValidationError("--listen takes a port 1…65535") }
        let env = ProcessInfo.processInfo.environment
        let folder = store ?? ((ReviewStore.defaultPath(environment: env) as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("received")
        let allowed = allow.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) }
        let policy = AssociationPolicy(aeTitle: aeTitle, allowedCallingAETitles: allowed)
        do {
            let scp = StorageSCP(policy: policy, store: try InstanceStore(root: URL(fileURLWithPath: folder))) { _ in }
            _ = try scp.start(host: "0.0.0.0", port: port)
            Self.listeners.withLock { $0.append(scp) }
        } catch {
            throw ValidationError("cannot receive on port \(port) into \(folder): \(error)")
        }
        return folder
    }

    /// Keeps the SCP alive for the life of the workstation.
    private static let listeners = Mutex<[StorageSCP]>([])

    private func benchmarkWorklist(_ count: Int, aiStudies roots: [String]) throws {
        guard (1 ... 1_000_000).contains(count) else { throw ValidationError("--benchmark-worklist takes 1…1000000") }
        let studies = WorklistBenchmark.studies(count)
        let r = WorklistBenchmark.run(studies: studies)
        func loadAverage() -> String {
            var load = [Double](repeating: 0, count: 3)
            _ = getloadavg(&load, 3)
            return String(format: "load average %.2f %.2f %.2f", load[0], load[1], load[2])
        }
        Output.line("Worklist of \(r.studies) studies, 160×48 cells; \(loadAverage())")
        Output.line(String(format: "%-16@ %9.1f ms  (aim ≤ 1000)", "first paint" as NSString, r.firstPaintMS))
        for a in r.actions {
            Output.line(String(format: "%-16@ %9.1f ms  (aim ≤ 50)", a.name as NSString, a.ms))
        }
        guard !roots.isEmpty else { return }
        // Key latency while the AI works: the same steps, idle, then beside the AI queue analysing
        // the folders' studies without a cache, its thread niced (the default) and not, alternated.
        guard let models = WorkstationOptions.locate("Models") else { throw ValidationError("no Models folder found for the AI load") }
        let aiStudies = StudyIndex.scan(roots, cache: nil).studies
        guard !aiStudies.isEmpty else { throw ValidationError("no studies under \(roots.joined(separator: " "))") }
        func summary(_ ms: [Double]) -> String {
            let s = ms.sorted()
            let at = { (q: Double) in s[min(s.count - 1, Int(q * Double(s.count)))] }
            return String(format: "p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d steps)", at(0.5), at(0.95), s.last ?? 0, s.count)
        }
        Output.line("Key steps (update + view) while the AI analyses \(aiStudies.count) studies, \(ProcessInfo.processInfo.activeProcessorCount) cores (aim ≤ 50 ms):")
        Output.line("  idle               \(summary(WorklistBenchmark.keyLatencies(studies: studies, rounds: 3)))  \(loadAverage())")
        for round in 0 ..< 2 {
            for niceness: Int32 in round == 0 ? [0, 10] : [10, 0] {
                let load = try AnalysisLoad(studies: aiStudies, modelsFolder: URL(fileURLWithPath: models), niceness: niceness)
                Thread.sleep(forTimeInterval: 1)  // the first model loaded and running
                let ms = WorklistBenchmark.keyLatencies(studies: studies, rounds: 3)
                load.stop()
                Output.line("  AI at nice \(String(format: "%-2d", load.niceness))       \(summary(ms))  \(load.analysed) studies analysed; \(loadAverage())")
            }
        }
    }

    private func benchmark(_ roots: [String], slices: Int) throws {
        let index = StudyIndex.scan(roots, cache: nil)
        guard let study = index.studies.first(where: { $0.series.contains { $0.instances.count > 2 } }),
              let series = study.series.max(by: { $0.instances.count < $1.instances.count }) else {
            throw ValidationError("no multi-slice series under \(roots.joined(separator: " "))")
        }
        let stack = SliceStepBenchmark.resample(ImageStack.load(series), to: max(2, slices))
        Output.line("Slice step over \(stack.frames.count) slices of \(stack.frames.first.map { "\($0.width)×\($0.height)" } ?? "?") (\(series.first.seriesDescription)), 160×48 cells of 10×20 px")
        Output.line("protocol     mean ms  p50 ms  p95 ms  bytes/step (mean)  max bytes  first frame  bytes/step back (revisit)")
        let runs: [(String, GraphicsProtocol, Bool)] = [("blocks", .blocks, false), ("sixel", .sixel, false), ("kitty", .kitty, false),
                                                        ("kitty-tmux", .kitty, true)]
        for (name, proto, tmux) in runs {
            let r = SliceStepBenchmark.run(study: study, stack: stack, graphics: proto, insideTmux: tmux)
            Output.line(name.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: " %8.2f %7.2f %7.2f %18.0f %10d %12d %26.0f", r.meanMS, r.p50MS, r.p95MS,
                               r.meanBytes, r.maxBytes, r.firstFrameBytes, r.revisitMeanBytes))
        }
    }
}
