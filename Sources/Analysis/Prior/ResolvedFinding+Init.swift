extension ResolvedFinding {
    /// A prior nodule known only by what a comparison kept of it (the reader's re-link candidates,
    /// tests): no image of its own.
    public init(studyInstanceUID: String, findingID: String?, label: String, centerMM: [Double]) {
        self.studyInstanceUID = studyInstanceUID; self.findingID = findingID; self.label = label; self.centerMM = centerMM
        centerInCurrentMM = nil; diameterMM = nil; volumeML = nil; category = nil; sopInstanceUID = ""
    }

    /// The prior nodule a comparison matched, labelled as the current finding it was matched to;
    /// nil for a comparison with no prior nodule (a new finding) or one that kept no id or centre.
    public init?(matchedIn comparison: PriorComparison, label: String) {
        guard comparison.status != .new, let id = comparison.findingID, let centre = comparison.centerMM else { return nil }
        self.init(studyInstanceUID: comparison.studyInstanceUID, findingID: id, label: label, centerMM: centre)
        diameterMM = comparison.diameterMM; volumeML = comparison.volumeML; category = comparison.priorCategory
    }
}
