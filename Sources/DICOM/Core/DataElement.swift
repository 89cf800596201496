/// One data element as parsed: its tag, VR, where it was found, and its value.
public struct DataElement: Sendable {
    public let tag: Tag
    public let vr: VR
    /// Offset of the element's header in the buffer it was parsed from.
    public let offset: Int
    /// Declared value length; `DataElement.undefinedLength` for undefined-length sequences and pixel data.
    public let length: UInt32
    public let value: Value

    public static let undefinedLength: UInt32 = 0xFFFF_FFFF

    public enum Value: Sendable {
        /// Value bytes at this range of the data set's buffer (byte order as the transfer syntax says).
        case bytes(Range<Int>)
        /// A sequence of items.
        case sequence([DataSet])
        /// Encapsulated pixel data: offset table and fragments.
        case encapsulated(EncapsulatedPixelData)
    }

    public init(tag: Tag, vr: VR, offset: Int, length: UInt32, value: Value) {
        self.tag = tag; self.vr = vr; self.offset = offset; self.length = length; self.value = value
    }

    /// Byte range of the value, for elements that hold bytes.
    public var byteRange: Range<Int>? {
        if case let .bytes(r) = value { return r }
        return nil
    }

    public var items: [DataSet]? {
        if case let .sequence(s) = value { return s }
        return nil
    }
}

/// Encapsulated pixel data (PS3.5 §A.4): a Basic Offset Table item, then one or more fragments.
public struct EncapsulatedPixelData: Sendable {
    /// Byte ranges (in the data set's buffer) of each fragment's bytes, in order.
    public let fragments: [Range<Int>]
    /// Basic Offset Table: offsets of each frame's first fragment, relative to the first fragment's item tag.
    public let basicOffsetTable: [UInt64]
    /// Byte offsets (in the buffer) of each fragment's item header, needed to resolve offset tables.
    public let fragmentItemOffsets: [Int]

    public init(fragments: [Range<Int>], basicOffsetTable: [UInt64], fragmentItemOffsets: [Int]) {
        self.fragments = fragments; self.basicOffsetTable = basicOffsetTable
        self.fragmentItemOffsets = fragmentItemOffsets
    }
}
