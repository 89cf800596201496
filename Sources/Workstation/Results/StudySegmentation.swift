import Analysis
import DICOM
import Foundation
import Imaging
import Review

/// The DICOM Segmentation of a study's AI findings, as `review export --seg` and the results sent
/// to the archive on sign-off make it: every AI finding with a mask (`FindingMaskExtractor`) except
/// those the reader rejected, each segment described with the reader's decision.
public enum StudySegmentation {
    public struct Made {
        public var document: SegmentationDocument
        /// Findings left out because the reader rejected them.
        public var rejected: Int
    }

    /// Headers of the images the analysis has maps for are read here (not their pixels).
    /// `source`: a header of an image of the study (patient and study modules).
    /// `signoff`: the reading's sign-off; the SEG then keeps its UIDs however often it is made.
    public static func make(study: StudyIndex.Study, analysis: AnalysisDocument, findings: [ReviewedFinding],
                            source: DataSet, signoff: SignoffRecord? = nil) throws -> Made {
        let mapped = Set(analysis.heatmaps.map(\.sopInstanceUID))
        var images: [String: SegmentationSourceImage] = [:]
        for inst in study.series.flatMap(\.instances) where mapped.contains(inst.sopInstanceUID) {
            let file = try DICOMFile.read(URL(fileURLWithPath: inst.path), options: .init(stopBeforePixelData: true))
            if let img = SegmentationSourceImage(dataSet: file.dataSet) { images[img.sopInstanceUID] = img }
        }
        let decided = Dictionary(findings.filter { $0.origin == .ai }.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        var rejected = 0
        var segments: [SegmentationDocument.Segment] = []
        for mask in FindingMaskExtractor.masks(analysis, images: images) {
            let decision = decided[mask.findingKey]
            if decision?.outcome == .rejected { rejected += 1; continue }
            var text = String(format: "%@, AI p %.2f (%@ %@)", mask.label, mask.probability, mask.model.id, mask.model.version)
            switch decision?.outcome {
            case .corrected?: text += "; reader: corrected" + (decision.map { " to \($0.label)" } ?? "")
            case .accepted?: text += "; reader: accepted"
            default: text += "; reader: not decided"
            }
            segments.append(.init(mask: mask, description: String(text.prefix(1024))))
        }
        var document = SegmentationDocument(segments: segments, images: images, source: source)
        if let signoff {
            (document.seriesInstanceUID, document.sopInstanceUID) = StableUID.signed("seg", studyUID: study.studyInstanceUID,
                                                                                     reader: signoff.reader, signedAt: signoff.at)
        }
        return Made(document: document, rejected: rejected)
    }
}
