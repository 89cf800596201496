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
        if let precomputed = try sidecars.analyze(study, progress: progress) { return precomputed }
        // Run with OOD output allowed, so the reader can reveal it on request; what an out-of-
        // distribution run proposed is marked and stays hidden (and never raises priority) until then.
        let result = StudyAnalysis.analyze(study, catalog: catalog, options: .init(ood: .allow), cache: cache, progress: progress)
        let ran = result.runs.filter { $0.model != nil }
        guard !ran.isEmpty else { return nil }
        if ran.allSatisfy({ $0.status == .error }) {
            throw AnalysisFailure(message: ran.compactMap(\.message).first ?? "analysis failed")
        }
        let seriesOf = Dictionary(study.series.flatMap { s in s.instances.map { ($0.sopInstanceUID, s.seriesInstanceUID) } },
                                  uniquingKeysWith: { a, _ in a })
        var findings: [Finding] = []
        for (i, f) in result.findings.enumerated() {
            let identity = ModelIdentity(id: f.model.id, version: f.model.version, sha256: f.model.sha256)
            let box = f.bboxPX.count == 4 ? f.bboxPX : [0, 0, 0, 0]
            var w = Finding(key: "\(identity.id):\(f.sopInstanceUID):\(i + 1)", origin: .ai, label: f.label,
                            probability: f.probability, risk: RiskLevel(rawValue: f.risk.rawValue),
                            seriesUID: seriesOf[f.sopInstanceUID] ?? "", sopUID: f.sopInstanceUID,
                            centerX: f.centerPX.first ?? 0, centerY: f.centerPX.count > 1 ? f.centerPX[1] : 0,
                            width: Double(box[2]), height: Double(box[3]),
                            diameterMM: f.diameterMM, volumeML: f.volumeML, outOfDistribution: f.ood, model: identity)
            w.category = f.category
            findings.append(w)
        }
        // Heatmaps where the model saw anything, resampled onto each image's own pixel grid.
        var heatmaps: [String: TerminalGraphics.Heatmap] = [:], withheld: [String: TerminalGraphics.Heatmap] = [:]
        let oodImages = Set(result.findings.filter(\.ood).map(\.sopInstanceUID))
            .union(ran.filter { !$0.ood.isEmpty }.flatMap { run in
                study.series.first { $0.seriesInstanceUID == run.seriesInstanceUID }?.instances.map(\.sopInstanceUID) ?? [] })
        for map in result.heatmaps where map.maximum >= 0.1 {
            // Heatmap's initialiser traps on a size mismatch: a map whose grid does not fit (a cache
            // entry or header gone wrong) is left out rather than trusted.
            guard map.width > 0, map.height > 0, map.values.count == map.width * map.height,
                  map.sourceColumns > 0, map.sourceRows > 0,
                  case let (cells, overflow) = map.sourceColumns.multipliedReportingOverflow(by: map.sourceRows),
                  !overflow, cells <= 1 << 28 else { continue }
            let grid = map.onSourceGrid()
            guard grid.count == cells else { continue }
            let heatmap = TerminalGraphics.Heatmap(width: map.sourceColumns, height: map.sourceRows, values: grid)
            if oodImages.contains(map.sopInstanceUID) { withheld[map.sopInstanceUID] = heatmap } else { heatmaps[map.sopInstanceUID] = heatmap }
        }
        let summary = result.breasts.filter { !$0.ood }.map { b in
            // Short enough for the panel: "R breast: 6/10, BI-RADS 4A" (1–10 suspicion, docs/ANALYSIS_JSON.md).
            "\(b.laterality == "R" || b.laterality == "L" ? b.laterality : "?") breast: \(b.suspicionScore)/10, BI-RADS \(b.birads)"
                + (b.ood ? " (OOD)" : "")
        }
        let model = ran.compactMap(\.model).first.map { ModelIdentity(id: $0.id, version: $0.version, sha256: $0.sha256) }
        let warnings = Set(ran.flatMap(\.warnings))
        var abstention: [String] = []
        for reason in ran.flatMap(\.ood) where !abstention.contains(reason) { abstention.append(reason) }
        // From the cards of the models that ran: any one not for clinical use marks the result.
        let ranIDs = Set(ran.compactMap { $0.model?.id })
        let notForClinicalUse = catalog.entries.filter { ranIDs.contains($0.card.id) }.contains { $0.card.notForClinicalUse }
        return AIResult(findings: findings, model: model, notForClinicalUse: notForClinicalUse,
                        cardWarning: ([notForClinicalUse ? "Trained on synthetic phantoms; not for clinical use" : nil]
                            + warnings.sorted().map { Optional($0) }).compactMap { $0 }.joined(separator: " — ").nilIfEmpty,
                        heatmaps: heatmaps, summary: summary, abstention: abstention, withheldHeatmaps: withheld)
    }

    /// Every model that fitted the study failed (e.g. a model file that does not match its card).
    public struct AnalysisFailure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
