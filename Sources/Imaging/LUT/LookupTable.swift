import DICOM

/// A LUT as stored in Modality LUT and VOI LUT sequences (PS3.3 C.11.1, C.11.2): a descriptor
/// (number of entries, first input value mapped, bits per entry) and the entries.
public struct LookupTable: Sendable, Equatable {
    public let firstMapped: Int
    public let bitsPerEntry: Int
    public let entries: [Int]

    /// Reads (0028,3002) LUT Descriptor and (0028,3006) LUT Data from a sequence item.
    /// Returns nil when the item lacks them or they disagree.
    public init?(item: DataSet) {
        let descriptor = item.doubles(.lutDescriptor)
        guard descriptor.count == 3, let range = item[.lutData]?.byteRange else { return nil }
        let count = descriptor[0] == 0 ? 65_536 : Int(descriptor[0])
        var first = Int(descriptor[1])
        // The first mapped value is US or SS depending on the pixel data; a value above 32767 in a
        // descriptor read as US is a negative SS (PS3.3 C.11.1.1.1).
        if first > 32_767, let e = item[.lutDescriptor], e.vr == .US || e.vr == .UN { first -= 65_536 }
        let bits = Int(descriptor[2])
        guard bits == 8 || bits == 16 || (bits > 8 && bits < 16) else { return nil }
        let big = item.byteOrder == .big
        let values: [Int] = item.buffer.withBytes(range) { raw in
            // 8-bit LUT data is still usually stored as 16-bit words (OW); detect by size.
            if raw.count >= count * 2 {
                return (0 ..< count).map { Int(raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).byteOrdered(big: big)) }
            } else if raw.count >= count {
                return (0 ..< count).map { Int(raw[$0]) }
            }
            return []
        }
        guard values.count == count else { return nil }
        self.firstMapped = first
        self.bitsPerEntry = bits
        self.entries = values
    }

    public init(firstMapped: Int, bitsPerEntry: Int, entries: [Int]) {
        self.firstMapped = firstMapped; self.bitsPerEntry = bitsPerEntry; self.entries = entries
    }

    /// The output for `x`: inputs below the first mapped value take the first entry, above the last
    /// take the last (PS3.3 C.11.1.1).
    @inlinable public func lookup(_ x: Float) -> Float {
        let i = Int(x.rounded(.down)) - firstMapped
        if i <= 0 { return Float(entries[0]) }
        if i >= entries.count { return Float(entries[entries.count - 1]) }
        return Float(entries[i])
    }

    public var maximumOutput: Int { (1 << bitsPerEntry) - 1 }
}

extension UInt16 {
    @inlinable func byteOrdered(big: Bool) -> UInt16 { big ? byteSwapped : self }
}
