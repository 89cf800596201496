import ArgumentParser
import DICOM
import Analysis
import Foundation
import Imaging
import Review
import Workstation

extension ReviewCommand {
    /// Exports one study's reviewed findings: a Comprehensive 3D SR (TID 1500) that PACS and other
    /// viewers read, and JSON / CSV tables for research. The study's own files supply the patient and
    /// study attributes and the image geometry; the review database supplies findings and decisions.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export a study's reviewed findings as a TID 1500 SR (--sr), the AI's masks as a DICOM Segmentation (--seg), JSON (--json) or CSV (--csv), its key images as a KOS (--kos), their view as a GSPS (--gsps) and the reader's report as text (--report).")

        @Argument(help: "The study: a folder or file of its DICOM images.")
        var study: String

        @Option(help: "Write a Comprehensive 3D SR measurement report here.")
        var sr: String?

        @Option(help: "Write the AI's masks as a DICOM Segmentation here: one binary segment per AI finding the reader did not reject, on the source images' grid.")
        var seg: String?

        @Flag(name: .customLong("seg-fractional"), help: "Make the --seg FRACTIONAL (the AI's probability inside each finding's mask, 8 bits) rather than BINARY.")
        var segFractional = false

        @Option(help: "Folder of .onnx models with .json cards, to analyse the study for --seg when no analysis.json lies beside it (default: found as `lightbox --help` says; the result cache is used).")
        var models: String?

        @Option(help: "Write the findings as JSON here.")
        var json: String?

        @Option(help: "Write the findings as CSV here.")
        var csv: String?

        @Option(help: "Write the reader's key images as a Key Object Selection document here.")
        var kos: String?

        @Option(help: "Write how the reader showed the key images (window, zoom, marks) as a Grayscale Softcopy Presentation State here.")
        var gsps: String?

        @Option(help: "Write the reader's report (findings and impression; a generated draft, so labelled, when none was saved) as text here.")
        var report: String?

        @Option(help: "Review database: a SQLite path or a postgresql:// URL (default: $LIGHTBOX_REVIEW_DB, [review] url in config.toml, $XDG_DATA_HOME/lightbox/review.sqlite).")
        var db: String?

        @Option(help: "Whose reading to export (default: the only reader of the study).")
        var reader: String?

        @Option(name: .customLong("study-uid"), help: "Which study, when the folder holds several.")
        var studyUID: String?

        @Flag(help: "Leave the patient's name, ID, birth date, the study's dates, descriptions, accession and referring physician out of the SR, KOS and GSPS (Patient Identity Removed = YES; the Study Instance UID stays).")
        var deidentify = false

        func validate() throws {
            guard sr != nil || seg != nil || json != nil || csv != nil || kos != nil || gsps != nil || report != nil else {
                throw ValidationError("give at least one of --sr, --seg, --json, --csv, --kos, --gsps, --report")
            }
        }

        func run() throws {
            let index = StudyIndex.scan([study], cache: nil)
            let studies = index.studies.filter { s in studyUID.map { $0 == s.studyInstanceUID } ?? true }
            guard let target = studies.first else {
                Output.error("\(study): no DICOM study found" + (studyUID.map { " with Study Instance UID \($0)" } ?? ""))
                throw ExitCode(2)
            }
            guard studies.count == 1 else {
                Output.error("\(study) holds \(studies.count) studies; choose one with --study-uid (\(studies.map(\.studyInstanceUID).joined(separator: ", ")))")
                throw ExitCode(2)
            }
            let uid = target.studyInstanceUID
            let store = try ReviewStoreChoice.open(explicit: db)
            let who: String
            if let reader { who = reader } else {
                let readers = Set(try store.readers(studyUID: uid) + (try store.signoffs(studyUID: uid)).map(\.reader)).sorted()
                guard readers.count == 1 else {
                    Output.error(readers.isEmpty ? "no review of study \(uid) in \(store.path)"
                                 : "study \(uid) was read by \(readers.joined(separator: ", ")); choose one with --reader")
                    throw ExitCode(2)
                }
                who = readers[0]
            }
            // The AI's analysis, loaded once: the SEG's masks, and the SR's measurements the store
            // does not keep (axes, category, Brock probability, ABC/2 volume).
            var analysis: AnalysisDocument?
            var analysisProblem: String?
            if sr != nil || seg != nil {
                let folder = models ?? ResourceLocator().locate("Models")?.path
                do { analysis = try StudyAnalysisLoader.load(target, modelsFolder: folder.map { URL(fileURLWithPath: $0) }) } catch {
                    analysisProblem = "\(error)"
                }
            }
            let findings = ReviewedFinding.withMeasurements(try store.reviewedFindings(studyUID: uid, reader: who), from: analysis)

            if let sr {
                let made: StudyReport.Made
                do { made = try StudyReport.make(study: target, store: store, reader: who, findings: findings, deidentify: deidentify) } catch {
                    Output.error("\(study): \(error)")
                    throw ExitCode(2)
                }
                let doc = made.document
                do { try doc.write(to: URL(fileURLWithPath: sr)) } catch let error as DICOMWriteError {
                    // A value the SR cannot carry (e.g. a malformed UID in the source): say which, write nothing.
                    Output.error("cannot write the SR: \(error)")
                    if case .io = error { throw ExitCode(1) }
                    throw ExitCode(2)
                }
                Output.line("Wrote \(sr): TID 1500 SR (\(doc.signoff == nil ? "unverified" : "verified: signed off")), \(findings.count) finding\(findings.count == 1 ? "" : "s") (\(Self.tally(findings)))"
                            + (doc.builder.report == nil ? "" : ", with the report text")
                            + (made.withoutGeometry > 0 ? "; \(made.withoutGeometry) on images not in \(study), exported without geometry" : ""))
            }
            if let seg {
                try exportSegmentation(target, analysis: analysis, problem: analysisProblem, findings: findings,
                                       signoff: try store.signoffs(studyUID: uid, reader: who).last, to: seg)
            }
            if kos != nil || gsps != nil {
                try exportKeyImages(target, store: store, reader: who, findings: findings)
            }
            if let report {
                try write(Data(try reportText(target, store: store, reader: who, findings: findings).utf8), to: report)
                Output.line("Wrote \(report): report text")
            }
            if let json {
                try write(ReviewedFindingTable.json(findings, studyUID: uid, reader: who), to: json)
                Output.line("Wrote \(json): \(findings.count) findings as JSON")
            }
            if let csv {
                try write(Data(ReviewedFindingTable.csv(findings, studyUID: uid).utf8), to: csv)
                Output.line("Wrote \(csv): \(findings.count) findings as CSV")
            }
        }

        private func write(_ data: Data, to path: String) throws {
            do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                Output.error("\(path): cannot write: \((error as NSError).localizedDescription)")
                throw ExitCode(1)
            }
        }

        static func tally(_ findings: [ReviewedFinding]) -> String {
            ReviewedFinding.Outcome.allCases.compactMap { o in
                let n = findings.filter { $0.outcome == o }.count
                return n == 0 ? nil : "\(n) \(o.rawValue)"
            }.joined(separator: ", ")
        }
    }
}
