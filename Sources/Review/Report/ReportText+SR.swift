import DICOM

extension ReportText {
    /// The report text a TID 1500 SR carries (ours: Qualitative Evaluations → TEXT Findings and
    /// Impression; another tool's TEXT items with those concepts anywhere in the tree are read too);
    /// nil when it carries neither.
    public init?(sr ds: DataSet) {
        let items = SRParsedItem(ds, depthLimit: 16).descendants.filter { $0.valueType == "TEXT" }
        func text(_ c: CodedConcept) -> String? { items.first { $0.concept?.matches(c) ?? false }?.text }
        let findings = text(SRCodes.reportFindings), impression = text(SRCodes.impression)
        guard findings != nil || impression != nil else { return nil }
        self.init(findings: findings ?? "", impression: impression ?? "")
    }
}
