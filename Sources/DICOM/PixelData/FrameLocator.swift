/// Finds the fragments that make up each frame of encapsulated pixel data (PS3.5 §A.4).
///
/// In order of preference: the Extended Offset Table (7FE0,0001/0002), the Basic Offset Table, one
/// frame per fragment when the counts agree, everything for a single frame, and finally JPEG/J2K
/// start-of-image markers at fragment starts.
struct FrameLocator {
    let pixels: EncapsulatedPixelData
    let dataSet: DataSet
    let frameCount: Int
    let source: String?

    private func fail(_ reason: String) -> DICOMError { .pixelData(file: source, reason: reason) }

    func bytes(ofFrame index: Int) throws -> [UInt8] {
        let fragments = try fragmentRange(ofFrame: index)
        var out: [UInt8] = []
        out.reserveCapacity(pixels.fragments[fragments].reduce(0) { $0 + $1.count })
        for f in fragments { out += dataSet.buffer.bytes(pixels.fragments[f]) }
        // Trailing padding to an even length after the EOI marker is harmless to every codec.
        return out
    }

    /// Indices into `pixels.fragments` that hold frame `index`.
    func fragmentRange(ofFrame index: Int) throws -> Range<Int> {
        let n = pixels.fragments.count
        guard n > 0 else { throw fail("encapsulated pixel data has no fragments") }
        if let starts = try extendedOffsetStarts() ?? basicOffsetStarts() {
            guard starts.count >= frameCount else {
                throw fail("offset table lists \(starts.count) frames; Number of Frames is \(frameCount)")
            }
            let lo = starts[index]
            let hi = index + 1 < starts.count ? starts[index + 1] : n
            guard lo < hi else { throw fail("offset table gives frame \(index) no fragments") }
            return lo ..< hi
        }
        if frameCount == 1 { return 0 ..< n }
        if n == frameCount { return index ..< index + 1 }
        let starts = (0 ..< n).filter { startsImage(pixels.fragments[$0]) }
        if starts.count == frameCount && starts.first == 0 {
            return starts[index] ..< (index + 1 < starts.count ? starts[index + 1] : n)
        }
        throw fail("cannot tell which of \(n) fragments belong to each of \(frameCount) frames (no offset table)")
    }

    /// Fragment indices at which each frame starts, from the Basic Offset Table (nil when it is empty).
    private func basicOffsetStarts() throws -> [Int]? {
        let table = pixels.basicOffsetTable
        guard !table.isEmpty else { return nil }
        return try starts(forByteOffsets: table)
    }

    /// Same, from the Extended Offset Table (64-bit offsets; PS3.5 §A.4 Table A.4-1).
    private func extendedOffsetStarts() throws -> [Int]? {
        guard let e = dataSet[.extendedOffsetTable], let range = e.byteRange, range.count >= 8 else { return nil }
        let offsets: [UInt64] = dataSet.buffer.withBytes(range) { raw in
            stride(from: 0, through: raw.count - 8, by: 8).map { raw.loadUInt64(big: false, at: $0) }
        }
        return try starts(forByteOffsets: offsets)
    }

    /// Offsets count from the first fragment's item tag; map each to the fragment whose item starts there.
    private func starts(forByteOffsets offsets: [UInt64]) throws -> [Int] {
        guard let first = pixels.fragmentItemOffsets.first else { return [] }
        var indexByOffset: [UInt64: Int] = [:]
        for (k, o) in pixels.fragmentItemOffsets.enumerated() { indexByOffset[UInt64(o - first)] = k }
        return try offsets.map { off in
            guard let k = indexByOffset[off] else { throw fail("offset table entry \(off) does not point at a fragment") }
            return k
        }
    }

    /// JPEG SOI (FFD8), JPEG 2000 SOC (FF4F) or JP2 signature box at the start of a fragment.
    private func startsImage(_ range: Range<Int>) -> Bool {
        guard range.count >= 2 else { return false }
        return dataSet.buffer.withBytes(range.lowerBound ..< range.lowerBound + min(12, range.count)) { raw in
            (raw[0] == 0xFF && (raw[1] == 0xD8 || raw[1] == 0x4F)) ||
                (raw.count >= 8 && raw[4] == 0x6A && raw[5] == 0x50 && raw[6] == 0x20 && raw[7] == 0x20)
        }
    }
}
