import Analysis
import Foundation
import Imaging
import Inference
import Review
import TerminalGraphics

/// Runs the installed models (Analysis) on a study in the background: precomputed `analysis.json`
/// files win (they are what a PACS-side AI delivered); otherwise `StudyAnalysis` runs every model
/// whose card fits a series — CT volumes slice-wise, mammography views and radiographs image by
/// image — and its findings, per-breast assessments and heatmaps come back for review.
///
/// Results are cached per series content and model sha256 (`AnalysisCache`), so a study analysed
/// once (here or by `lightbox analyze`) reopens without running the model again.
public struct ModelFindingsSource: FindingsSource {
    public let catalog: ModelCatalog
    public let cache: AnalysisCache?
    private let sidecars = SidecarFindingsSource()

    public init(modelsFolder: URL, cache: AnalysisCache? = AnalysisCache.standard()) throws {
        catalog = try ModelCatalog(folder: modelsFolder)
        self.cache = cache
    }

    public var idleReason: String { catalog.entries.isEmpty ? "no models installed" : "no applicable model" }

    public func analyze(_ study: StudyIndex.Study, progress: @Sendable (Double) -> Void) throws -> AIResult? {
        try analyze(study, prior: nil, progress: progress)
    }

    public func analyze(_ study: StudyIndex.Study, prior: StudyIndex.Study?, progress: @Sendable (Double) -> Void) throws -> AIResult? {
        if let precomputed = try sidecars.analyze(study, progress: progress) { return precomputed }
        // Run with OOD output allowed, so the reader can reveal it on request; what an out-of-
        // distribution run proposed is marked and stays hidden (and never raises priority) until then.
        let result = StudyAnalysis.analyze(study, prior: prior, catalog: catalog, options: .init(ood: .allow), cache: cache, progress: progress)
        let ran = result.runs.filter { $0.model != nil }
        guard !ran.isEmpty else { return nil }
        if ran.allSatisfy({ $0.status == .error }) {
            throw AnalysisFailure(message: ran.compactMap(\.message).first ?? "analysis failed")
        }
        return AIResult(document: AnalysisDocument(result, studyInstanceUID: study.studyInstanceUID, catalog: catalog), study: study)
    }

    /// Every model that fitted the study failed (e.g. a model file that does not match its card).
    public struct AnalysisFailure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
