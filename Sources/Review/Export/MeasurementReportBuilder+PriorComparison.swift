import Analysis
import DICOM

/// The comparison with the prior in a measurement group: TID 1502 time point context (this report
/// is the later time point, order 2) and what changed, from the finding's `prior`.
extension MeasurementReportBuilder {
    func timePointContext(_ f: ReviewedFinding) -> [SRContentItem] {
        guard f.prior != nil else { return [] }
        return [
            SRContentItem("HAS OBS CONTEXT", SRCodes.timePoint, .text("follow-up")),
            SRContentItem("HAS OBS CONTEXT", SRCodes.timePointOrder, .num(2, unit: SRCodes.noUnits)),
        ]
    }

    func comparison(_ f: ReviewedFinding) -> [SRContentItem] {
        guard let p = f.prior else { return [] }
        var items = [SRContentItem("CONTAINS", SRCodes.priorStudy, .uidref(p.studyInstanceUID)),
                     SRContentItem("CONTAINS", SRCodes.priorStatus, .text(p.status.rawValue))]
        func num(_ code: CodedConcept, _ v: Double?, _ unit: CodedConcept) {
            if let v, v.isFinite { items.append(SRContentItem("CONTAINS", code, .num(v, unit: unit))) }
        }
        num(SRCodes.priorDiameter, p.diameterMM, SRCodes.millimeter)
        num(SRCodes.priorVolume, p.volumeML, SRCodes.milliliter)
        num(SRCodes.diameterChange, p.meanDiameterChangeMM ?? p.diameterChangeMM, SRCodes.millimeter)
        num(SRCodes.volumeChange, p.volumeChangePct, SRCodes.percent)
        num(SRCodes.volumeDoublingTime, p.volumeDoublingDays, SRCodes.days)
        num(SRCodes.interval, p.intervalDays, SRCodes.days)
        return items
    }

    /// The finding's Tracking UID: given, else the lesion's (`TrackingUID`) when the study is known,
    /// else a new one.
    func trackingUID(_ f: ReviewedFinding) -> String {
        if let u = trackingUIDs[f.key] { return u }
        if f.origin == .ai, let studyUID, !studyUID.isEmpty {
            return TrackingUID.of(findingKey: f.key, studyInstanceUID: studyUID, prior: f.prior)
        }
        return UIDGenerator.make()
    }
}
