import Foundation
import Imaging
import Review
import TerminalGraphics

extension ReviewCommand.Export {
    /// The report as plain text: a header naming the study, the reader and whether the text was
    /// signed, then the findings and impression. With no saved report, the draft worked out from the
    /// reviewed findings, labelled as such (it is what the workstation would start the reader with).
    func reportText(_ target: StudyIndex.Study, store: ReviewStore, reader: String, findings: [ReviewedFinding]) throws -> String {
        let uid = target.studyInstanceUID
        let saved = try store.report(studyUID: uid, reader: reader)
        let status: String
        let text: ReportText
        if let saved {
            text = saved.text
            let signoff = try saved.signoffID.flatMap { id in try store.signoffs(studyUID: uid, reader: reader).first { $0.id == id } }
            status = signoff.map { "signed \($0.at) (assessment: \($0.assessment))" } ?? "draft saved \(saved.at), not signed"
        } else {
            let h = target.first
            text = ReportDraft.make(findings, study: ReportDraft.Study(modality: h.modality, description: h.studyDescription, bodyPart: h.bodyPart))
            status = "DRAFT generated from the reviewed findings; not edited or signed by the reader"
        }
        // Labels come from models, SR files and readers: no control characters reach a terminal that `cat`s the file.
        let body = "Study \(uid)\nReader \(reader)\nStatus \(status)\n\n\(text.text)"
        return body.split(separator: "\n", omittingEmptySubsequences: false).map { TextSanitizer.sanitize(String($0)) }.joined(separator: "\n") + "\n"
    }
}
