import Analysis

/// The reader's say on which prior nodule a current finding is (one row of `prior_links`): the
/// analysis had matched it to `analysisFindingID` (nil: it called the nodule new); the reader
/// re-linked it (`comparison` against the chosen prior nodule) or unlinked it (`comparison.status`
/// is `new`).
public struct PriorLinkRecord: Sendable, Equatable {
    public var id: Int64
    public var reader: String
    public var at: String
    public var studyUID: String
    public var findingKey: String
    public var analysisFindingID: String?
    public var comparison: PriorComparison

    public init(id: Int64 = 0, reader: String = "", at: String = "", studyUID: String, findingKey: String,
                analysisFindingID: String?, comparison: PriorComparison) {
        self.id = id; self.reader = reader; self.at = at; self.studyUID = studyUID; self.findingKey = findingKey
        self.analysisFindingID = analysisFindingID; self.comparison = comparison
    }

    /// The prior finding the reader linked, nil when unlinked.
    public var priorFindingID: String? { comparison.status == .new ? nil : comparison.findingID }
}
