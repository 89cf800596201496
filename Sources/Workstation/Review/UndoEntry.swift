/// Something undo can revert.
public enum UndoEntry: Equatable, Sendable {
    /// A decision; `recordID` 0 until the store has answered (then the finding's current one).
    case decision(findingKey: String, recordID: Int64)
    case readerFinding(key: String)
}
