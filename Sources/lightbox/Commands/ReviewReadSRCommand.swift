import ArgumentParser
import DICOM
import Foundation
import Imaging
import Review

extension ReviewCommand {
    /// Prints the findings a TID 1500 SR holds (ours or another tool's), as `SRFindingsReader` reads them.
    struct ReadSR: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read-sr", abstract: "Print the findings of a TID 1500 measurement report.")

        @Argument(help: "The SR file.")
        var file: String

        @Option(help: "The study's images (needed to place SCOORD3D coordinates on slices).")
        var study: String?

        @Flag(help: "Print JSON (the same fields as review export --json).")
        var json = false

        func run() throws {
            let sr: DICOMFile
            do { sr = try DICOMFile.read(URL(fileURLWithPath: file)) } catch {
                Output.error("\(error)")
                throw ExitCode(2)
            }
            var planes: [String: ImagePlane] = [:]
            if let study {
                for s in StudyIndex.scan([study], cache: nil).studies {
                    for inst in s.series.flatMap(\.instances) {
                        guard let f = try? DICOMFile.read(URL(fileURLWithPath: inst.path), options: .init(stopBeforePixelData: true)),
                              let p = ImagePlane(dataSet: f.dataSet) else { continue }
                        planes[inst.sopInstanceUID] = p
                    }
                }
            }
            let findings: [ReviewedFinding]
            do { findings = try SRFindingsReader.read(sr, planes: planes) } catch {
                Output.error("\(file): \(error)")
                throw ExitCode(2)
            }
            let studyUID = sr.dataSet.string(.studyInstanceUID) ?? ""
            let reader = findings.first?.reader ?? ""
            if json {
                try Output.json(JSONSerialization.jsonObject(with: ReviewedFindingTable.json(findings, studyUID: studyUID, reader: reader)))
                return
            }
            Output.line("\(findings.count) finding\(findings.count == 1 ? "" : "s") in \(file) (study \(studyUID))")
            for f in findings {
                let at = f.centerX.map { x in " at (\(Int(x.rounded())),\(Int((f.centerY ?? 0).rounded())))" } ?? ""
                Output.line("  \(f.key): \"\(f.label)\" \(f.outcome.rawValue)" + (f.probability.map { " p=\($0)" } ?? "") + at
                            + (f.reason.map { " reason: \($0)" } ?? ""))
                let m = Self.measurements(f)
                if !m.isEmpty { Output.line("    " + m) }
            }
        }

        /// "long axis 23.6 mm · short axis 20.1 mm · volume 3.49 mL · category 4B · Brock 38.1 % · ABC/2 3.2 mL".
        static func measurements(_ f: ReviewedFinding) -> String {
            var parts: [String] = []
            if let d = f.diameterMM { parts.append(String(format: "diameter %.1f mm", d)) }
            if let d = f.longAxisMM { parts.append(String(format: "long axis %.1f mm", d)) }
            if let d = f.shortAxisMM { parts.append(String(format: "short axis %.1f mm", d)) }
            if let v = f.volumeML { parts.append(String(format: "volume %.2f mL", v)) }
            if let v = f.volumeABC2ML { parts.append(String(format: "ABC/2 %.2f mL", v)) }
            if let c = f.category { parts.append("category \(c)") }
            if let p = f.malignancyProbability { parts.append(String(format: "Brock %.1f %%", p * 100)) }
            return parts.joined(separator: " · ")
        }
    }
}
