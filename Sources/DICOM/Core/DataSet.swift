/// A parsed data set (or sequence item): elements in ascending tag order, and how to read their values.
///
/// Lookups are binary searches, O(log n). Values stay in the shared `DICOMBuffer` until asked for.
public struct DataSet: Sendable {
    public let buffer: DICOMBuffer
    /// Elements in ascending tag order (the parser sorts them if the file did not).
    public let elements: [DataElement]
    public let byteOrder: TransferSyntax.ByteOrder
    public let explicitVR: Bool
    /// The character set that applies to this data set's text; items inherit their parent's unless they
    /// carry their own (0008,0005) (PS3.5 §6.1.2.5.2).
    public let characterSet: SpecificCharacterSet

    public init(buffer: DICOMBuffer, elements: [DataElement], byteOrder: TransferSyntax.ByteOrder,
                explicitVR: Bool, characterSet: SpecificCharacterSet) {
        self.buffer = buffer; self.elements = elements; self.byteOrder = byteOrder
        self.explicitVR = explicitVR; self.characterSet = characterSet
    }

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }

    /// The element with `tag`, if present.
    public subscript(tag: Tag) -> DataElement? {
        var lo = 0, hi = elements.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let t = elements[mid].tag
            if t == tag { return elements[mid] }
            if t < tag { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    public func contains(_ tag: Tag) -> Bool { self[tag] != nil }

    /// The items of a sequence element (empty when absent or not a sequence).
    public func sequence(_ tag: Tag) -> [DataSet] { self[tag]?.items ?? [] }

    /// Raw value bytes of an element (a copy), or nil for absent, sequence or encapsulated elements.
    public func bytes(_ tag: Tag) -> [UInt8]? {
        guard let range = self[tag]?.byteRange else { return nil }
        return buffer.bytes(range)
    }
}
