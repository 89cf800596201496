import Foundation
import Imaging

/// What `lightbox ls --json` prints, as Codable values: encoding 10,000 files through
/// `JSONSerialization` and `[String: Any]` took 0.8 s of a 1 s listing (boxing, casts, and ICU
/// collation for the sorted keys); `JSONEncoder` on these structs takes a fraction of that. Keys,
/// nulls and order are as before (the `ls` golden checks them).
struct ListingDocument: Encodable {
    struct Instance: Encodable {
        var path: String, sopInstanceUID: String, instanceNumber: Int?, rows: Int, columns: Int, frames: Int, transferSyntaxUID: String
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path); try c.encode(sopInstanceUID, forKey: .sopInstanceUID)
            try c.encode(instanceNumber, forKey: .instanceNumber)   // null when absent, as before
            try c.encode(rows, forKey: .rows); try c.encode(columns, forKey: .columns); try c.encode(frames, forKey: .frames)
            try c.encode(transferSyntaxUID, forKey: .transferSyntaxUID)
        }
        enum CodingKeys: String, CodingKey { case path, sopInstanceUID, instanceNumber, rows, columns, frames, transferSyntaxUID }
    }
    struct Series: Encodable {
        var seriesInstanceUID: String, seriesNumber: Int?, modality: String, seriesDescription: String, instances: [Instance]
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(seriesInstanceUID, forKey: .seriesInstanceUID); try c.encode(seriesNumber, forKey: .seriesNumber)
            try c.encode(modality, forKey: .modality); try c.encode(seriesDescription, forKey: .seriesDescription)
            try c.encode(instances, forKey: .instances)
        }
        enum CodingKeys: String, CodingKey { case seriesInstanceUID, seriesNumber, modality, seriesDescription, instances }
    }
    struct Study: Encodable {
        var studyInstanceUID: String, patientName: String, patientID: String, studyDate: String, studyDescription: String
        var accessionNumber: String, modalities: [String], series: [Series]
    }
    struct Unreadable: Encodable { var path: String, reason: String }

    var studies: [Study]
    var unreadable: [Unreadable]
    var cached: Int
    var seconds: Double

    /// The index as listed; `deidentify` blanks names, IDs, dates, descriptions, accessions and file
    /// paths (folder and file names are often the patient's name or ID), and lists unreadable files
    /// by count only.
    init(_ index: StudyIndex, elapsed: Double, deidentify: Bool) {
        studies = index.studies.enumerated().map { k, study in
            let h = study.first
            return Study(studyInstanceUID: study.studyInstanceUID, patientName: deidentify ? "Patient \(k + 1)" : h.patientName,
                         patientID: deidentify ? "" : h.patientID, studyDate: deidentify ? "" : h.studyDate,
                         studyDescription: deidentify ? "" : h.studyDescription, accessionNumber: deidentify ? "" : h.accessionNumber,
                         modalities: study.modalities,
                         series: study.series.map { s in
                             Series(seriesInstanceUID: s.seriesInstanceUID, seriesNumber: s.first.seriesNumber, modality: s.first.modality,
                                    seriesDescription: deidentify ? "" : s.first.seriesDescription,
                                    instances: s.instances.map { i in
                                        Instance(path: deidentify ? "" : i.path, sopInstanceUID: i.sopInstanceUID, instanceNumber: i.instanceNumber,
                                                 rows: i.rows, columns: i.columns, frames: i.frames, transferSyntaxUID: i.transferSyntaxUID)
                                    })
                         })
        }
        unreadable = index.failures.map { deidentify ? Unreadable(path: "", reason: "unreadable") : Unreadable(path: $0.path, reason: $0.reason) }
        cached = index.cachedCount
        seconds = elapsed
    }
}
