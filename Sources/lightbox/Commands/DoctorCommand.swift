import Analysis
import ArgumentParser
import DICOMCodecs
import Foundation
import Imaging
import Inference
import LightboxConfig
import Review
import TerminalGraphics
import Workstation

/// `lightbox doctor`: what this installation found and what is missing, for whoever installs it on
/// a reading server: the bundled folders and where each came from, every model and its sha256 and
/// card checks, the inference backends, the themes, the terminal's graphics as the environment
/// describes it, the review database's and the study index's paths and permissions, and the image codecs.
/// Exit status: 0 all is well, 1 something a reader would miss (no models, a model that will not
/// run, a database others can read or nobody can write).
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check this installation: models, themes, terminal, database, codecs.",
        discussion: "Reads nothing from the terminal (safe over SSH and in scripts). Exit status: 0 all well, 1 a problem listed.")

    func run() throws {
        var problems: [String] = []
        let locator = ResourceLocator()
        Output.line("lightbox \(Lightbox.configuration.version) at \(locator.executable.path)")

        section("Bundled folders (first found wins; `lightbox --help` gives the order):")
        var found: [String: String] = [:]
        for name in ["Models", "Themes", "SampleStudies"] {
            if let place = locator.locate(name) {
                found[name] = place.path
                Output.line("  \(pad(name, 14)) \(place.path) (\(place.origin))")
            } else {
                Output.line("  \(pad(name, 14)) MISSING; looked in " + locator.places(for: name).map(\.path).joined(separator: ", "))
                if name != "SampleStudies" { problems.append("no \(name) folder") }
            }
        }

        section("Models:")
        if let models = found["Models"] {
            do {
                let catalog = try ModelCatalog(folder: URL(fileURLWithPath: models))
                if catalog.entries.isEmpty { Output.line("  none (no .onnx with a .json card)"); problems.append("no models") }
                for e in catalog.entries {
                    var line = "  \(pad(e.card.id, 24)) \(pad(e.card.version, 8)) sha256 \(e.verified ? "ok" : "MISMATCH (will not run)")"
                    line += e.cardProblem.map { "; card: \($0)" } ?? "; card ok"
                    if e.card.runsInAnalysis == false { line += "; not run by the analysis pipeline (lightbox onnx run)" }
                    if e.card.notForClinicalUse { line += "; not for clinical use" }
                    Output.line(line)
                    if !e.verified { problems.append("\(e.card.id): model file does not match its card") }
                    if e.cardProblem != nil { problems.append("\(e.card.id): card unusable") }
                }
            } catch {
                Output.line("  cannot read \(models): \(error)")
                problems.append("models unreadable")
            }
        }
        let backends = InferenceBackend.allCases.map { "\($0.rawValue) \($0.isAvailable ? "available" : "unavailable")" }
        Output.line("  inference: \(backends.joined(separator: ", ")); default \(InferenceBackend.processDefault.rawValue)")

        section("Themes:")
        if let themes = found["Themes"] {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: themes)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
            for file in names {
                let name = String(file.dropLast(5))
                do { _ = try Theme.load(named: name, from: themes); Output.line("  \(name) ok") } catch {
                    Output.line("  \(name): \(error)")
                    problems.append("theme \(name) unreadable")
                }
            }
            if names.isEmpty { Output.line("  none (the built-in theme is used)") }
        }

        section("Terminal (from the environment; `lightbox` asks the terminal itself when it starts):")
        let env = ProcessInfo.processInfo.environment
        let caps = TerminalCapabilities.fromEnvironment(env)
        Output.line("  TERM=\(env["TERM"] ?? "(unset)")  graphics \(caps.graphicsProtocol)  colours \(caps.colorDepth)"
                    + (caps.insideTmux ? "  inside tmux" : ""))

        section("Review database:")
        let db = ReviewStore.defaultPath(environment: env)
        Output.line("  " + databaseReport(db, what: "review database", problems: &problems))

        section("Study index (headers kept between scans; deleting it costs one cold scan):")
        Output.line("  " + databaseReport(StudyIndexStore.standard(environment: env).url.path, what: "study index", problems: &problems))

        section("Image codecs (transfer syntaxes read besides the uncompressed ones):")
        let codecs = CompressedTransferSyntax.allCases.filter { CodecRegistry.decoder(forTransferSyntax: $0.uid) != nil }
        Output.line("  " + codecs.map { "\($0)" }.joined(separator: ", "))

        section(problems.isEmpty ? "All well." : "Problems: " + problems.joined(separator: "; "))
        if !problems.isEmpty { throw ExitCode(1) }
    }

    private func section(_ title: String) { Output.line(""); Output.line(title) }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    /// Where a database is, whether it exists, and whether its file and folder are private (0600
    /// and 0700: the review database holds patient identifiers and every decision, the study index
    /// every scanned file's patient name and ID).
    private func databaseReport(_ path: String, what: String, problems: inout [String]) -> String {
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        func mode(_ p: String) -> Int? { (try? fm.attributesOfItem(atPath: p))?[.posixPermissions] as? Int }
        var text = path
        if let m = mode(path) {
            text += String(format: " (mode %o)", m)
            if m & 0o077 != 0 { text += ": others can read it; chmod 600"; problems.append("\(what) readable by others") }
        } else {
            text += " (not created yet; it will be 0600)"
        }
        if let m = mode(folder) {
            if m & 0o077 != 0 { text += String(format: "; folder mode %o, better 700", m) }
            if !fm.isWritableFile(atPath: folder) { text += "; folder not writable"; problems.append("\(what) folder not writable") }
        }
        return text
    }
}
