import ArgumentParser
import DICOMweb
import Foundation
import Synchronization
import SystemCalls

/// `lightbox pull URL|dicomweb://NAME STUDY_UID --to DIR`: WADO-RS retrieval of a study (or one series)
/// as Part 10 files, written one by one as they arrive to `DIR/<StudyUID>/<SOPInstanceUID>.dcm`.
/// If the archive stops mid-study, the instances already written stay, and the message says how many.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch a study from a DICOMweb archive (WADO-RS) as Part 10 files.",
        discussion: "Exit status: 0 success, 2 bad arguments or configuration, 3 the archive failed (files received so far are kept).")

    @Argument(help: "The archive: http(s)://…/dicom-web or dicomweb://NAME from config.toml.")
    var source: String

    @Argument(help: "Study Instance UID.")
    var study: String

    @Option(help: "Only this Series Instance UID.")
    var series: String?

    @Option(help: "Destination folder.")
    var to: String

    @Option(help: "Config file with [archives.NAME] tables (default: $XDG_CONFIG_HOME/lightbox/config.toml).")
    var config: String?

    @Option(help: "Seconds to wait for the next bytes before giving up.")
    var timeout: Double = 30

    @Flag(help: "Print a JSON summary (timings) instead of text.")
    var json = false

    func run() async throws {
        let client = try ArchiveCommandSupport.client(for: source, config: config, idleTimeout: timeout)
        let root = URL(fileURLWithPath: to)
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            Output.error("cannot create \(to): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        struct Progress { var count = 0; var bytes = 0; var first: Double? }
        let received = Mutex(Progress())
        let start = Date()
        do {
            try await client.retrieve(study: study, series: series) { instance in
                try Self.write(instance, under: root)
                received.withLock { p in
                    p.count += 1
                    p.bytes += instance.data.count
                    if p.first == nil { p.first = Date().timeIntervalSince(start) }
                }
            }
        } catch {
            let code = ArchiveCommandSupport.fail(error)
            let count = received.withLock { $0.count }
            if count > 0 { Output.error("the \(count) instance(s) received before the failure are kept in \(to)") }
            throw code
        }
        let progress = received.withLock { $0 }
        let total = Date().timeIntervalSince(start)
        if json {
            try Output.json(["instances": progress.count, "bytes": progress.bytes, "firstInstanceSeconds": progress.first ?? 0,
                             "totalSeconds": total, "directory": root.appendingPathComponent(study).path] as [String: Any])
        } else {
            Output.line("\(progress.count) instance(s), \(progress.bytes) bytes in \(String(format: "%.2f", total)) s (first after \(String(format: "%.3f", progress.first ?? 0)) s) → \(root.appendingPathComponent(study).path)")
        }
    }

    /// `uid` when it is a DICOM UID (digits and dots, at most 64), safe as a file name; nil otherwise.
    static func safe(_ uid: String) -> String? {
        uid.isEmpty || uid.count > 64 || !uid.allSatisfy({ $0 == "." || $0.isASCII && $0.isNumber }) ? nil : uid
    }

    /// Temp file + rename: a reader of the folder never sees a partial instance.
    static func write(_ instance: RetrievedInstance, under root: URL) throws {
        let folder = root.appendingPathComponent(safe(instance.studyInstanceUID) ?? "unknown-study", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = (safe(instance.sopInstanceUID) ?? "instance-\(instance.index)") + ".dcm"
        let temp = folder.appendingPathComponent(".\(name).part")
        try instance.data.write(to: temp)
        do { try SystemCall.rename(temp.path, to: folder.appendingPathComponent(name).path) } catch {
            try? FileManager.default.removeItem(at: temp)
            throw DICOMwebError.configuration("cannot write \(name) into \(folder.path)")
        }
    }
}
