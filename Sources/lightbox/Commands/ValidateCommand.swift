import Analysis
import ArgumentParser
import Foundation
import Imaging
import Inference
import Workstation
import Synchronization

/// `lightbox validate MODEL_ID DIR`: the model's card figures recomputed on a site's own cases
/// (`Analysis.SiteValidation`), each with a bootstrap 95 % interval, beside the card's own, and a
/// plain-language verdict where the site's figures fall short. No Python needed.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Measure a model on your own cases with ground truth, against its card.",
        discussion: """
            Runs MODEL_ID on every study under DIR that has a ground_truth.json sidecar (the SampleStudies \
            format, Training/ground_truth.schema.json) and reports: AUC (image or scan), lesion sensitivity and \
            false marks at the card's operating point, FROC sensitivity at 0.5/1/2 false marks per image or scan, \
            ECE (10 bins, calibrated probabilities), and the abstention rate. Each figure has a 95% bootstrap \
            interval over cases. The card's figures are its validation.workstation section (the same pipeline \
            on its held-out set) when it has one, else evaluate.py's. The verdict names a figure when the site's \
            whole interval is worse than the card (a note when only the point estimate is). A finding hits a lesion within max(radius, 5 mm) of its centre (projection \
            images: also inside its box widened by 2 mm). Figures are over the runs the model did not abstain on.
            Exit status: 0 the site's figures hold up, 3 some fall below the card, 2 error.
            """)

    @Argument(help: "The model's card id (lightbox models lists them).")
    var modelID: String

    @Argument(help: "A folder of studies, each with a ground_truth.json sidecar.")
    var dir: String

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Bootstrap resamples for the 95% intervals (0: none).")
    var bootstrap: Int = 1000

    @Option(help: "Write reliability.png and froc.png into this folder.")
    var plots: String?

    @Option(help: "Folder of .onnx models with .json cards (default: found as `lightbox --help` says; `lightbox doctor` shows which).")
    var models: String?

    func validate() throws {
        guard (0 ... 100_000).contains(bootstrap) else { throw ValidationError("--bootstrap must be 0…100000") }
    }

    func run() throws {
        BLASTuning.reexecWithTunedKernelsIfNeeded()
        let catalog: ModelCatalog
        let models = try BundledFolder.path("Models", option: self.models, flag: "--models", exitCode: 2)
        do { catalog = try ModelCatalog(folder: URL(fileURLWithPath: models)) } catch {
            Output.error("cannot read models in \(models): \(error)")
            throw ExitCode(2)
        }
        guard let entry = catalog.entries.first(where: { $0.card.id == modelID }) else {
            Output.error("no model \(modelID) in \(models) (have: \(catalog.entries.map(\.card.id).sorted().joined(separator: ", ")))")
            throw ExitCode(2)
        }
        guard entry.verified else { Output.error("\(modelID): the model file does not match its card's sha256"); throw ExitCode(2) }
        let index = StudyIndex.scan([dir], cache: nil)
        for f in index.failures { Output.error("skipped unreadable file \(URL(fileURLWithPath: f.path).lastPathComponent): \(f.reason)") }
        var cases: [(study: StudyIndex.Study, truth: GroundTruth)] = []
        var withoutTruth = 0
        for study in index.studies {
            guard let url = Self.sidecar(for: study, under: URL(fileURLWithPath: dir)) else { withoutTruth += 1; continue }
            do { cases.append((study, try GroundTruth.load(url))) } catch {
                Output.error("skipped a study: \(error)")
            }
        }
        guard !cases.isEmpty else { Output.error("\(dir): no studies with a ground_truth.json sidecar"); throw ExitCode(2) }
        let bar = ProgressBar(total: cases.count)
        let minimum = SiteValidation.minimumLesionDiameter(cardAt: entry.card.path)
        let units = SiteValidation.collect(entry, cases: cases, minimumDiameterMM: minimum, progress: { bar.update($0) })
        bar.finish()
        guard !units.isEmpty else { Output.error("\(modelID) fitted none of the \(cases.count) studies"); throw ExitCode(2) }
        let threshold = entry.trust.operatingPoint?.threshold ?? 0.5
        let site = SiteValidation.figures(units, threshold: threshold)
        let ci = SiteValidation.bootstrap(units, threshold: threshold, resamples: bootstrap)
        let card = entry.card.path.map { CardFigures(cardAt: $0) } ?? CardFigures()
        let (verdicts, notes) = card.assess(site: site, siteCI: ci)
        let unit = entry.isVolumetric ? "scan" : "image"
        if let plots { try writePlots(units: units, threshold: threshold, folder: plots) }
        if json {
            try Output.json([
                "model": ["id": entry.card.id, "version": entry.card.version, "sha256": entry.card.sha256],
                "studies": cases.count, "studies_without_ground_truth": withoutTruth, "unit": unit,
                "operating_threshold": threshold, "calibrated": entry.trust.isCalibrated,
                "minimum_lesion_diameter_mm": minimum as Any,
                "figures": site.named, "ci95": ci, "bootstrap_resamples": bootstrap,
                "card": ["figures": card.values, "ci95": card.intervals],
                "verdicts": verdicts, "notes": notes, "holds_up": verdicts.isEmpty,
                "disclaimer": "Models trained on synthetic phantoms; not for clinical use.",
            ] as [String: Any])
        } else {
            printReport(site: site, ci: ci, card: card, verdicts: verdicts, notes: notes, studies: cases.count, unit: unit, threshold: threshold,
                        calibrated: entry.trust.isCalibrated)
        }
        if !verdicts.isEmpty { throw ExitCode(3) }
    }

    /// The ground_truth.json beside the study's files or in a folder above them (up to `root`).
    static func sidecar(for study: StudyIndex.Study, under root: URL) -> URL? {
        let rootPath = root.standardizedFileURL.path
        var folder = URL(fileURLWithPath: study.first.path).deletingLastPathComponent().standardizedFileURL
        for _ in 0 ..< 8 {
            let candidate = folder.appendingPathComponent("ground_truth.json")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            if folder.path == rootPath || folder.path == "/" { break }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    private func printReport(site: SiteValidation.Figures, ci: [String: [Double]], card: CardFigures, verdicts: [String], notes: [String],
                             studies: Int, unit: String, threshold: Double, calibrated: Bool) {
        Output.line("NOT FOR CLINICAL USE — models trained on synthetic phantoms demonstrate the pipeline only.")
        Output.line("\(modelID) on \(studies) studies (\(site.units) \(unit)s read, \(site.targets) lesion targets); "
                    + String(format: "operating point p ≥ %.3f%@", threshold, calibrated ? " (calibrated)" : " (uncalibrated card)"))
        func row(_ cells: [String]) -> String {
            zip(cells, [30, 8, 13, 8, 13]).map { c, w in c.count >= w ? c : c + String(repeating: " ", count: w - c.count) }
                .joined(separator: " ")
        }
        Output.line(row(["figure", "site", "site 95% CI", "card", "card 95% CI"]))
        let order = ["auc", "sensitivity", "false_marks_per_unit", "froc_sensitivity_at_0.5_fp", "froc_sensitivity_at_1_fp",
                     "froc_sensitivity_at_2_fp", "ece", "abstention_rate"]
        let named = site.named
        func fmt(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "—" }
        func fmtCI(_ v: [Double]?) -> String { v.map { String(format: "%.3f–%.3f", $0[0], $0[1]) } ?? "—" }
        for k in order {
            let name = k == "false_marks_per_unit" ? "false marks per \(unit)" : k
            Output.line(row([name, fmt(named[k]), fmtCI(ci[k]), fmt(card.values[k]), fmtCI(card.intervals[k])]))
        }
        if verdicts.isEmpty {
            Output.line("Verdict: the site's figures hold up against the card.")
        } else {
            Output.line("Verdict: this model does worse on these cases than its card says.")
            for v in verdicts { Output.line("  - \(v)") }
        }
        for n in notes { Output.line("  note: \(n)") }
    }

    private func writePlots(units: [SiteValidation.Unit], threshold: Double, folder: String) throws {
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let read = units.filter { !$0.abstained }
        let candidates = read.flatMap(\.candidates), targets = read.map(\.targets).reduce(0, +)
        let rel = try ValidationPlots.reliability(ValidationMetrics.reliability(candidates))
        let op = ValidationMetrics.operatingPoint(candidates, targets: targets, units: read.count, threshold: threshold)
        let froc = try ValidationPlots.froc(ValidationMetrics.frocCurve(candidates, targets: targets, units: read.count),
                                        operatingPoint: op.sensitivity.map { (op.falseMarksPerUnit, $0) })
        try Data(rel).write(to: url.appendingPathComponent("reliability.png"))
        try Data(froc).write(to: url.appendingPathComponent("froc.png"))
    }
}

/// A one-line progress bar on standard error ("validate [#####     ] 52 %"), redrawn in place.
final class ProgressBar: Sendable {
    let total: Int
    private let shown = Mutex(-1)
    init(total: Int) { self.total = total }

    func update(_ fraction: Double) {
        let percent = Int((min(max(fraction, 0), 1) * 100).rounded(.down))
        let changed = shown.withLock { shown in
            defer { shown = percent }
            return shown != percent
        }
        guard changed else { return }
        let filled = percent * 30 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled)
        FileHandle.standardError.write(Data("\rvalidate [\(bar)] \(percent) % of \(total) studies".utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
