import Analysis
import Foundation
import Imaging
import Review

/// What goes back to the archive when a reader signs a study: the TID 1500 SR (`StudyReport`) and,
/// when the AI's analysis has masks, the DICOM Segmentation (`StudySegmentation`), as Part 10 bytes
/// named for the outbox.
public enum StudyResults {
    public static func files(study: StudyIndex.Study, store: ReviewStore, reader: String,
                             analysis: AnalysisDocument?) throws -> [(name: String, data: Data)] {
        let findings = ReviewedFinding.withMeasurements(try store.reviewedFindings(studyUID: study.studyInstanceUID, reader: reader),
                                                        from: analysis)
        let report = try StudyReport.make(study: study, store: store, reader: reader, findings: findings).document
        var out: [(name: String, data: Data)] = [("sr.dcm", try report.data())]
        if let analysis {
            let seg = try StudySegmentation.make(study: study, analysis: analysis, findings: findings,
                                                 source: try StudyReport.sourceHeader(study), signoff: report.signoff).document
            if !seg.segments.isEmpty { out.append(("seg.dcm", try seg.data())) }
        }
        return out
    }
}
