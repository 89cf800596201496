import ArgumentParser
import DICOM
import Foundation
import DICOMweb
import Imaging

/// `lightbox ls DIR…`: studies → series → instances found under the folders, and the files that
/// could not be read, with their reasons. `lightbox ls URL|dicomweb://NAME` searches an archive (QIDO-RS).
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the studies, series and instances in folders of DICOM files, or the studies on a DICOMweb archive.")

    @Argument(help: "Folders or files to scan, or one archive: http(s)://…/dicom-web or dicomweb://NAME.")
    var paths: [String]

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Do not read or write the study index store (headers kept between scans).")
    var noCache = false

    @Flag(help: "List every instance, not just series.")
    var instances = false

    @Flag(help: "Hide patient names, IDs and birth dates.")
    var deidentify = false

    @OptionGroup(title: "Archive search")
    var archive: ArchiveQueryOptions

    func run() async throws {
        if paths.count == 1, ArchiveRegistry.isRemote(paths[0]) {
            return try await ArchiveListing.run(source: paths[0], options: archive, json: json, deidentify: deidentify)
        }
        let start = Date()
        // Paged unless every instance is printed: the listing shows one header per series.
        let index = StudyIndex.scan(paths, cache: noCache ? nil : StudyIndexStore.standard(), paging: !json && !instances)
        let elapsed = Date().timeIntervalSince(start)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Output.json(data: try encoder.encode(ListingDocument(index, elapsed: elapsed, deidentify: deidentify)))
            return
        }
        for (k, study) in index.studies.enumerated() {
            let h = study.first
            let patient = deidentify ? "Patient \(k + 1)" : "\(h.patientName) [\(h.patientID)]"
            // De-identified: no date and no free-text descriptions (they can name the patient).
            let date = deidentify ? "" : formatDate(h.studyDate), about = deidentify ? "" : h.studyDescription
            Output.line("\(patient)  \(date)  \(study.modalities.joined(separator: "/"))  \(about)  (\(study.series.count) series, \(study.instanceCount) instances)")
            Output.line("  Study \(study.studyInstanceUID)")
            for series in study.series {
                let s = series.first
                Output.line("    Series \(s.seriesNumber.map(String.init) ?? "-") \(s.modality) \(deidentify ? "" : s.seriesDescription)  \(series.instanceCount) instance(s)  \(s.columns)×\(s.rows)")
                if instances {
                    for i in series.instances { Output.line("      \(i.instanceNumber.map(String.init) ?? "-")  \(i.path)") }
                }
            }
        }
        for f in index.failures { Output.line("unreadable: \(f.path): \(f.reason)") }
        let files = index.studies.reduce(0) { $0 + $1.instanceCount } + index.failures.count
        Output.line("\(index.studies.count) studies, \(files) files (\(index.failures.count) unreadable, \(index.cachedCount) from cache) in \(String(format: "%.2f", elapsed)) s")
    }

    private func formatDate(_ d: String) -> String {
        guard d.count == 8 else { return d }
        let c = Array(d)
        return "\(String(c[0 ..< 4]))-\(String(c[4 ..< 6]))-\(String(c[6 ..< 8]))"
    }
}
