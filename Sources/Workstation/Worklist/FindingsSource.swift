import Analysis
import Foundation
import Imaging
import Review
import TerminalGraphics

/// What the worklist shows in its AI column.
public enum AIStatus: Sendable, Equatable {
    /// Nothing has run; `reason` says why (e.g. no models installed).
    case notRun(reason: String)
    /// Waiting in the AI queue; `position` 1 runs next.
    case queued(position: Int)
    /// Running, with progress 0…1.
    case running(progress: Double)
    /// Done: findings and the highest risk among them; `withheld` findings of runs that abstained
    /// (input outside a model's validated range) are not counted in either.
    case done(count: Int, highest: RiskLevel?, withheld: Int = 0)
    /// No installed model applies to this study's modality.
    case notApplicable
    case failed(String)

    /// Sanitised: failure messages and reasons can quote file names and model-card text.
    var text: String { TextSanitizer.sanitize(rawText) }

    private var rawText: String {
        switch self {
        case .notRun(let reason): return "not run (\(reason))"
        case .queued(let n): return "queued \(n)"
        case .running(let p): return "running \(Int((p * 100).rounded()))%"
        case .done(let n, let r, let withheld):
            let shown = n == 0 ? "no findings" : "\(n) finding\(n == 1 ? "" : "s"), \(r?.rawValue ?? "-")"
            return withheld > 0 ? (n == 0 ? "abstained" : shown + ", partly abstained") : shown
        case .notApplicable: return "no applicable model"
        case .failed(let m): return "failed: \(m)"
        }
    }
}

/// What a findings source returns for one study.
public struct AIResult: Sendable, Equatable {
    public var findings: [ReviewFinding]
    public var model: ModelIdentity?
    /// The model card says it is not for clinical use; the viewer shows a banner.
    public var notForClinicalUse: Bool
    public var cardWarning: String?
    /// Probability maps (0…1) by SOP Instance UID, in that image's pixel grid.
    public var heatmaps: [String: ModelGridHeatmap]
    /// Study-level lines the panel shows under the model (e.g. per-breast suspicion and BI-RADS).
    public var summary: [String]
    /// Why the AI abstained (input outside a model's validated range: headers or image content);
    /// empty when it did not. Findings of an abstained run carry `outOfDistribution` and stay hidden
    /// until the reader reveals them (`ViewerState.showWithheld`).
    public var abstention: [String]
    /// Heatmaps of abstained runs, drawn only once revealed.
    public var withheldHeatmaps: [String: ModelGridHeatmap]
    /// How the prior study was aligned to this one, when the analysis compared them.
    public var registration: PriorRegistration?
    /// Nodules of the prior with no match in this study.
    public var resolved: [ResolvedFinding] = []

    public init(findings: [ReviewFinding], model: ModelIdentity?, notForClinicalUse: Bool, cardWarning: String? = nil,
                heatmaps: [String: ModelGridHeatmap] = [:], summary: [String] = [], abstention: [String] = [],
                withheldHeatmaps: [String: ModelGridHeatmap] = [:]) {
        self.findings = findings; self.model = model; self.notForClinicalUse = notForClinicalUse; self.cardWarning = cardWarning
        self.heatmaps = heatmaps; self.summary = summary; self.abstention = abstention; self.withheldHeatmaps = withheldHeatmaps
    }

    /// The AI abstained on at least part of the study.
    public var abstained: Bool { !abstention.isEmpty }
    /// Findings the reader sees without asking: everything but what an abstained run proposed.
    public var trustedFindings: [ReviewFinding] { findings.filter { !$0.outOfDistribution } }
}

/// Where AI findings come from. Analysis (issue 6) will plug in a source that runs models; until
/// then `SidecarFindingsSource` reads precomputed `analysis.json` files. Sources are called on a
/// background thread and report progress through the callback.
public protocol FindingsSource: Sendable {
    /// Findings for `study`, or nil when this source has nothing to say (the status is then `notRun`).
    func analyze(_ study: StudyIndex.Study, progress: @Sendable (Double) -> Void) throws -> AIResult?
    /// Findings for `study` read against `prior` (an earlier study of the same patient): sources
    /// that can compare (lung nodules: growth, doubling time) do; the default ignores the prior.
    func analyze(_ study: StudyIndex.Study, prior: StudyIndex.Study?, progress: @Sendable (Double) -> Void) throws -> AIResult?
    /// Why nothing ran, for studies where `analyze` returns nil.
    var idleReason: String { get }
}

extension FindingsSource {
    public func analyze(_ study: StudyIndex.Study, prior: StudyIndex.Study?, progress: @Sendable (Double) -> Void) throws -> AIResult? {
        try analyze(study, progress: progress)
    }
}
