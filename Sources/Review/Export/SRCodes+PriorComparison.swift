/// Codes of the comparison with a prior study (issue 19). Time point context is TID 1502's; the
/// change measurements have no standard concept, so they are local (docs/SR_EXPORT.md).
extension SRCodes {
    public static let timePoint = CodedConcept("C2348792", "UMLS", "Time Point")
    public static let timePointOrder = CodedConcept("126073", "DCM", "Time Point Order")
    public static let priorStudy = CodedConcept("LBX-PRIOR-STUDY", localScheme, "Prior study compared with")
    public static let priorStatus = CodedConcept("LBX-PRIOR-STATUS", localScheme, "Change since prior")
    public static let priorDiameter = CodedConcept("LBX-PRIOR-DIAMETER", localScheme, "Diameter on prior")
    public static let priorVolume = CodedConcept("LBX-PRIOR-VOLUME", localScheme, "Volume on prior")
    public static let diameterChange = CodedConcept("LBX-DIAMETER-CHANGE", localScheme, "Diameter change since prior")
    public static let volumeChange = CodedConcept("LBX-VOLUME-CHANGE", localScheme, "Volume change since prior")
    public static let volumeDoublingTime = CodedConcept("LBX-VDT", localScheme, "Volume doubling time")
    public static let interval = CodedConcept("LBX-INTERVAL", localScheme, "Interval since prior")
    public static let percent = CodedConcept("%", "UCUM", "percent")
    public static let days = CodedConcept("d", "UCUM", "day")
}
