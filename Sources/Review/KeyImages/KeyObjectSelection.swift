/// What a Key Object Selection document says, as `KeyObjectSelectionReader` reads it: its title,
/// note and observer, and the flagged images, each with the presentation state it names, if any.
public struct KeyObjectSelection: Sendable, Equatable {
    /// One flagged image (or frame).
    public struct Entry: Sendable, Equatable {
        public var image: SOPReference
        /// The presentation state to show it with (a nested Referenced SOP Sequence item).
        public var presentationState: SOPReference?
    }

    public var sopInstanceUID: String
    public var studyInstanceUID: String
    public var title: CodedConcept?
    public var note: String
    public var observer: String
    public var entries: [Entry]

    /// True when the document flags `sopInstanceUID` (the given frame, or the whole image).
    public func isKey(_ sopInstanceUID: String, frame: Int? = nil) -> Bool {
        entries.contains { e in
            e.image.sopInstanceUID == sopInstanceUID && (e.image.frame == nil || frame == nil || e.image.frame == frame)
        }
    }

    /// The flagged images' SOP Instance UIDs, in document order, each once.
    public var keySOPInstanceUIDs: [String] {
        var seen = Set<String>()
        return entries.map(\.image.sopInstanceUID).filter { seen.insert($0).inserted }
    }
}
