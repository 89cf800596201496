import ArgumentParser
import Foundation
import Review
import Workstation

/// `lightbox review list [--json]`: what the review database holds.
/// `lightbox review export STUDY --sr OUT.dcm [--json OUT.json] [--csv OUT.csv] [--kos F] [--gsps F]`: a study's
/// reviewed findings as a TID 1500 SR and research tables (ReviewExportCommand.swift), its key images as a
/// KOS and their view as a GSPS (ReviewExportCommand+KeyImages.swift).
/// `lightbox review read-sr FILE [--study PATH] [--json]`: the findings an SR holds (ReviewReadSRCommand.swift).
/// `lightbox review read-kos FILE [--json]`: the key images of a KOS or the views of a GSPS (ReviewReadKOSCommand.swift).
/// `lightbox review discordance` / `review stats --reader NAME`: second-reader queue and statistics (ReviewStatsCommand.swift).
/// `lightbox review migrate --from sqlite:PATH --to postgresql://…`: a local history onto a shared server (ReviewMigrateCommand.swift).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Inspect the review database; export reviewed findings as DICOM SR, SEG, JSON or CSV and send them to the archive; screening discordance and statistics.",
        subcommands: [List.self, Export.self, ReadSR.self, ReadKOS.self, ReviewDiscordanceCommand.self, ReviewStatsCommand.self, Migrate.self,
                      ReviewSendResultsCommand.self, ReviewOutboxCommand.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Print every decision, reader finding, sign-off and audit row.")

        @Option(help: "Review database: a SQLite path or a postgresql:// URL (default: $LIGHTBOX_REVIEW_DB, [review] url in config.toml, $XDG_DATA_HOME/lightbox/review.sqlite).")
        var db: String?

        @Option(help: "Only this study.")
        var study: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let store = try ReviewStoreChoice.open(explicit: db)
            let decisions = try store.decisions(studyUID: study)
            let marks = try store.readerFindings(studyUID: study, includeRemoved: true)
            let signoffs = try store.signoffs(studyUID: study)
            let audit = try store.auditTrail(studyUID: study)
            if json {
                try Output.json([
                    "database": store.path,
                    "decisions": decisions.map { d -> [String: Any] in
                        ["id": d.id, "reader": d.reader, "at": d.at, "study_uid": d.studyUID, "sop_uid": d.sopUID,
                         "finding_key": d.findingKey, "source": d.source.rawValue, "label": d.label, "decision": d.decision,
                         "reason": d.reason as Any, "undoes": d.undoes as Any, "model_id": d.modelID as Any,
                         "corrected_label": d.correction.label as Any, "corrected_risk": d.correction.risk as Any,
                         "corrected_diameter_mm": d.correction.diameterMM as Any]
                    },
                    "reader_findings": marks.map { m -> [String: Any] in
                        ["key": m.key, "reader": m.reader, "at": m.at, "study_uid": m.studyUID, "sop_uid": m.sopUID, "label": m.label,
                         "kind": m.kind.rawValue, "x": m.x, "y": m.y, "width": m.width, "height": m.height, "slice": m.slice, "removed": m.removed]
                    },
                    "signoffs": signoffs.map { s -> [String: Any] in
                        ["reader": s.reader, "at": s.at, "study_uid": s.studyUID, "assessment": s.assessment,
                         "undecided": s.undecided, "forced": s.forced]
                    },
                    "audit": audit.map { a -> [String: Any] in
                        ["at": a.at, "reader": a.reader, "action": a.action, "study_uid": a.studyUID, "detail": a.detail]
                    },
                ])
                return
            }
            Output.line("Database \(store.path)")
            Output.line("Decisions (\(decisions.count)):")
            for d in decisions {
                Output.line("  #\(d.id) \(d.at) \(d.reader) \(d.decision) \(d.source.rawValue) \"\(d.label)\"" + (d.reason.map { " reason: \($0)" } ?? "")
                            + (d.undoes.map { " undoes #\($0)" } ?? "") + " study \(d.studyUID)")
            }
            Output.line("Reader findings (\(marks.count)):")
            for m in marks {
                Output.line("  \(m.at) \(m.reader) \(m.kind.rawValue) \"\(m.label)\" at (\(Int(m.x)),\(Int(m.y))) slice \(m.slice)" + (m.removed ? " (removed)" : ""))
            }
            Output.line("Sign-offs (\(signoffs.count)):")
            for s in signoffs {
                Output.line("  \(s.at) \(s.reader) \"\(s.assessment)\" study \(s.studyUID)" + (s.forced ? " (\(s.undecided) undecided, confirmed)" : ""))
            }
            Output.line("Audit (\(audit.count)):")
            for a in audit { Output.line("  \(a.at) \(a.reader) \(a.action) \(a.studyUID) \(a.detail)") }
        }
    }
}
