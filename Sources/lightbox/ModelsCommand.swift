import ArgumentParser
import Foundation
import Workstation
import Inference

/// `lightbox models [--json] [--dir Models]`: the models installed, from their cards.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "models", abstract: "List installed models and their cards.")
    @Option(help: "Folder of .onnx models with cards (default: found as `lightbox --help` says; `lightbox doctor` shows which).") var dir: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let dir = try BundledFolder.path("Models", option: self.dir, flag: "--dir", exitCode: 1)
        let list = try ModelCard.list(in: URL(fileURLWithPath: dir))
        if json {
            var arr: [Any] = []
            for (card, url, ok) in list {
                var obj = (try JSONSerialization.jsonObject(with: card.encodedJSON())) as? [String: Any] ?? [:]
                obj["model_file"] = url.path
                obj["sha256_verified"] = ok
                arr.append(obj)
            }
            let data = try JSONSerialization.data(withJSONObject: arr, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if list.isEmpty { print("no models with cards in \(dir)"); return }
        for (card, url, ok) in list {
            let use = card.intendedUse
            print("\(card.id) \(card.version)  \(card.task.rawValue)  \(use.modality) \(use.bodyPart)\(card.notForClinicalUse ? "  NOT FOR CLINICAL USE" : "")")
            print("    file: \(url.lastPathComponent)  sha256 \(ok ? "ok" : "MISMATCH")")
            if let labels = card.outputs.labels { print("    labels: \(labels.joined(separator: ", "))") }
        }
    }
}
