import ArgumentParser
import Foundation
import Review

extension ReviewCommand {
    /// `lightbox review migrate --from sqlite:PATH --to postgresql://…`: moves a workstation's local
    /// history onto a shared server (`ReviewStoreTransfer`): every table, ids kept, into an empty
    /// database only, in one transaction.
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate", abstract: "Copy a review history into a new, empty store (e.g. a local SQLite file onto PostgreSQL).",
            discussion: """
                Every table is copied with its ids, so undo and removal links stay intact. The target must be empty; \
                the copy is one transaction. Give the password through PGPASSWORD, ~/.pgpass or ?password_file=PATH, never in the URL.
                """)

        @Option(help: "The store to copy: sqlite:PATH, a path, or a postgresql:// URL.")
        var from: String

        @Option(help: "The new, empty store: a postgresql:// URL (or sqlite:PATH).")
        var to: String

        func run() throws {
            let source: ReviewStore, target: ReviewStore
            do {
                if case .sqlite(let path) = try ReviewLocation(from), !FileManager.default.fileExists(atPath: path) {
                    Output.error("\(path): no such review database")
                    throw ExitCode(2)
                }
                source = try ReviewStore.open(from)
                target = try ReviewStore.open(to)
                let counts = try ReviewStoreTransfer.copy(from: source, to: target)
                Output.line("Copied \(source.path) → \(target.path)")
                for c in counts { Output.line("  \(c.table): \(c.rows)") }
            } catch let e as ExitCode {
                throw e
            } catch {
                Output.error("\(error)")
                throw ExitCode(1)
            }
        }
    }
}
