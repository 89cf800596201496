import Analysis
import ArgumentParser
import Foundation
import Imaging
import Inference
import Workstation

/// `lightbox analyze PATH`: picks the models whose cards fit each series, runs them in-process
/// (`Analysis.StudyAnalysis`) and prints the findings (a table, or `--json`: the `AnalysisDocument` of
/// docs/ANALYSIS_JSON.md). Results are cached per series content and model sha256.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Run the AI models that fit a study and list their findings.",
        discussion: """
            Models come from --models, else the Models folder found as `lightbox --help` says (none found: exit 20, naming where it looked). A series no model fits \
            gets "no applicable model". A model abstains on input outside what it was validated on: headers outside \
            the card's range, or image content unlike its training images (the card's feature-distance detector). \
            An abstained run lists its reasons and no findings; --ood allow shows the findings anyway, each marked OOD. \
            Probabilities are calibrated as the card says. CT models run slice-wise on the volume; \
            mammography and radiograph models run on each image (per-breast 1–10 suspicion score and BI-RADS \
            for mammograms). Results are cached under $XDG_CACHE_HOME/lightbox/analysis (--cache-dir, --no-cache).
            A chest CT is compared with its prior: the newest earlier study of the same patient (Patient ID and issuer), \
            modality and body part, from --prior PATH, else among the studies in PATH, the folders beside a single study's \
            folder, and the study index ($XDG_CACHE_HOME/lightbox/index.sqlite); --no-prior turns this off. Each nodule \
            then gets its change (new/stable/growing/shrinking, size change, volume doubling time) and Lung-RADS with comparison. \
            A mammogram is compared with its prior the same way: each finding is matched on the same view, in breast \
            coordinates (chest wall, nipple), and is present on the prior or new; a stable finding on a prior 11 months \
            or more earlier has its suspicion lowered (docs/ANALYSIS_JSON.md).
            Exit status: 0 no findings (or abstained), 10 findings, 20 no applicable model, 2 error (other runs still complete).
            """)

    @Argument(help: "A study folder (or several studies under one folder).")
    var path: String

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Run only the model with this id.")
    var model: String?

    @Option(help: "Out-of-distribution inputs: abstain (no findings, reasons given) or allow (findings marked OOD).")
    var ood: String = "abstain"

    @Option(help: "Folder of .onnx models with .json cards (default: found as `lightbox --help` says; `lightbox doctor` shows which).")
    var models: String?

    @Option(help: "Calibrated probability at which a candidate is reported as a finding (default: each card's operating point).")
    var threshold: Float?

    @Option(help: "Cache folder (default $XDG_CACHE_HOME/lightbox/analysis).")
    var cacheDir: String?

    @Flag(help: "Neither read nor write the result cache.")
    var noCache = false

    @Flag(help: "Include the model-grid heatmaps in the JSON.")
    var heatmaps = false

    @Option(help: "Compare with the prior study in this folder (default: found in the study index, see below).")
    var prior: String?

    @Flag(help: "Do not look for a prior study.")
    var noPrior = false

    func validate() throws {
        guard ["abstain", "allow", "refuse"].contains(ood) else { throw ValidationError("--ood must be abstain or allow") }
        if let threshold, !(threshold > 0 && threshold < 1) { throw ValidationError("--threshold must be between 0 and 1") }
    }

    func run() throws {
        BLASTuning.reexecWithTunedKernelsIfNeeded()
        let started = Date()
        let catalog: ModelCatalog
        let models = try BundledFolder.path("Models", option: self.models, flag: "--models", exitCode: 20)
        do { catalog = try ModelCatalog(folder: URL(fileURLWithPath: models)) } catch {
            Output.error("cannot read models in \(models): \(error)")
            throw ExitCode(2)
        }
        // A model whose file does not match its card is reported by the run that would have used it
        // (`ModelCatalog.Problem.unverified`); `lightbox doctor` checks them all.
        let index = StudyIndex.scan([path], cache: nil)
        for f in index.failures { Output.error("skipped unreadable file \(URL(fileURLWithPath: f.path).lastPathComponent): \(f.reason)") }
        guard !index.studies.isEmpty else { Output.error("\(path): no DICOM studies found"); throw ExitCode(2) }
        let cache: AnalysisCache? = noCache ? nil : cacheDir.map { AnalysisCache(folder: URL(fileURLWithPath: $0)) } ?? AnalysisCache.standard()
        // "refuse" is the older name of abstain.
        let options = StudyAnalysis.Options(threshold: threshold, ood: ood == "allow" ? .allow : .abstain, modelID: model)

        var total = StudyAnalysis.Result()
        if !json { Output.line("NOT FOR CLINICAL USE — models trained on synthetic phantoms demonstrate the pipeline only.") }
        for study in index.studies {
            let priorStudy = noPrior ? nil : findPrior(of: study, among: index.studies)
            let r = StudyAnalysis.analyze(study, prior: priorStudy, catalog: catalog, options: options, cache: cache)
            total.findings += r.findings; total.runs += r.runs; total.imageScores += r.imageScores
            total.breasts += r.breasts; total.heatmaps += r.heatmaps
            if !json {
                // Folder name, not patient data.
                Output.line("study in \(URL(fileURLWithPath: study.first.path).deletingLastPathComponent().lastPathComponent):")
                printTable(r)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        if json { try printJSON(total, studies: index.studies, catalog: catalog, seconds: seconds) }
        for r in total.runs where r.status == .error { Output.error("series \(r.seriesInstanceUID): \(r.model?.id ?? "") \(r.message ?? "error")") }
        if total.noApplicableModel { throw ExitCode(20) }
        if total.hasErrors { throw ExitCode(2) }
        if !total.findings.isEmpty { throw ExitCode(10) }
    }

    /// The prior of a CT or mammography study (priors are compared for chest CT and mammography):
    /// from --prior, else among the
    /// scanned studies, the folders beside the study's own folder (when PATH is one study) and the
    /// study index store.
    private func findPrior(of study: StudyIndex.Study, among scanned: [StudyIndex.Study]) -> StudyIndex.Study? {
        guard study.modalities.contains("CT") || study.modalities.contains("MG") else { return nil }
        let query = PriorStudyQuery(for: study)
        // Chest CTs (nodules) and mammograms are compared; a head CT's prior would be analysed for nothing.
        guard study.modalities.contains("MG") || query.bodyPart == "CHEST" || query.bodyPart.isEmpty else { return nil }
        let store = StudyIndexStore.standard()
        if let prior {
            let candidates = StudyIndex.scan([prior], cache: store).studies
            if let found = query.priors(in: candidates).first { return found }
            Output.error("--prior \(prior): no earlier study of the same patient, modality and body part there; not compared")
            return nil
        }
        var candidates = scanned
        if scanned.count == 1 {
            let folder = URL(fileURLWithPath: study.first.path).deletingLastPathComponent()
            let parent = folder.deletingLastPathComponent().standardizedFileURL.path
            let home = FileManager.default.homeDirectoryForCurrentUser.standardizedFileURL.path
            if parent != "/" && parent != home && URL(fileURLWithPath: path).standardizedFileURL.path == folder.standardizedFileURL.path {
                candidates += StudyIndex.scan([parent], cache: store).studies
            }
        }
        candidates += store.studies(patientID: query.patientID)
        return query.priors(in: candidates).first
    }

    /// The `AnalysisDocument` (docs/ANALYSIS_JSON.md): saved as `analysis.json` beside a study's
    /// files, the workstation shows it as if it had run the models itself.
    private func printJSON(_ r: StudyAnalysis.Result, studies: [StudyIndex.Study], catalog: ModelCatalog, seconds: Double) throws {
        let document = AnalysisDocument(r, studyInstanceUID: studies.count == 1 ? studies[0].studyInstanceUID : nil,
                                        catalog: catalog, seconds: seconds)
        Output.json(data: try document.encoded(heatmaps: heatmaps))
    }

    private func printTable(_ r: StudyAnalysis.Result) {
        for run in r.runs {
            var line = "  series \(run.seriesInstanceUID): \(run.model.map { "\($0.id) " } ?? "")\(run.status.rawValue)"
            if let m = run.message { line += ": \(m)" }
            if run.status == .findings || run.status == .noFindings {
                line += String(format: " (%d finding(s), %@)", run.findings, run.cached ? "cached" : String(format: "%.2f s", run.seconds))
            }
            if run.status == .abstained {
                line += ": outside the model's validated range (\(run.ood.joined(separator: "; ")))"
                if let n = run.withheld, n > 0 { line += "; \(n) finding(s) withheld (--ood allow shows them)" }
            } else if !run.ood.isEmpty { line += " [OOD: \(run.ood.joined(separator: "; "))]" }
            Output.line(line)
            for w in run.warnings { Output.line("    warning: \(w)") }
            if let g = run.registration {
                Output.line(String(format: "    compared with prior study %@: rotation (%.1f, %.1f, %.1f)°, shift (%.1f, %.1f, %.1f) mm, %.2f s",
                                   g.priorStudyInstanceUID, g.rotationDeg[0], g.rotationDeg[1], g.rotationDeg[2],
                                   g.translationMM[0], g.translationMM[1], g.translationMM[2], g.seconds))
            }
            if let c = run.priorComparison {
                Output.line(String(format: "    compared with prior mammogram %@%@; %d stable finding(s) no longer marked", c.priorStudyInstanceUID,
                                   c.intervalDays.map { String(format: " (%.0f days earlier)", $0) } ?? "", run.stableOnPrior?.count ?? 0))
            }
            for f in run.resolved ?? [] where f.centerMM.count == 3 {
                Output.line(String(format: "    resolved since the prior: %@ %@ at (%.0f, %.0f, %.0f) mm", f.label,
                                   f.diameterMM.map { String(format: "%.1f mm", $0) } ?? "", f.centerMM[0], f.centerMM[1], f.centerMM[2]))
            }
        }
        for b in r.breasts {
            var line = String(format: "    breast %@: suspicion %d/10, BI-RADS %@ (p=%.2f, %d finding(s))%@",
                              b.laterality, b.suspicionScore, b.birads, b.probability, b.findings, b.ood ? " OOD" : "")
            if let p = b.prior {
                line += " — \(p.presentOnPrior) present on the prior, \(p.new) new, \(p.growing) growing"
                if let k = p.factor { line += String(format: ", suspicion ×%.2f (stable)", k) }
            }
            Output.line(line)
        }
        for s in r.imageScores where !r.breasts.contains(where: { $0.sopInstanceUIDs.contains(s.sopInstanceUID) }) {
            Output.line(String(format: "    image %@ %@: score %.2f", s.sopInstanceUID, s.view ?? "", s.probability))
        }
        for f in r.findings {
            var line = String(format: "    %@ p=%.2f risk=%@ ", f.label, f.probability, f.risk.rawValue)
            line += f.diameterMM.map { String(format: "%.1f mm", $0) } ?? "size unknown (no pixel spacing)"
            if let c = f.category { line += " category \(c)" }
            if let s = f.suspicionScore { line += " suspicion \(s)/10" }
            if let v = f.volumeML { line += String(format: " %.2f mL", v) }
            if let v = f.volumeABC2ML { line += String(format: " (ABC/2 %.2f mL)", v) }
            if let t = f.territory { line += " territory \(t)" }
            if let m = f.dwiFlairMismatch {
                line += m ? " DWI-FLAIR mismatch" : " no DWI-FLAIR mismatch"
                if let r = f.flairRelativeSignal { line += String(format: " (FLAIR rSI %.2f)", r) }
            }
            if let m = f.malignancyProbability { line += String(format: " Brock %.1f%%", m * 100) }
            if f.centerMM.count == 3 { line += String(format: " at (%.0f, %.0f, %.0f) mm", f.centerMM[0], f.centerMM[1], f.centerMM[2]) }
            if let l = f.laterality { line += " \(l)" }
            if let v = f.view { line += " \(v)" }
            if f.ood { line += " OOD" }
            if let p = f.prior {
                line += " — \(p.status.rawValue)"
                if p.presentOnPrior == true { line += " (present on the prior)" }
                if let k = p.suspicionFactor { line += String(format: ", suspicion ×%.2f", k) }
                if let d = p.meanDiameterChangeMM { line += String(format: " %+.1f mm", d) }
                if let v = p.volumeChangePct { line += String(format: " (volume %+.0f%%)", v) }
                if let t = p.volumeDoublingDays { line += String(format: ", VDT %.0f d", t) }
            }
            Output.line(line)
        }
    }
}
