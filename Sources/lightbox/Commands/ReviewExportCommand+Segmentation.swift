import ArgumentParser
import Analysis
import DICOM
import Foundation
import Imaging
import Review
import Workstation

extension ReviewCommand.Export {
    /// `--seg`: the AI's masks of the study as a DICOM Segmentation (`StudySegmentation`). The masks
    /// come from the analysis the reader saw (`StudyAnalysisLoader`: analysis.json beside the study,
    /// else the models, through the result cache); rejected findings are left out.
    func exportSegmentation(_ target: StudyIndex.Study, analysis: AnalysisDocument?, problem: String?,
                            findings: [ReviewedFinding], signoff: SignoffRecord?, to path: String) throws {
        let instances = target.series.flatMap(\.instances).filter { Self.isImage($0.sopClassUID) }
        guard let first = instances.first else { Output.error("\(study): the study has no images"); throw ExitCode(2) }
        let made: StudySegmentation.Made
        do {
            guard let analysis else {
                Output.error("\(study): no AI analysis for --seg" + (problem.map { ": \($0)" } ?? " (no analysis.json beside the study and no model fits it)"))
                throw ExitCode(2)
            }
            let source = try DICOMFile.read(URL(fileURLWithPath: first.path), options: .init(stopBeforePixelData: true)).dataSet
            made = try StudySegmentation.make(study: target, analysis: analysis, findings: findings, source: source, signoff: signoff)
        } catch let e as ExitCode { throw e } catch {
            Output.error("cannot make the segmentation: \(error)")
            throw ExitCode(2)
        }
        var document = made.document
        document.deidentified = deidentify
        document.fractional = segFractional
        guard !document.segments.isEmpty else {
            Output.error("\(study): no AI finding has a mask to export" + (made.rejected > 0 ? " (\(made.rejected) rejected by the reader)" : ""))
            throw ExitCode(2)
        }
        do { try document.write(to: URL(fileURLWithPath: path)) } catch let error as DICOMWriteError {
            Output.error("cannot write the segmentation: \(error)")
            if case .io = error { throw ExitCode(1) }
            throw ExitCode(2)
        }
        Output.line("Wrote \(path): DICOM Segmentation (\(segFractional ? "fractional: probability" : "binary")), \(document.segments.count) segment\(document.segments.count == 1 ? "" : "s"), \(document.frameCount) frame\(document.frameCount == 1 ? "" : "s")"
                    + (made.rejected > 0 ? "; \(made.rejected) rejected finding\(made.rejected == 1 ? "" : "s") left out" : "")
                    + (document.leftOut.isEmpty ? "" : "; \(document.leftOut.count) on images of another size left out"))
    }
}
