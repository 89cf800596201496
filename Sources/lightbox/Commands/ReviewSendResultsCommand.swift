import ArgumentParser
import DICOMweb
import Foundation
import Imaging
import LightboxConfig
import Review
import Workstation

/// `lightbox review send-results STUDY --archive NAME`: what the workstation does on sign-off for an
/// archive with `store_results = true`, by hand: the study's SR and SEG go into the results outbox
/// and are sent (STOW-RS) at once; what the archive does not take stays queued for
/// `lightbox review outbox --retry` or the next workstation.
struct ReviewSendResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-results",
        abstract: "Send a study's SR and SEG to an archive (STOW-RS) through the results outbox.",
        discussion: "Exit status: 0 sent, 2 bad arguments or configuration, 3 queued in the outbox (the archive failed or refused).")

    @Argument(help: "The study: a folder or file of its DICOM images.")
    var study: String

    @Option(help: "The archive: NAME of an [archives.NAME] table in config.toml.")
    var archive: String

    @Option(help: "Review database: a SQLite path or a postgresql:// URL (default as for review export).")
    var db: String?

    @Option(help: "Whose reading to send (default: the only reader of the study).")
    var reader: String?

    @Option(help: "Config file with [archives.NAME] tables (default: $XDG_CONFIG_HOME/lightbox/config.toml).")
    var config: String?

    @Option(help: "Folder of models, for the SEG when no analysis.json lies beside the study.")
    var models: String?

    func run() throws {
        let registry: ArchiveRegistry
        let destination: ArchiveConfiguration
        do {
            registry = try ArchiveRegistry.load(path: config)
            destination = try registry.resolve(archive.hasPrefix("dicomweb://") ? archive : "dicomweb://" + archive)
        } catch { Output.error("\(error)"); throw ExitCode(2) }
        let studies = StudyIndex.scan([study], cache: nil).studies
        guard studies.count == 1, let target = studies.first else {
            Output.error("\(study): \(studies.isEmpty ? "no DICOM study found" : "holds \(studies.count) studies; give one")")
            throw ExitCode(2)
        }
        let store = try ReviewStoreChoice.open(explicit: db)
        let uid = target.studyInstanceUID
        let who: String
        if let reader { who = reader } else {
            let readers = Set(try store.readers(studyUID: uid) + (try store.signoffs(studyUID: uid)).map(\.reader)).sorted()
            guard readers.count == 1 else { Output.error("choose a reader with --reader (\(readers.count) read study \(uid))"); throw ExitCode(2) }
            who = readers[0]
        }
        let files: [(name: String, data: Data)]
        do {
            let folder = models ?? ResourceLocator().locate("Models")?.path
            let analysis = try StudyAnalysisLoader.load(target, modelsFolder: folder.map { URL(fileURLWithPath: $0) })
            files = try StudyResults.files(study: target, store: store, reader: who, analysis: analysis)
        } catch { Output.error("cannot make the results: \(error)"); throw ExitCode(2) }
        let outbox = ResultsOutbox.standard()
        let job = try outbox.enqueue(studyUID: uid, archive: destination.name, files: files)
        let sender = ResultsSender(archives: [destination.name: destination])
        let left = outbox.attemptDue(force: true) { name, urls, study in
            guard name == destination.name else { throw ResultsSender.Failure(description: "not this archive") }
            try sender.send(archive: name, files: urls, studyUID: study)
        }
        if let still = left.first(where: { $0.id == job.id }) {
            Output.line("queued \(files.map(\.name).joined(separator: " + ")) for \(destination.name): \(still.lastError ?? "not sent")")
            throw ExitCode(3)
        }
        Output.line("sent \(files.map(\.name).joined(separator: " + ")) of study \(uid) to \(destination.name)")
    }
}

/// `lightbox review outbox [--retry]`: results waiting to reach their archive; `--retry` sends them now.
struct ReviewOutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List results (SR, SEG) not yet stored in their archive; --retry sends them now.",
        discussion: "Exit status: 0 the outbox is empty (after --retry), 3 results are still queued.")

    @Flag(help: "Send every queued job now, whatever its back-off.")
    var retry = false

    @Option(help: "Config file with [archives.NAME] tables (default: $XDG_CONFIG_HOME/lightbox/config.toml).")
    var config: String?

    func run() throws {
        let outbox = ResultsOutbox.standard()
        var jobs = outbox.jobs()
        if retry, !jobs.isEmpty {
            let registry: ArchiveRegistry
            do { registry = try ArchiveRegistry.load(path: config) } catch { Output.error("\(error)"); throw ExitCode(2) }
            let sender = ResultsSender(archives: registry.archives)
            jobs = outbox.attemptDue(force: true) { try sender.send(archive: $0, files: $1, studyUID: $2) }
        }
        for j in jobs {
            Output.line("\(j.studyUID) → \(j.archive): \(j.files.joined(separator: " + ")), \(j.attempts) tr\(j.attempts == 1 ? "y" : "ies")"
                        + (j.lastError.map { ", last error: \($0)" } ?? ""))
        }
        Output.line("\(jobs.count) job\(jobs.count == 1 ? "" : "s") in \(outbox.folder.path)")
        if !jobs.isEmpty { throw ExitCode(3) }
    }
}
