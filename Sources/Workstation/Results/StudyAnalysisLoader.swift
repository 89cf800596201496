import Analysis
import Foundation
import Imaging

/// The AI's analysis of a study as the workstation showed it, for exports that need more than the
/// review store keeps (the masks of a Segmentation): `analysis.json` beside the study's files when
/// there is one (`SidecarFindingsSource`), else the installed models run the way
/// `ModelFindingsSource` runs them (OOD output allowed, the result cache used, so a study already
/// opened or analysed is not run again).
public enum StudyAnalysisLoader {
    public static func load(_ study: StudyIndex.Study, modelsFolder: URL?, cache: AnalysisCache? = AnalysisCache.standard()) throws -> AnalysisDocument? {
        if let document = try SidecarFindingsSource.document(for: study) { return document }
        guard let modelsFolder else { return nil }
        let catalog = try ModelCatalog(folder: modelsFolder)
        let result = StudyAnalysis.analyze(study, catalog: catalog, options: .init(ood: .allow), cache: cache, progress: { _ in })
        guard result.runs.contains(where: { $0.model != nil }) else { return nil }
        return AnalysisDocument(result, studyInstanceUID: study.studyInstanceUID, catalog: catalog)
    }
}
