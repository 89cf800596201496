/// A DICOM attribute tag: a (group, element) pair, ordered as the standard orders data elements.
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Group number in the high 16 bits, element number in the low 16 bits.
    public let raw: UInt32

    @inlinable public init(_ group: UInt16, _ element: UInt16) {
        raw = UInt32(group) << 16 | UInt32(element)
    }

    @inlinable public init(raw: UInt32) { self.raw = raw }

    @inlinable public var group: UInt16 { UInt16(truncatingIfNeeded: raw >> 16) }
    @inlinable public var element: UInt16 { UInt16(truncatingIfNeeded: raw) }

    /// Private tags live in odd groups (PS3.5 §7.8), except the reserved groups 0001, 0003, 0005, 0007 and FFFF.
    public var isPrivate: Bool { group & 1 == 1 && group > 0x0008 && group != 0xFFFF }

    /// A private creator element (gggg,0010–00FF) names the block that owns (gggg,xx00–xxFF).
    public var isPrivateCreator: Bool { isPrivate && (0x0010...0x00FF).contains(element) }

    /// Group length elements (gggg,0000) are retired outside the command and file meta groups.
    public var isGroupLength: Bool { element == 0 }

    @inlinable public static func < (lhs: Tag, rhs: Tag) -> Bool { lhs.raw < rhs.raw }

    /// `(GGGG,EEEE)` in upper-case hex, as dcmdump prints tags.
    public var description: String {
        "(" + Tag.hex4(group) + "," + Tag.hex4(element) + ")"
    }

    static func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
