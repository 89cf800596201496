import Analysis
import DICOM
import Foundation
import Imaging
import Review
import TerminalGraphics

/// Shows the findings of a TID 1500 measurement report (Comprehensive / Enhanced / 3D SR) found in a
/// study: our own `lightbox review export --sr`, or another tool's report with image-region SCOORDs.
/// When the study holds no readable report, `fallback` (e.g. the sidecar or model source) answers.
///
/// The newest report (Content Date/Time, then Instance Number) is used. Findings the reader of that
/// report rejected are left out; the rest come in as proposals (`origin == .ai`, keys prefixed `sr:`)
/// that the current reader decides on like any AI finding. SCOORD3D coordinates are placed on the
/// study's slices through the images' position, orientation and spacing.
public struct SRFindingsSource: FindingsSource {
    public var fallback: (any FindingsSource)?

    public init(fallback: (any FindingsSource)? = nil) { self.fallback = fallback }

    public var idleReason: String { fallback?.idleReason ?? "no structured report in the study" }

    public func analyze(_ study: StudyIndex.Study, progress: @Sendable (Double) -> Void) throws -> AIResult? {
        try analyze(study, prior: nil, progress: progress)
    }

    /// The report's findings; else the fallback's, compared with `prior` when it can.
    public func analyze(_ study: StudyIndex.Study, prior: StudyIndex.Study?, progress: @Sendable (Double) -> Void) throws -> AIResult? {
        if let result = try Self.read(study) {
            progress(1)
            return result
        }
        return try fallback?.analyze(study, prior: prior, progress: progress)
    }

    /// The findings of the newest readable SR in `study`, or nil when it has none.
    public static func read(_ study: StudyIndex.Study) throws -> AIResult? {
        let instances = study.series.flatMap(\.instances)
        let reports = instances.filter { MeasurementReportDocument.srClassUIDs.contains($0.sopClassUID) }
        guard !reports.isEmpty else { return nil }
        var planes: [String: ImagePlane] = [:]
        for i in instances where i.hasPixelData {
            if let p = ImagePlane(origin: i.imagePosition, orientation: i.imageOrientation, pixelSpacing: i.pixelSpacing,
                                  frameOfReferenceUID: "") {
                planes[i.sopInstanceUID] = p
            }
        }
        var newest: (stamp: String, findings: [ReviewedFinding])?
        for r in reports {
            // A damaged or foreign SR is skipped, not fatal: other reports or the fallback may still answer.
            guard let file = try? DICOMFile.read(URL(fileURLWithPath: r.path)),
                  let findings = try? SRFindingsReader.read(file, planes: planes) else { continue }
            let ds = file.dataSet
            let stamp = (ds.string(Tag(0x0008, 0x0023)) ?? "") + (ds.string(Tag(0x0008, 0x0033)) ?? "")
                + String(format: "%09d", max(0, min(ds.int(.instanceNumber) ?? 0, 999_999_999)))
            if let n = newest, stamp <= n.stamp { continue }
            newest = (stamp, findings)
        }
        guard let newest else { return nil }
        let series = Dictionary(instances.map { ($0.sopInstanceUID, $0.seriesInstanceUID) }, uniquingKeysWith: { a, _ in a })
        let shown = newest.findings.filter { $0.outcome != .rejected }
        let findings = shown.map { reviewed in
            var f = reviewed.finding
            f.key = "sr:" + f.key
            f.origin = .ai
            if f.seriesUID.isEmpty { f.seriesUID = series[f.sopUID] ?? "" }
            return f
        }
        let model = shown.compactMap(\.model).first
        return AIResult(findings: findings, model: model, notForClinicalUse: true,
                        cardWarning: "Findings read from a DICOM structured report; not for clinical use")
    }
}
