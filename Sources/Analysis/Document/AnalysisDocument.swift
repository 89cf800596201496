import Foundation
import Inference

/// `analysis.json`: what the AI found in one study, as `lightbox analyze --json` writes it and as
/// the workstation reads it beside a study's files (docs/ANALYSIS_JSON.md). This is the only
/// reader and the only writer of that format.
///
///     let document = AnalysisDocument(result, studyInstanceUID: uid, models: stamps)
///     let data = try document.encoded()
///     let back = try AnalysisDocument.decode(data)            // findings, runs, heatmaps, …
///
/// Reading is forgiving where another writer (a PACS-side AI, a hand-made teaching file) may be
/// terse, and strict where a value would otherwise trap or mislead later: see `decode(_:directory:)`.
public struct AnalysisDocument: Sendable, Equatable {
    public static let fileName = "analysis.json"

    /// A model that contributed, with what its card says about clinical use.
    public struct ModelStamp: Codable, Sendable, Equatable {
        public var id: String
        public var version: String
        public var sha256: String
        /// The card allows clinical use; absent or false: the viewer shows the not-for-clinical-use banner.
        public var clinicalUse: Bool
        /// A line the card wants shown beside the model's output.
        public var warning: String?

        enum CodingKeys: String, CodingKey {
            case id, version, sha256, warning
            case clinicalUse = "clinical_use"
        }

        public init(id: String, version: String, sha256: String, clinicalUse: Bool, warning: String? = nil) {
            self.id = id; self.version = version; self.sha256 = sha256; self.clinicalUse = clinicalUse; self.warning = warning
        }

        public init(card: ModelCard) {
            self.init(id: card.id, version: card.version, sha256: card.sha256, clinicalUse: !card.notForClinicalUse,
                      warning: card.notForClinicalUse ? "Trained on synthetic phantoms; not for clinical use" : nil)
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(id: try c.decode(String.self, forKey: .id),
                      version: (try? c.decodeIfPresent(String.self, forKey: .version)) ?? "",
                      sha256: (try? c.decodeIfPresent(String.self, forKey: .sha256)) ?? "",
                      clinicalUse: (try? c.decodeIfPresent(Bool.self, forKey: .clinicalUse)) ?? false,
                      warning: try? c.decodeIfPresent(String.self, forKey: .warning))
        }

        public var reference: ModelIdentity { .init(id: id, version: version, sha256: sha256) }
    }

    /// The study the findings belong to; a reader ignores a document for another study.
    public var studyInstanceUID: String?
    public var models: [ModelStamp]
    public var findings: [Finding]
    public var runs: [StudyAnalysis.Run]
    public var imageScores: [ImageScore]
    public var breasts: [BreastAssessment]
    public var heatmaps: [ModelGridHeatmap]
    /// Every run that had a model abstained.
    public var abstained: Bool
    public var disclaimer: String?
    /// Wall time of the analysis that wrote it.
    public var seconds: Double?
    /// What reading left out and why (a finding without a probability, a heatmap whose size does
    /// not match its values, …). Never written.
    public var problems: [String] = []

    public init(studyInstanceUID: String? = nil, models: [ModelStamp] = [], findings: [Finding] = [],
                runs: [StudyAnalysis.Run] = [], imageScores: [ImageScore] = [], breasts: [BreastAssessment] = [],
                heatmaps: [ModelGridHeatmap] = [], abstained: Bool = false, disclaimer: String? = nil, seconds: Double? = nil) {
        self.studyInstanceUID = studyInstanceUID; self.models = models; self.findings = findings; self.runs = runs
        self.imageScores = imageScores; self.breasts = breasts; self.heatmaps = heatmaps; self.abstained = abstained
        self.disclaimer = disclaimer; self.seconds = seconds
    }

    /// A study's analysis, with the stamps of the models in `catalog` that ran.
    public init(_ result: StudyAnalysis.Result, studyInstanceUID: String?, catalog: ModelCatalog, seconds: Double? = nil) {
        let ran = Set(result.runs.compactMap { $0.model?.id })
        let stamps = catalog.entries.filter { ran.contains($0.card.id) }.map { ModelStamp(card: $0.card) }
        self.init(studyInstanceUID: studyInstanceUID, models: stamps, findings: result.findings, runs: result.runs,
                  imageScores: result.imageScores, breasts: result.breasts, heatmaps: result.heatmaps,
                  abstained: result.abstained,
                  disclaimer: stamps.contains { !$0.clinicalUse } ? "Models trained on synthetic phantoms; not for clinical use." : nil,
                  seconds: seconds)
    }

    /// Some model that contributed is not for clinical use (or does not say it is).
    public var notForClinicalUse: Bool { models.isEmpty || models.contains { !$0.clinicalUse } }
}
