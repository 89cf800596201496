import DICOM

/// A coded concept: (code value, coding scheme designator, code meaning), as SR items carry them in
/// Concept Name, Concept and Measurement Units Code Sequences (PS3.3 Table 8.8-1).
public struct CodedConcept: Hashable, Sendable, CustomStringConvertible {
    public var value: String
    public var scheme: String
    public var meaning: String

    public init(_ value: String, _ scheme: String, _ meaning: String) {
        self.value = value; self.scheme = scheme; self.meaning = meaning
    }

    /// Same code regardless of the meaning's wording (meanings vary between tools and releases).
    public func matches(_ other: CodedConcept) -> Bool { value == other.value && scheme == other.scheme }

    public var description: String { "(\(value), \(scheme), \"\(meaning)\")" }

    /// The item of a code sequence. Values over 16 characters go in Long Code Value (0008,0119).
    var item: WritableDataSet {
        var ds = WritableDataSet()
        if value.count > 16 { ds.set(Tag(0x0008, 0x0119), .UC, value) } else { ds.set(Tag(0x0008, 0x0100), .SH, value) }
        ds.set(Tag(0x0008, 0x0102), .SH, scheme)
        ds.set(Tag(0x0008, 0x0104), .LO, String(meaning.prefix(64)))
        return ds
    }

    /// Reads a code sequence item (Code Value, Long Code Value or URN Code Value).
    init?(item: DataSet) {
        guard let v = item.string(Tag(0x0008, 0x0100)) ?? item.string(Tag(0x0008, 0x0119)) ?? item.string(Tag(0x0008, 0x0120)) else {
            return nil
        }
        self.init(v, item.string(Tag(0x0008, 0x0102)) ?? "", item.string(Tag(0x0008, 0x0104)) ?? "")
    }
}
