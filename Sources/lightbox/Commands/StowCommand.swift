import ArgumentParser
import DICOMweb
import Foundation

/// `lightbox stow URL|dicomweb://NAME FILE…`: STOW-RS upload of Part 10 files (e.g. our SR reports).
struct StowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stow",
        abstract: "Upload DICOM files to a DICOMweb archive (STOW-RS).",
        discussion: "Exit status: 0 all stored, 2 bad arguments or configuration, 3 the archive failed or refused some.")

    @Argument(help: "The archive: http(s)://…/dicom-web or dicomweb://NAME from config.toml.")
    var source: String

    @Argument(help: "Part 10 files to upload.")
    var files: [String]

    @Option(help: "Config file with [archives.NAME] tables (default: $XDG_CONFIG_HOME/lightbox/config.toml).")
    var config: String?

    func run() async throws {
        let client = try ArchiveCommandSupport.client(for: source, config: config)
        let result: StoreResult
        do {
            result = try await client.store(files: files.map { URL(fileURLWithPath: $0) })
        } catch {
            throw ArchiveCommandSupport.fail(error)
        }
        for uid in result.storedSOPInstanceUIDs { Output.line("stored \(uid)") }
        for (uid, reason) in result.failures.sorted(by: { $0.key < $1.key }) {
            Output.line("refused \(uid): reason 0x\(String(format: "%04X", reason))")
        }
        Output.line("\(result.storedSOPInstanceUIDs.count) stored, \(result.failures.count) refused on \(client.archive.name)")
        if !result.failures.isEmpty || result.storedSOPInstanceUIDs.isEmpty { throw ExitCode(3) }
    }
}
