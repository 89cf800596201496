extension ResolvedFinding {
    /// A prior nodule known only by what a comparison kept of it (the reader's re-link candidates,
    /// tests): no image of its own.
    public init(studyInstanceUID: String, findingID: String?, label: String, centerMM: [Double]) {
        self.studyInstanceUID = studyInstanceUID; self.findingID = findingID; self.label = label; self.centerMM = centerMM
        centerInCurrentMM = nil; diameterMM = nil; volumeML = nil; category = nil; sopInstanceUID = ""
    }
}
