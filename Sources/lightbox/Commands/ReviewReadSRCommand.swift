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
            }
        }
    }
}
