import Analysis

extension SRFindingsReader {
    /// The comparison with the prior a measurement group carries (`MeasurementReportBuilder`'s
    /// `comparison`), nil when it has none or its status is not one of ours.
    static func priorComparison(_ g: SRParsedItem) -> PriorComparison? {
        guard let study = g.child(SRCodes.priorStudy)?.text, !study.isEmpty,
              let status = g.child(SRCodes.priorStatus)?.text.flatMap(PriorComparison.Status.init(rawValue:)) else { return nil }
        var p = PriorComparison(studyInstanceUID: study, status: status)
        func num(_ c: CodedConcept) -> Double? { g.child(c)?.number }
        p.diameterMM = num(SRCodes.priorDiameter)
        p.volumeML = num(SRCodes.priorVolume)
        p.meanDiameterChangeMM = num(SRCodes.diameterChange)
        p.volumeChangePct = num(SRCodes.volumeChange)
        p.volumeDoublingDays = num(SRCodes.volumeDoublingTime)
        p.intervalDays = num(SRCodes.interval)
        return p
    }
}
