import DICOM
import Foundation
import Imaging
import Review

/// The TID 1500 SR of a reader's reviewed findings, as `review export --sr` and the results sent on
/// sign-off make it: the study's image headers (not its SR, KOS, presentation states or SEGs) give
/// the patient and study modules and the planes of the findings; the store gives the report text
/// and the sign-off.
public enum StudyReport {
    public struct Made {
        public var document: MeasurementReportDocument
        /// Findings on images the study's files do not hold (exported without geometry).
        public var withoutGeometry: Int
    }

    /// Image storage classes: not SR, KOS, presentation states or segmentations.
    public static func isImage(_ sopClass: String) -> Bool {
        !MeasurementReportDocument.srClassUIDs.contains(sopClass) && sopClass != KeyObjectSelectionDocument.sopClassUID
            && !sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.11.") && sopClass != SegmentationCodes.segmentationStorageClassUID
    }

    public enum Problem: Error, CustomStringConvertible {
        case noImages
        public var description: String { "the study has no images" }
    }

    /// A header of the study's first image (patient and study modules of every derived object).
    public static func sourceHeader(_ study: StudyIndex.Study) throws -> DataSet {
        guard let first = study.series.flatMap(\.instances).first(where: { isImage($0.sopClassUID) }) else { throw Problem.noImages }
        return try DICOMFile.read(URL(fileURLWithPath: first.path), options: .init(stopBeforePixelData: true)).dataSet
    }

    public static func make(study: StudyIndex.Study, store: ReviewStore, reader: String, findings: [ReviewedFinding],
                            deidentify: Bool = false) throws -> Made {
        try make(study: study, reader: reader, findings: findings,
                 report: try store.report(studyUID: study.studyInstanceUID, reader: reader)?.text,
                 signoff: try store.signoffs(studyUID: study.studyInstanceUID, reader: reader).last, deidentify: deidentify)
    }

    /// The same from what was read from the store (so it can be made off the thread that owns the store).
    public static func make(study: StudyIndex.Study, reader: String, findings: [ReviewedFinding], report: ReportText?,
                            signoff: SignoffRecord?, deidentify: Bool = false) throws -> Made {
        let wanted = Set(findings.map(\.sopUID))
        var images: [String: SRSourceImage] = [:]
        for inst in study.series.flatMap(\.instances) where isImage(inst.sopClassUID) && wanted.contains(inst.sopInstanceUID) {
            let file = try DICOMFile.read(URL(fileURLWithPath: inst.path), options: .init(stopBeforePixelData: true))
            if let img = SRSourceImage(dataSet: file.dataSet) { images[img.sopInstanceUID] = img }
        }
        var builder = MeasurementReportBuilder(reader: reader, findings: findings, images: images)
        builder.studyUID = study.studyInstanceUID
        builder.report = report
        var doc = MeasurementReportDocument(builder: builder, source: try sourceHeader(study))
        doc.deidentified = deidentify
        doc.signoff = signoff
        if let signoff {
            // One SR per sign-off: made again (a retry, a second send), it keeps its UIDs.
            (doc.seriesInstanceUID, doc.sopInstanceUID) = StableUID.signed("sr", studyUID: study.studyInstanceUID, reader: reader, signedAt: signoff.at)
        }
        return Made(document: doc, withoutGeometry: findings.filter { !$0.sopUID.isEmpty && images[$0.sopUID] == nil }.count)
    }
}
