import Analysis
import Foundation
import Imaging

/// Reads `analysis.json` beside a study's files: an `AnalysisDocument` (docs/ANALYSIS_JSON.md),
/// such as `lightbox analyze --json` writes or a PACS-side AI delivered. It is shown exactly as if
/// the workstation had run the models: `AIResult(document:study:)`. A document for another study
/// (`study_instance_uid`) is ignored. Ground-truth sidecars (`ground_truth.json`) are never read:
/// they are not model output.
public struct SidecarFindingsSource: FindingsSource {
    public static let fileName = AnalysisDocument.fileName
    public init() {}
    public var idleReason: String { "no models installed" }

    public func analyze(_ study: StudyIndex.Study, progress: @Sendable (Double) -> Void) throws -> AIResult? {
        guard let document = try Self.document(for: study) else { return nil }
        progress(1)
        return Self.result(document, study: study)
    }

    /// The first `analysis.json` in the folders of the study's files (sorted), as read; nil when none.
    public static func document(for study: StudyIndex.Study) throws -> AnalysisDocument? {
        let dirs = Set(study.series.flatMap { $0.instances.map { ($0.path as NSString).deletingLastPathComponent } })
        for dir in dirs.sorted() {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(fileName)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            return try AnalysisDocument.read(contentsOf: url)
        }
        return nil
    }

    /// The reader's view of `document`; empty when it belongs to another study.
    public static func result(_ document: AnalysisDocument, study: StudyIndex.Study) -> AIResult {
        if let uid = document.studyInstanceUID, !uid.isEmpty, uid != study.studyInstanceUID {
            return AIResult(findings: [], model: nil, notForClinicalUse: false)
        }
        return AIResult(document: document, study: study)
    }
}
