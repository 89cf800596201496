import Analysis
import DICOM
import ArgumentParser
import Foundation
import Imaging
import Inference

/// `lightbox analyze PATH`: picks the models whose cards fit each series, runs them in-process and
/// prints the findings (a table, or `--json` as docs/ANALYSIS_JSON.md describes).
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Run the AI models that fit a study and list their findings.",
        discussion: """
            Models come from --models (default: Models/ beside the current directory). A series no model fits \
            gets "no applicable model". Inputs outside a card's validated range run with an out-of-distribution \
            warning on every finding (or are skipped with --ood refuse).
            Exit status: 0 no findings, 10 findings, 20 no applicable model, 2 error.
            Volumetric CT models (LDCT nodules, head CT haemorrhage) run now; 2-D models (mammography, \
            radiographs) are listed as applicable but not yet run by this command.
            """)

    @Argument(help: "A study folder (or several studies under one folder).")
    var path: String

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Run only the model with this id.")
    var model: String?

    @Option(help: "Out-of-distribution inputs: allow (run, flag findings) or refuse (skip).")
    var ood: String = "allow"

    @Option(help: "Folder of .onnx models with .json cards.")
    var models: String = "Models"

    @Option(help: "Heatmap threshold for a finding.")
    var threshold: Float = 0.5

    func validate() throws {
        guard ["allow", "refuse"].contains(ood) else { throw ValidationError("--ood must be allow or refuse") }
        guard threshold > 0 && threshold < 1 else { throw ValidationError("--threshold must be between 0 and 1") }
    }

    func run() throws {
        BLASTuning.reexecWithTunedKernelsIfNeeded()
        let catalog: ModelCatalog
        do { catalog = try ModelCatalog(folder: URL(fileURLWithPath: models)) } catch {
            Output.error("cannot read models in \(models): \(error)")
            throw ExitCode(2)
        }
        let index = StudyIndex.scan([path], cache: nil)
        for f in index.failures { Output.error("skipped unreadable file: \(f.reason)") }
        guard !index.studies.isEmpty else { Output.error("\(path): no DICOM studies found"); throw ExitCode(2) }

        var allFindings: [Finding] = []
        var reports: [[String: Any]] = []
        var anyModel = false
        for study in index.studies {
            for series in study.series where series.first.hasPixelData {
                let fits = catalog.applicable(to: series).filter { model == nil || $0.entry.card.id == model }
                if fits.isEmpty {
                    reports.append(["series": series.seriesInstanceUID, "status": "no applicable model"])
                    continue
                }
                for (entry, oodReasons) in fits {
                    var report: [String: Any] = ["series": series.seriesInstanceUID, "model": entry.card.id,
                                                 "version": entry.card.version, "sha256": entry.card.sha256,
                                                 "ood": oodReasons]
                    guard entry.verified else {
                        report["status"] = "error: sha256 of \(entry.url.lastPathComponent) does not match its card"
                        reports.append(report); continue
                    }
                    if !oodReasons.isEmpty && ood == "refuse" {
                        report["status"] = "refused: out of distribution"; reports.append(report); continue
                    }
                    guard series.first.modality == "CT", series.instances.count >= 3 else {
                        report["status"] = "applicable, not run: 2-D models are not run by this command yet"
                        reports.append(report); continue
                    }
                    anyModel = true
                    let start = Date()
                    do {
                        let run = try SeriesAnalysis(series: series, entry: entry, outOfDistribution: !oodReasons.isEmpty,
                                                     threshold: threshold, patient: brockPatient(series.first))
                        let found = run.findings
                        allFindings += found
                        report["status"] = found.isEmpty ? "no findings" : "findings"
                        report["findings"] = found.count
                        report["seconds"] = Date().timeIntervalSince(start)
                        if !run.volume.gapsAfter.isEmpty { report["warning"] = "series has \(run.volume.gapsAfter.count) gap(s) between slices" }
                    } catch {
                        report["status"] = "error: \(error)"
                    }
                    reports.append(report)
                }
            }
        }
        if json {
            let data = try JSONEncoder().encode(allFindings)
            let findingsObject = try JSONSerialization.jsonObject(with: data)
            try Output.json(["findings": findingsObject, "runs": reports,
                             "disclaimer": "Models trained on synthetic phantoms; not for clinical use."])
        } else {
            Output.line("NOT FOR CLINICAL USE — models trained on synthetic phantoms demonstrate the pipeline only.")
            for r in reports {
                Output.line("series \(r["series"] ?? ""): \(r["model"].map { "\($0) " } ?? "")\(r["status"] ?? "")"
                            + ((r["ood"] as? [String]).flatMap { $0.isEmpty ? nil : " [OOD: \($0.joined(separator: "; "))]" } ?? ""))
            }
            for f in allFindings {
                var line = String(format: "  %@ p=%.2f risk=%@ %.1f mm", f.label, f.probability, f.risk.rawValue, f.diameterMM)
                if let c = f.category { line += " category \(c)" }
                if let v = f.volumeML { line += String(format: " %.2f mL", v) }
                if let v = f.volumeABC2ML { line += String(format: " (ABC/2 %.2f mL)", v) }
                if let m = f.malignancyProbability { line += String(format: " Brock %.1f%%", m * 100) }
                line += String(format: " at (%.0f, %.0f, %.0f) mm", f.centerMM[0], f.centerMM[1], f.centerMM[2])
                if f.ood { line += " OOD" }
                Output.line(line)
            }
        }
        if !anyModel && reports.allSatisfy({ ($0["status"] as? String) == "no applicable model" }) { throw ExitCode(20) }
        if reports.contains(where: { ($0["status"] as? String)?.hasPrefix("error") == true }) { throw ExitCode(2) }
        if !allFindings.isEmpty { throw ExitCode(10) }
    }

    /// Age and sex from the header, for the Brock model; nil when either is missing.
    private func brockPatient(_ h: InstanceHeader) -> BrockModel.Patient? {
        guard let file = try? DICOM.DICOMFile.read(URL(fileURLWithPath: h.path), options: .init(stopBeforePixelData: true)) else { return nil }
        let ds = file.dataSet
        guard let sex = ds.string(.patientSex), sex == "M" || sex == "F",
              let ageText = ds.string(.patientAge), ageText.hasSuffix("Y"), let age = Double(ageText.dropLast()) else { return nil }
        return .init(age: age, female: sex == "F")
    }
}
