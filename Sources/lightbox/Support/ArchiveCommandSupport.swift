import ArgumentParser
import DICOMweb
import Foundation
import LightboxConfig

/// Shared by `ls`, `pull` and `stow` when they talk to a DICOMweb archive: resolving
/// `dicomweb://NAME` / URLs, and the QIDO search options.
enum ArchiveCommandSupport {
    /// The archive for `source` (config.toml for dicomweb://NAME). Errors are printed; exit code 2.
    static func client(for source: String, config: String?, idleTimeout: Double = 30) throws -> DICOMwebClient {
        do {
            let registry = try ArchiveRegistry.load(path: config)
            let archive = try registry.resolve(source)
            return try DICOMwebClient(archive: archive, options: TransportOptions(idleTimeout: idleTimeout))
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }

    /// Exit codes: 2 configuration / bad input, 3 the archive failed or answered badly, 130 cancelled.
    static func fail(_ error: Error) -> ExitCode {
        Output.error("\(error)")
        if let e = error as? DICOMwebError {
            switch e {
            case .configuration: return ExitCode(2)
            case .cancelled: return ExitCode(130)
            default: return ExitCode(3)
            }
        }
        return ExitCode(3)
    }
}

/// QIDO-RS criteria for `lightbox ls URL`.
struct ArchiveQueryOptions: ParsableArguments {
    @Option(name: .customLong("patient-name"), help: "Archive search: patient name (DICOM wildcards * and ?).")
    var patientName: String?

    @Option(name: .customLong("patient-id"), help: "Archive search: patient ID.")
    var patientID: String?

    @Option(help: "Archive search: study date YYYYMMDD or range YYYYMMDD-YYYYMMDD.")
    var date: String?

    @Option(help: "Archive search: modality in study (CT, MG, …).")
    var modality: String?

    @Option(help: "Archive search: accession number.")
    var accession: String?

    @Option(help: "Archive search: at most this many studies.")
    var limit: Int?

    @Option(help: "Config file with [archives.NAME] tables (default: $XDG_CONFIG_HOME/lightbox/config.toml).")
    var config: String?

    var query: StudyQuery {
        StudyQuery(patientName: patientName, patientID: patientID, studyDate: date, modality: modality,
                   accessionNumber: accession, limit: limit)
    }
}

/// `lightbox ls URL|dicomweb://NAME`: the archive's studies (QIDO-RS), listed like a folder's.
enum ArchiveListing {
    static func run(source: String, options: ArchiveQueryOptions, json: Bool, deidentify: Bool) async throws {
        let client = try ArchiveCommandSupport.client(for: source, config: options.config)
        let start = Date()
        let studies: [StudySummary]
        do {
            studies = try await client.searchStudies(options.query)
        } catch {
            throw ArchiveCommandSupport.fail(error)
        }
        let elapsed = Date().timeIntervalSince(start)
        if json {
            try Output.json([
                "archive": client.archive.name,
                "studies": studies.enumerated().map { k, s -> [String: Any] in
                    [
                        "studyInstanceUID": s.studyInstanceUID,
                        "patientName": deidentify ? "Patient \(k + 1)" : s.patientName,
                        "patientID": deidentify ? "" : s.patientID,
                        "studyDate": deidentify ? "" : s.studyDate,
                        "studyDescription": deidentify ? "" : s.studyDescription,
                        "accessionNumber": deidentify ? "" : s.accessionNumber,
                        "modalities": s.modalities,
                        "numberOfSeries": s.numberOfSeries as Any,
                        "numberOfInstances": s.numberOfInstances as Any,
                    ]
                },
                "seconds": elapsed,
            ] as [String: Any])
            return
        }
        for (k, s) in studies.enumerated() {
            let patient = deidentify ? "Patient \(k + 1)" : "\(s.patientName) [\(s.patientID)]"
            let counts = "\(s.numberOfSeries.map(String.init) ?? "?") series, \(s.numberOfInstances.map(String.init) ?? "?") instances"
            let date = deidentify ? "" : s.studyDate, about = deidentify ? "" : s.studyDescription
            Output.line("\(patient)  \(date)  \(s.modalities.joined(separator: "/"))  \(about)  (\(counts))")
            Output.line("  Study \(s.studyInstanceUID)")
        }
        Output.line("\(studies.count) studies on \(client.archive.name) in \(String(format: "%.2f", elapsed)) s")
    }
}
