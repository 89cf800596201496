import Review

/// The reader's review of the open study: which finding is selected, the decisions on the AI's
/// findings, the reader's own marks, the sign-off, and what undo can revert. Rebuilt from the
/// store on every review load (`load`), so it reaches back past a restart.
public struct FindingsReview: Sendable {
    /// Index into the panel's findings (`AppState.findings`); clamped where it is read.
    public var selection = 0
    public var decisions: [String: FindingDecision] = [:]
    public var readerFindings: [ReaderFindingRecord] = []
    public var signoff: SignoffRecord?
    /// Actions undo can revert, newest last.
    public var undoStack: [UndoEntry] = []
    /// The reader's re-links and unlinks of prior matches, by finding key (`PriorLinks`).
    public var priorLinks: [String: PriorLinkRecord] = [:]

    public init() {}

    /// What the store holds for this study and reader replaces what the viewer had.
    mutating func load(_ snapshot: ReviewSnapshot) {
        decisions = snapshot.decisions
        readerFindings = snapshot.readerFindings
        signoff = snapshot.signoff
        undoStack = snapshot.history
        priorLinks = snapshot.priorLinks
    }

    /// Moves the selection by `step` among `count` findings, wrapping.
    mutating func select(step: Int, of count: Int) {
        selection = (min(selection, count - 1) + step + count) % count
    }

    /// A decision on finding `key`, undoable (its record ID is 0 until the store answers).
    mutating func decide(_ decision: FindingDecision, for key: String) {
        decisions[key] = decision
        undoStack.append(.decision(findingKey: key, recordID: 0))
    }

    /// A reader's own mark, undoable.
    mutating func add(_ record: ReaderFindingRecord) {
        readerFindings.append(record)
        undoStack.append(.readerFinding(key: record.key))
    }

    /// Reverts the newest undoable action; returns it with the decision it removed (nil when
    /// there is nothing to undo).
    mutating func undoLast() -> (entry: UndoEntry, removedDecision: FindingDecision?)? {
        guard let last = undoStack.popLast() else { return nil }
        switch last {
        case .decision(let key, _):
            let d = decisions[key]
            decisions[key] = nil
            return (last, d)
        case .readerFinding(let key):
            readerFindings.removeAll { $0.key == key }
            return (last, nil)
        }
    }
}
