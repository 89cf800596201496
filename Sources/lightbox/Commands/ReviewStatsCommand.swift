import ArgumentParser
import Foundation
import Review
import Workstation

/// `lightbox review discordance`: the studies where a screening reader and the AI disagreed and no
/// third reader has arbitrated yet.
struct ReviewDiscordanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discordance",
        abstract: "List the discordance queue: screening studies where reader and AI disagree, awaiting arbitration.",
        discussion: "Arbitrate with: lightbox open --arbitrate --reader NAME [PATH…]")

    @Option(help: "Review database: a SQLite path or a postgresql:// URL (default: $LIGHTBOX_REVIEW_DB, [review] url in config.toml, $XDG_DATA_HOME/lightbox/review.sqlite).")
    var db: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let store = try ReviewStoreChoice.open(explicit: db)
        let queue = try store.discordanceQueue()
        if json {
            try Output.json(["database": store.path, "queue": queue.map { q -> [String: Any] in
                ["study_uid": q.studyUID, "readers": q.readers, "ai_only": q.aiOnly, "reader_only": q.readerOnly, "revealed_at": q.revealedAt]
            }])
            return
        }
        Output.line("Discordance queue (\(queue.count) study(ies) awaiting arbitration)")
        for q in queue {
            Output.line("  \(q.studyUID)  reader \(q.readers.joined(separator: ","))  AI-only \(q.aiOnly)  reader-only \(q.readerOnly)  revealed \(q.revealedAt)")
        }
    }
}

/// `lightbox review stats --reader NAME`: a screening reader's figures.
struct ReviewStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Second-reader screening statistics: studies read, recall rate, AI-discordance rate, time per study.",
        discussion: "Recall: BI-RADS 0, 3, 4 or 5 in either breast of the signed read.")

    @Option(help: "Reader (default: $USER).")
    var reader: String?

    @Option(help: "Review database: a SQLite path or a postgresql:// URL (default: $LIGHTBOX_REVIEW_DB, [review] url in config.toml, $XDG_DATA_HOME/lightbox/review.sqlite).")
    var db: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let name = reader ?? env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "reader"
        let store = try ReviewStoreChoice.open(explicit: db)
        let s = try store.screeningStats(reader: name)
        if json {
            try Output.json(["reader": s.reader, "studies_read": s.studiesRead, "recalls": s.recalls, "recall_rate": s.recallRate,
                             "discordant": s.discordant, "discordance_rate": s.discordanceRate,
                             "seconds_per_study": s.secondsPerStudy, "mean_seconds": s.meanSeconds as Any,
                             "median_seconds": s.medianSeconds as Any])
            return
        }
        for line in s.lines { Output.line(line) }
    }
}
